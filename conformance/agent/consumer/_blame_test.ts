import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import process from "node:process";
import { firstDifference, formatPath } from "../_json_diff.ts";
import { blame, type Departure, type EventKind } from "./_blame.ts";

const seed = Number(process.env.SEED ?? Date.now() % 2 ** 31);

function departure(
  event: Record<string, unknown>,
  expected: unknown,
  actual: unknown,
  kind: EventKind = "admitted",
  before: unknown = {},
): Departure {
  return {
    index: 3,
    event,
    kind,
    before,
    expected,
    actual,
    difference: firstDifference(expected, actual),
  };
}

describe("firstDifference", () => {
  it("is undefined exactly for equal JSON values, whatever the member order", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const reordered = JSON.parse(
          JSON.stringify(
            a,
            (_, v) =>
              v && typeof v === "object" && !Array.isArray(v)
                ? Object.fromEntries(Object.entries(v).reverse())
                : v,
          ),
        );
        assert.equal(firstDifference(a, reordered), undefined);
        const equal = JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
        assert.equal(firstDifference(a, b) === undefined, equal);
      }),
      { seed },
    );
  });

  it("points at the first differing place", () => {
    const d = firstDifference(
      { messages: [{ id: "a", content: "x" }, { id: "b" }] },
      { messages: [{ id: "a", content: "y" }] },
    );
    assert.deepEqual(d, { path: ["messages", 0, "content"], expected: "x", actual: "y" });
    assert.equal(formatPath(d!.path), "messages[0].content");
    assert.deepEqual(firstDifference([1], [1, 2]), { path: [1], expected: undefined, actual: 2 });
    assert.equal(firstDifference(0, -0), undefined);
  });
});

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value === 0 ? 0 : value;
}

describe("blame", () => {
  const msgs = (...messages: unknown[]) => ({ messages });

  it("names the rule of the event's type", () => {
    const text = { type: "text.delta", messageId: "m", delta: "x" };
    assert.equal(
      blame(departure(text, msgs({ content: "x" }), msgs({ content: "" }))),
      "PROJ-TEXT-2",
    );
    const start = { type: "tool.start", toolCallId: "c", toolName: "t" };
    assert.equal(blame(departure(start, msgs(1), msgs())), "PROJ-TOOL-2");
    assert.equal(
      blame(departure({ ...start, parentMessageId: "m" }, msgs(1), msgs())),
      "PROJ-TOOL-1",
    );
    assert.equal(blame(departure({ type: "task.started", taskId: "t" }, 1, 2)), "PROJ-TASK-1");
    assert.equal(blame(departure({ type: "agent.log" }, 1, 2)), "PROJ-AGENT-2");
    assert.equal(blame(departure({ type: "raw.event", event: 1 }, 1, 2)), "PROJ-FOLD-1");
  });

  it("names the skip rule for events the fold skips", () => {
    const e = { type: "text.delta" };
    assert.equal(blame(departure(e, 1, 2, "invalid")), "PROJ-FOLD-2");
    assert.equal(blame(departure(e, 1, 2, "schema")), "PROJ-FOLD-2");
    assert.equal(blame(departure(e, 1, 2, "unknown")), "ENV-UNKNOWN-2");
    assert.equal(blame(departure(e, 1, 2, "refused")), "PROJ-FOLD-3");
    assert.equal(blame({ ...departure(e, 1, 2), index: -1 }), "PROJ-INIT-1");
  });

  it("refines by what differs", () => {
    const result = { type: "tool.result", toolCallId: "c", output: 1 };
    const tool = { id: "c:result", role: "tool", toolCallId: "c", output: 1 };
    const a = { id: "a", role: "assistant" };
    const u = { id: "u", role: "user" };
    assert.equal(blame(departure(result, msgs(a, tool, u), msgs(a, u, tool))), "PROJ-RESULT-2");
    assert.equal(
      blame(departure(result, msgs(a, tool), msgs(a, { ...tool, output: 2 }))),
      "PROJ-RESULT-1",
    );
    const finished = { type: "run.finished", runId: "r", outcome: "success", usage: {} };
    assert.equal(
      blame(departure(finished, { usage: { promptTokens: 1 } }, { usage: { promptTokens: 2 } })),
      "PROJ-USAGE-2",
    );
    assert.equal(
      blame(departure(finished, { runs: [{ usage: { a: 1 } }] }, { runs: [{ usage: { a: 2 } }] })),
      "PROJ-RUN-5",
    );
    assert.equal(
      blame(departure(finished, { runs: [{ status: "success" }] }, { runs: [{ status: "x" }] })),
      "PROJ-RUN-2",
    );
    const error = { type: "run.error", runId: "r", message: "m" };
    const open = (messages: string[]) => ({ open: { messages, toolCalls: [] } });
    assert.equal(blame(departure(error, open([]), open(["m"]))), "PROJ-RUN-4");
    assert.equal(
      blame(departure({ type: "text.start", messageId: "b" }, open(["a", "b"]), open(["b", "a"]))),
      "PROJ-OPEN-1",
    );
    assert.equal(
      blame(departure(
        { type: "run.started", runId: "r" },
        { runs: [{ runId: "r" }] },
        { runs: [{ runId: "r", threadId: null }] },
      )),
      "PROJ-JSON-1",
    );
    assert.equal(
      blame(departure(
        { type: "usage.reported", costUsd: 0.3 },
        { usage: { costUsd: 0.6000000000000001 } },
        { usage: { costUsd: 0.6 } },
      )),
      "PROJ-JSON-2",
    );
    const call = { type: "llm.tool-call", requestId: "q", toolCallId: "c", toolName: "t" };
    const args = (text: string) => msgs({ toolCalls: [{ arguments: text }] });
    assert.equal(blame(departure(call, args('{"a":1}'), args('{ "a": 1 }'))), "PROJ-JSON-3");
    assert.equal(blame(departure(call, args('{"a":1}'), args('{"a":2}'))), "PROJ-LLM-1");
    const data = { type: "custom.event", name: "n", dataId: "d" };
    const before = msgs({ id: "d", role: "data" });
    assert.equal(blame(departure(data, 1, 2, "admitted", before)), "PROJ-DATA-2");
    assert.equal(blame(departure(data, 1, 2)), "PROJ-DATA-1");
    assert.equal(blame(departure({ ...data, transient: true }, 1, 2)), "PROJ-DATA-3");
  });
});
