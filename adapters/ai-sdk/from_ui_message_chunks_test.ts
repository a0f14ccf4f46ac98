// Chunks back to events: a run that never finishes, tool input that never
// completes, what a real AI SDK agent streams, and the view's own streams
// read back, each giving lifecycle-valid events.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import process from "node:process";
import fc from "fast-check";
import { isStepCount, jsonSchema, simulateReadableStream, streamText, tool } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { validEventSequence } from "../../conformance/agent/event_sequences.ts";
import { projectConversation } from "../../src/conversation/project_conversation.ts";
import { checkLifecycle } from "../../src/vocabulary/lifecycle.ts";
import { fromUiMessageChunks, UiMessageChunkReader } from "./from_ui_message_chunks.ts";
import { INCOMPLETE_STREAM_ERROR, INCOMPLETE_TOOL_INPUT_ERROR } from "./reader_errors.ts";
import { toUiMessageChunks } from "./to_ui_message_chunks.ts";

const SEED = Number(process.env.SEED ?? Date.now() % 1_000_000);

function mustFindings(events: readonly unknown[]) {
  return checkLifecycle(events).filter((finding) => finding.level === "MUST");
}

describe("UiMessageChunkReader", () => {
  it("ends a run whose stream stops early with run.error incomplete-stream", () => {
    const events = fromUiMessageChunks([
      { type: "start", messageId: "r1" },
      { type: "text-start", id: "t" },
      { type: "text-delta", id: "t", delta: "Hel" },
    ]);
    assert.deepEqual(events.at(-1), {
      type: "run.error",
      runId: "r1",
      ...INCOMPLETE_STREAM_ERROR,
    });
    assert.deepEqual(mustFindings(events), []);
    assert.deepEqual(projectConversation(events).messages[0], {
      id: "t",
      role: "assistant",
      content: "Hel",
      toolCalls: [],
      runId: "r1",
    });
  });

  it("ends a run whose tool input never became JSON with run.error incomplete-tool-input", () => {
    const events = fromUiMessageChunks([
      { type: "start", messageId: "r1" },
      { type: "tool-input-start", toolCallId: "c", toolName: "t" },
      { type: "tool-input-delta", toolCallId: "c", inputTextDelta: '{"a":' },
      { type: "finish" },
    ]);
    assert.deepEqual(events.at(-1), {
      type: "run.error",
      runId: "r1",
      ...INCOMPLETE_TOOL_INPUT_ERROR,
    });
    assert.deepEqual(mustFindings(events), []);
  });

  it("ignores values that are not chunks, and chunks that name nothing open", () => {
    const reader = new UiMessageChunkReader({ generateId: () => "g" });
    for (
      const junk of [
        null,
        7,
        "start",
        [],
        {},
        { type: 3 },
        { type: "text-delta", id: "nope", delta: "x" },
        { type: "tool-input-delta", toolCallId: "nope", inputTextDelta: "x" },
        { type: "finish" },
        { type: "abort" },
        { type: "data-" },
      ]
    ) {
      assert.deepEqual(reader.push(junk), [], JSON.stringify(junk));
    }
    assert.equal(reader.activeRunId, undefined);
  });

  it("never throws, for any values", () => {
    fc.assert(
      fc.property(fc.array(fc.anything()), (values) => {
        fromUiMessageChunks(values);
      }),
      { seed: SEED },
    );
  });

  it("reads the view's streams of valid agent streams back into valid events", () => {
    fc.assert(
      fc.property(
        validEventSequence({ betweenRuns: false, envelope: false, maxRuns: 3 }),
        (events) => {
          const back = fromUiMessageChunks(toUiMessageChunks(events));
          assert.deepEqual(mustFindings(back), []);
          const runs = (list: readonly unknown[]) =>
            list.filter((e) => (e as { type: string }).type === "run.started").length;
          assert.equal(runs(back), runs(events));
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe("fromUiMessageChunks over what an AI SDK agent streams", () => {
  it("turns a two-step answer with a tool call into a valid run", { timeout: 20_000 }, async () => {
    const usage = {
      inputTokens: { total: 3, noCache: 3, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: 5, text: 5, reasoning: undefined },
    };
    const steps = [
      [
        { type: "reasoning-start", id: "r" },
        { type: "reasoning-delta", id: "r", delta: "Weather needs a tool." },
        { type: "reasoning-end", id: "r" },
        { type: "tool-call", toolCallId: "call-1", toolName: "weather", input: '{"city":"Oslo"}' },
        { type: "finish", finishReason: { unified: "tool-calls", raw: undefined }, usage },
      ],
      [
        { type: "text-start", id: "0" },
        { type: "text-delta", id: "0", delta: "It is 4 °C " },
        { type: "text-delta", id: "0", delta: "in Oslo." },
        { type: "text-end", id: "0" },
        { type: "finish", finishReason: { unified: "stop", raw: undefined }, usage },
      ],
    ];
    let call = 0;
    const result = streamText({
      model: new MockLanguageModelV4({
        doStream: () =>
          Promise.resolve({
            // deno-lint-ignore no-explicit-any
            stream: simulateReadableStream({ chunks: steps[call++] as any[] }),
          }),
      }),
      tools: {
        weather: tool({
          inputSchema: jsonSchema<{ city: string }>({
            type: "object",
            properties: { city: { type: "string" } },
            required: ["city"],
          }),
          execute: ({ city }) => Promise.resolve({ city, celsius: 4 }),
        }),
      },
      stopWhen: isStepCount(2),
      prompt: "Weather in Oslo?",
    });
    const chunks: unknown[] = [];
    for await (const chunk of result.toUIMessageStream({ sendReasoning: true })) chunks.push(chunk);
    let n = 0;
    const events = fromUiMessageChunks(chunks, { generateId: () => `run_${++n}` });
    assert.deepEqual(mustFindings(events), []);
    const conversation = projectConversation(events);
    assert.deepEqual(conversation.runs.map((r) => r.status), ["success"]);
    const roles = conversation.messages.map((m) => m.role);
    assert.deepEqual(roles, ["reasoning", "assistant", "tool", "assistant"]);
    const [reasoning, callMessage, result0, answer] = conversation.messages;
    assert.equal(reasoning.role === "reasoning" && reasoning.content, "Weather needs a tool.");
    assert.deepEqual(
      callMessage.role === "assistant" && callMessage.toolCalls.map((c) => [c.name, c.input]),
      [["weather", { city: "Oslo" }]],
    );
    assert.deepEqual(result0.role === "tool" && result0.output, { city: "Oslo", celsius: 4 });
    assert.equal(answer.role === "assistant" && answer.content, "It is 4 °C in Oslo.");
  });
});
