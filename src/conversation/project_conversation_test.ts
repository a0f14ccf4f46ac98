import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { Conversation } from "./conversation.ts";
import { initialConversation } from "./initial_conversation.ts";
import {
  initialConversationProjection,
  projectConversation,
  reduceConversationProjection,
} from "./project_conversation.ts";

const zero = initialConversation().usage;
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe("projectConversation", () => {
  it("PROJ-INIT-1 no events project as the initial value", () => {
    assert.deepEqual(projectConversation([]), initialConversation());
  });

  it("PROJ-FOLD-1 events fold in stream order, each with its offset", () => {
    const events = [
      { type: "custom.event", name: "first" },
      { type: "text.message", messageId: "u", role: "user", content: "hi" },
      { type: "custom.event", name: "third" },
    ];
    assert.deepEqual(projectConversation(events).messages.map((m) => m.id), [
      "data:0",
      "u",
      "data:2",
    ]);
    assert.deepEqual(
      projectConversation([events[2], events[1], events[0]]).messages.map((m) => m.id),
      ["data:0", "u", "data:2"],
    );
    const reordered = projectConversation([events[1], events[0]]);
    assert.deepEqual(reordered.messages.map((m) => m.role === "data" && m.name), [false, "first"]);
  });

  it("PROJ-FOLD-2 non-envelopes, unknown types and schema failures are skipped, the rest folds", () => {
    const message = { type: "text.message", messageId: "u", role: "user", content: "hi" };
    const skipped = [
      42,
      null,
      "text",
      [],
      { type: "Not A Type" },
      { type: "text.message", messageId: "x", role: "user", content: "hi", runId: "" },
      { type: "com.example.message.added", messageId: "y" },
      { type: "text.message", messageId: "z", role: "robot", content: "hi" },
      { type: "run.started" },
      { type: "usage.reported", promptTokens: -1 },
      { type: "text.start", messageId: 7 },
    ];
    for (const value of skipped) {
      assert.deepEqual(projectConversation([value, message]), projectConversation([message]));
    }
  });

  it("PROJ-FOLD-3 a refused event is skipped and checked no further; the fold goes on", () => {
    const events = [
      { type: "run.started", runId: "r1" },
      { type: "text.start", runId: "r1", messageId: "m" },
      { type: "run.finished", runId: "r1", outcome: "success" }, // EVT-RUN-4: m is open
      { type: "text.start", runId: "r1", messageId: "m" }, // EVT-MSG-1: m exists
      { type: "text.delta", runId: "r2", messageId: "m", delta: "x" }, // EVT-RUN-5
      { type: "text.delta", runId: "r1", messageId: "m", delta: "ok" },
      { type: "text.end", runId: "r1", messageId: "m" },
      { type: "run.finished", runId: "r1", outcome: "success" },
    ];
    const conversation = projectConversation(events);
    assert.deepEqual(conversation.messages, [
      { id: "m", role: "assistant", content: "ok", toolCalls: [], runId: "r1" },
    ]);
    assert.deepEqual(conversation.runs, [{ runId: "r1", status: "success" }]);
    assert.deepEqual(conversation.open, { messages: [], toolCalls: [] });
  });

  it("PROJ-FOLD-3 a refused event returns the state it was given", () => {
    const state = reduceConversationProjection(
      initialConversationProjection(),
      { type: "run.started", runId: "r1" },
      0,
    );
    const again = reduceConversationProjection(state, { type: "run.started", runId: "r2" }, 1);
    assert.equal(again, state);
  });

  it("PROJ-STATE-2 a patch that does not apply is refused (EVT-STATE-1) and leaves the state", () => {
    const conversation = projectConversation([
      { type: "state.snapshot", snapshot: { n: 1 } },
      {
        type: "state.delta",
        patch: [{ op: "replace", path: "/n", value: 2 }, { op: "remove", path: "/m" }],
      },
      { type: "state.delta", patch: [{ op: "replace", path: "/n", value: 3 }] },
    ]);
    assert.deepEqual(conversation.state, { n: 3 });
  });

  it("PROJ-FOLD-5 a state resumed from JSON folds on as the state it was saved from", () => {
    const before = [
      { type: "run.started", runId: "r1" },
      { type: "step.started", runId: "r1", stepName: "plan" },
      { type: "tool.start", runId: "r1", toolCallId: "c", toolName: "f" },
      { type: "tool.delta", runId: "r1", toolCallId: "c", delta: '{"a":' },
    ];
    const after = [
      { type: "run.finished", runId: "r1", outcome: "success" }, // refused: step and call open
      { type: "tool.delta", runId: "r1", toolCallId: "c", delta: "1}" },
      { type: "tool.end", runId: "r1", toolCallId: "c", input: { a: 2 } }, // refused: EVT-TOOL-3
      { type: "tool.end", runId: "r1", toolCallId: "c" },
      { type: "step.finished", runId: "r1", stepName: "plan" },
      { type: "run.finished", runId: "r1", outcome: "success" },
    ];
    let state = initialConversationProjection();
    before.forEach((event, offset) => state = reduceConversationProjection(state, event, offset));
    let resumed = JSON.parse(JSON.stringify(state));
    after.forEach((event, i) =>
      resumed = reduceConversationProjection(resumed, event, before.length + i)
    );
    const whole = projectConversation([...before, ...after]);
    assert.deepEqual(asJson(resumed.conversation), asJson(whole));
    assert.equal(whole.runs[0].status, "success");
    const call = whole.messages[0].role === "assistant"
      ? whole.messages[0].toolCalls[0]
      : undefined;
    assert.deepEqual(call?.input, { a: 1 });
  });

  it("PROJ-FOLD-5 a damaged saved state is a clear error, not a wrong projection", () => {
    const state = reduceConversationProjection(
      initialConversationProjection(),
      { type: "run.started", runId: "r1" },
      0,
    );
    const damaged = { ...state, lifecycle: { chunks: [[[0, { type: "run.started" }]], "x"] } };
    assert.throws(
      () =>
        reduceConversationProjection(JSON.parse(JSON.stringify(damaged)), {
          type: "run.error",
          runId: "r1",
          message: "m",
        }, 1),
      TypeError,
    );
    const refused = {
      ...state,
      lifecycle: {
        chunks: [[[0, { type: "run.started", runId: "r1" }], [1, {
          type: "run.started",
          runId: "r1",
        }]]],
      },
    };
    assert.throws(
      () =>
        reduceConversationProjection(JSON.parse(JSON.stringify(refused)), {
          type: "run.error",
          runId: "r1",
          message: "m",
        }, 2),
      /offset 1 is refused/,
    );
  });

  it("PROJ-LLM-1 llm.* events fold as text, tool and usage events of the request's message", () => {
    const conversation = projectConversation([
      { type: "run.started", runId: "r1" },
      { type: "llm.started", runId: "r1", requestId: "q1", messageId: "m1", model: "x" },
      { type: "llm.token", runId: "r1", requestId: "q1", delta: "Let me look." },
      {
        type: "llm.tool-call",
        runId: "r1",
        requestId: "q1",
        toolCallId: "c1",
        toolName: "f",
        input: { b: [1, "é"], a: 1e21 },
      },
      {
        type: "llm.usage",
        runId: "r1",
        requestId: "q1",
        promptTokens: 5,
        completionTokens: 2,
        model: "x",
      },
      { type: "llm.completed", runId: "r1", requestId: "q1", finishReason: "tool_calls" },
      { type: "llm.tool-result", runId: "r1", requestId: "q1", toolCallId: "c1", output: "ok" },
      { type: "llm.started", runId: "r1", requestId: "q2" },
      { type: "llm.error", runId: "r1", requestId: "q2", message: "rate limited" },
      { type: "run.finished", runId: "r1", outcome: "success" },
    ]);
    assert.deepEqual(conversation.messages, [
      {
        id: "m1",
        role: "assistant",
        content: "Let me look.",
        toolCalls: [{
          id: "c1",
          name: "f",
          arguments: '{"b":[1,"é"],"a":1e+21}',
          input: { b: [1, "é"], a: 1e21 },
        }],
        runId: "r1",
      },
      { id: "c1:result", role: "tool", toolCallId: "c1", output: "ok", runId: "r1" },
      { id: "q2", role: "assistant", content: "", toolCalls: [], runId: "r1" },
    ]);
    assert.deepEqual(conversation.open, { messages: [], toolCalls: [] });
    assert.deepEqual(conversation.usage, {
      ...zero,
      promptTokens: 5,
      completionTokens: 2,
      totalTokens: 7,
    });
    assert.deepEqual(conversation.runs[0].usage, conversation.usage);
  });

  it("PROJ-RUN-4 run.error closes what was begun in the run, also a call in another run's message", () => {
    const conversation = projectConversation([
      { type: "text.message", messageId: "a0", role: "assistant", content: "earlier" },
      { type: "text.start", messageId: "free" },
      { type: "run.started", runId: "r1" },
      { type: "tool.start", runId: "r1", toolCallId: "c1", toolName: "f", parentMessageId: "a0" },
      { type: "tool.start", toolCallId: "c2", toolName: "f", parentMessageId: "a0" },
      { type: "llm.started", runId: "r1", requestId: "q" },
      { type: "run.error", runId: "r1", message: "boom" },
      { type: "llm.token", requestId: "q", delta: "late" }, // refused: the request ended with its run
      { type: "tool.delta", toolCallId: "c1", delta: "{}" }, // refused: closed
      { type: "tool.delta", toolCallId: "c2", delta: "{}" },
    ]);
    assert.deepEqual(conversation.open, { messages: ["free"], toolCalls: ["c2"] });
    const a0 = conversation.messages[0];
    assert.deepEqual(a0.role === "assistant" && a0.toolCalls.map((c) => c.arguments), ["", "{}"]);
    assert.equal(conversation.messages.find((m) => m.id === "q")?.role, "assistant");
  });

  it("PROJ-DATA-3 and PROJ-AGENT-2 transient values, output and log lines leave the projection", () => {
    const base = [{ type: "agent.spawned", agentId: "g" }];
    const live = [
      { type: "custom.event", name: "progress", value: 0.3, transient: true },
      { type: "agent.output", agentId: "g", stream: "stderr", text: "warn\n" },
      { type: "agent.log", agentId: "g", level: "debug", message: "tick" },
      { type: "raw.event", event: { any: 1 }, source: "x" },
      { type: "step.started", stepName: "s" }, // refused: no run
    ];
    assert.deepEqual(projectConversation([...base, ...live]), projectConversation(base));
  });

  it("PROJ-JSON-2 numbers are binary64 and sums run in stream order", () => {
    const conversation = projectConversation([
      { type: "usage.reported", costUsd: 0.1 },
      { type: "usage.reported", costUsd: 0.2 },
      { type: "usage.reported", costUsd: 0.3, promptTokens: 2 ** 53 - 1, completionTokens: 2 },
    ]);
    assert.equal(conversation.usage.costUsd, 0.1 + 0.2 + 0.3);
    assert.notEqual(conversation.usage.costUsd, 0.6);
    assert.equal(conversation.usage.totalTokens, 2 ** 53); // 2^53 + 1 rounds to 2^53
    assert.equal(conversation.usage.promptTokens, 2 ** 53 - 1);
  });

  it("PROJ-JSON-3 the JSON text of an llm.tool-call's input is what JSON.stringify gives", () => {
    const input = JSON.parse('{"z":"\\ud800","y":-0,"x":1.50,"w":"\\u00e9\\n"}');
    const conversation = projectConversation([
      { type: "llm.started", requestId: "q" },
      { type: "llm.tool-call", requestId: "q", toolCallId: "c", toolName: "f", input },
    ]);
    const message = conversation.messages[0];
    assert.equal(
      message.role === "assistant" && message.toolCalls[0].arguments,
      '{"z":"\\ud800","y":0,"x":1.5,"w":"é\\n"}',
    );
  });

  it("§10 the worked example of the spec projects as the spec says", () => {
    const spec = readFileSync(new URL("../../spec/v1/projection.md", import.meta.url), "utf8");
    const section = spec.slice(spec.indexOf("## 10. A worked example"));
    const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1]);
    assert.equal(blocks.length, 2);
    const events = blocks[0].trim().split("\n").map((line) => JSON.parse(line));
    assert.equal(events.length, 16);
    const expected: Conversation = JSON.parse(blocks[1]);
    assert.deepEqual(asJson(projectConversation(events)), expected);
  });
});
