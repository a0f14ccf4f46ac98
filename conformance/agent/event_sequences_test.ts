import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { standardEvents } from "../../src/vocabulary/mod.ts";
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
console.log(`event_sequences_test seed ${seed}`);

const VARIANTS: [string, EventSequenceOptions][] = [
  ["full", {}],
  ["chat", { core: "chat" }],
  ["full, last run running", { lastRun: "running" }],
  ["chat with state and usage", { core: "chat", state: true, usage: true }],
];

for (const [name, options] of VARIANTS) {
  test(`valid sequences (${name}): every event passes its schema and survives JSON`, () => {
    fc.assert(
      fc.property(validEventSequence(options), (events) => {
        for (const event of events) {
          const text = JSON.stringify(event);
          assert.deepEqual(JSON.parse(text), event);
          standardEvents.decode(encoder.encode(text)); // throws on a schema failure
        }
      }),
      params,
    );
  });
}

test("chat sequences hold only what chat views express", () => {
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

test("run counts and the last run follow the options", () => {
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
        const ends =
          events.filter((e) => e.type === "run.finished" || e.type === "run.error").length;
        const least = Math.max(minRuns, lastRun === "running" ? 1 : 0);
        assert.ok(starts >= least && starts <= Math.max(least, maxRuns), `${starts} runs`);
        assert.equal(ends, lastRun === "running" ? starts - 1 : starts);
      },
    ),
    { ...params, numRuns: 100 },
  );
});

test("the full vocabulary is reached", () => {
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
  test(`broken sequences (${requirement}): one event breaks the rule, every event is well-formed`, () => {
    fc.assert(
      fc.property(brokenEventSequenceWithIndex(requirement), ({ events, index }) => {
        assert.ok(index >= 0 && index < events.length, `index ${index} of ${events.length}`);
        events.forEach((event, i) => {
          const bytes = encoder.encode(JSON.stringify(event));
          if (requirement === "EVT-SHAPE-1" && i === index) {
            assert.throws(() => standardEvents.decode(bytes), /Cannot decode event/);
          } else standardEvents.decode(bytes);
        });
      }),
      { ...params, numRuns: 50 },
    );
  });
}

test("brokenEventSequence refuses a requirement it cannot break", () => {
  assert.throws(
    () => brokenEventSequence("EVT-NOPE-1"),
    /No broken sequences for "EVT-NOPE-1"; supported: EVT-/,
  );
  assert.throws(() => brokenEventSequence("toString"), RangeError);
});
