import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { standardEvents } from "../../src/vocabulary/mod.ts";
import { checkLifecycle } from "../../src/vocabulary/lifecycle.ts";
import {
  BROKEN_EVENT_REQUIREMENTS,
  brokenEventSequence,
  brokenEventSequenceWithIndex,
  type EventSequenceOptions,
  validEventSequence,
} from "./event_sequences.ts";

const encoder = new TextEncoder();
const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const params = { seed, numRuns: 200 };
const slow = { timeout: 60_000 };
console.log(`event_sequences_test seed ${seed}`);

const VARIANTS: [string, EventSequenceOptions][] = [
  ["full", {}],
  ["chat", { core: "chat" }],
  ["full, last run running", { lastRun: "running" }],
  ["chat with state and usage", { core: "chat", state: true, usage: true }],
];

for (const [name, options] of VARIANTS) {
  test(
    `valid sequences (${name}): every event passes its schema and survives JSON; no lifecycle finding`,
    slow,
    () => {
      fc.assert(
        fc.property(validEventSequence(options), (events) => {
          for (const event of events) {
            const text = JSON.stringify(event);
            assert.deepEqual(JSON.parse(text), event);
            standardEvents.decode(encoder.encode(text)); // throws on a schema failure
          }
          assert.deepEqual(checkLifecycle(events), []);
        }),
        params,
      );
    },
  );
}

test("any combination of options gives valid sequences", slow, () => {
  const flags = [
    "steps",
    "reasoning",
    "tools",
    "state",
    "messagesSnapshots",
    "usage",
    "custom",
    "raw",
    "unknownTypes",
    "families",
    "llm",
    "userMessages",
    "betweenRuns",
    "interleave",
    "crossRun",
    "roles",
    "envelope",
  ] as const;
  const options: fc.Arbitrary<EventSequenceOptions> = fc.record({
    core: fc.constantFrom("full" as const, "chat" as const),
    lastRun: fc.constantFrom("ended" as const, "running" as const, "any" as const),
    ...Object.fromEntries(flags.map((flag) => [flag, fc.boolean()])),
  }, { requiredKeys: [] });
  fc.assert(
    fc.property(options.chain((o) => validEventSequence(o)), (events) => {
      assert.deepEqual(checkLifecycle(events), []);
    }),
    params,
  );
});

for (
  const target of [
    "tool.result",
    "messages.snapshot",
    "state.delta",
    "llm.tool-result",
    "agent.resumed",
  ]
) {
  test(`shrinking keeps sequences valid (down to one ${target})`, slow, () => {
    // A property that fails on any `target` event: every candidate fast-check
    // tries while shrinking must still be a valid sequence.
    let candidates = 0;
    const invalid: unknown[] = [];
    const details = fc.check(
      fc.property(validEventSequence(), (events) => {
        candidates++;
        if (checkLifecycle(events).length > 0) invalid.push(events);
        return !events.some((event) => event.type === target);
      }),
      { seed, numRuns: 2000 },
    );
    assert.ok(details.failed, `some sequence has a ${target}`);
    assert.deepEqual(invalid, []);
    assert.ok(details.numShrinks > 0 && candidates > details.numRuns);
    const shrunk = details.counterexample![0];
    assert.equal(shrunk.filter((e) => e.type === target).length, 1);
  });
}

test("chat sequences hold only what chat views express", slow, () => {
  const allowed = /^(run|step|text|reasoning|tool|custom)\./;
  fc.assert(
    fc.property(validEventSequence({ core: "chat" }), (events) => {
      for (const event of events) assert.match(event.type, allowed);
      const open = new Set<string>();
      for (const event of events) {
        const id = (event.messageId ?? event.toolCallId) as string | undefined;
        if (/^(text|reasoning|tool)\.start$/.test(event.type)) {
          assert.equal(open.size, 0, "one message or call open at a time");
          open.add(id!);
        }
        if (/^(text|reasoning|tool)\.end$/.test(event.type)) open.delete(id!);
        if (event.type === "run.error") open.clear();
      }
    }),
    params,
  );
});

test("run counts and the last run follow the options", slow, () => {
  fc.assert(
    fc.property(
      fc.nat(3).chain((min) =>
        fc.tuple(
          fc.constant(min),
          fc.integer({ min, max: 5 }),
          fc.constantFrom("ended", "running" as const),
        )
      ).chain(([minRuns, maxRuns, lastRun]) =>
        fc.tuple(
          fc.constant({ minRuns, maxRuns, lastRun }),
          validEventSequence({ minRuns, maxRuns, lastRun }),
        )
      ),
      ([{ minRuns, maxRuns, lastRun }, events]) => {
        const starts = events.filter((e) => e.type === "run.started").length;
        const ends = events.filter((e) =>
          e.type === "run.finished" || e.type === "run.error"
        ).length;
        const least = Math.max(minRuns, lastRun === "running" ? 1 : 0);
        assert.ok(starts >= least && starts <= Math.max(least, maxRuns), `${starts} runs`);
        assert.equal(ends, lastRun === "running" ? starts - 1 : starts);
      },
    ),
    { ...params, numRuns: 100 },
  );
});

test("the full vocabulary is reached", slow, () => {
  const seen = new Set<string>();
  fc.assert(
    fc.property(validEventSequence({ maxStepsPerRun: 40 }), (events) => {
      for (const event of events) seen.add(event.type);
    }),
    { ...params, numRuns: 300 },
  );
  const missing = standardEvents.definitions.map((d) => d.type).filter((type) => !seen.has(type));
  assert.deepEqual(missing, []);
  assert.ok([...seen].some((type) => !standardEvents.has(type)), "unknown types appear");
});

test("bad options are refused with a clear error", () => {
  assert.throws(
    () => validEventSequence({ maxRuns: -1 }),
    /maxRuns must be a non-negative integer/,
  );
  assert.throws(() => validEventSequence({ minRuns: 1.5 }), /minRuns/);
});

for (const requirement of BROKEN_EVENT_REQUIREMENTS) {
  test(
    `broken sequences (${requirement}): exactly one finding, of that requirement, at the index given`,
    slow,
    () => {
      fc.assert(
        fc.property(brokenEventSequenceWithIndex(requirement), ({ events, index }) => {
          assert.ok(index >= 0 && index < events.length, `index ${index} of ${events.length}`);
          const findings = checkLifecycle(events).map((f) => [f.index, f.requirement]);
          assert.deepEqual(findings, [[index, requirement]]);
          events.forEach((event, i) => {
            const bytes = encoder.encode(JSON.stringify(event));
            if (requirement === "EVT-SHAPE-1" && i === index) {
              assert.throws(() => standardEvents.decode(bytes), /Cannot decode event/);
            } else standardEvents.decode(bytes);
          });
        }),
        { ...params, numRuns: 50 },
      );
    },
  );
}

test("shrinking keeps broken sequences broken once, by the same rule", slow, () => {
  for (const requirement of BROKEN_EVENT_REQUIREMENTS) {
    const wrong: unknown[] = [];
    const details = fc.check(
      fc.property(brokenEventSequenceWithIndex(requirement), ({ events, index }) => {
        const findings = checkLifecycle(events).map((f) => [f.index, f.requirement]);
        if (JSON.stringify(findings) !== JSON.stringify([[index, requirement]])) wrong.push(events);
        return false;
      }),
      { seed, numRuns: 1 },
    );
    assert.ok(details.failed);
    assert.deepEqual(wrong, [], requirement);
  }
});

test("brokenEventSequence refuses a requirement it cannot break", () => {
  assert.throws(
    () => brokenEventSequence("EVT-NOPE-1"),
    /No broken sequences for "EVT-NOPE-1"; supported: EVT-/,
  );
  assert.throws(() => brokenEventSequence("toString"), RangeError);
});
