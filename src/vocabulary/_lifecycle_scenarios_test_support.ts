// For each rule of spec/v1/events.md, small event sequences that break it
// exactly once: `setup` (valid), the `bad` event, `teardown` (valid again,
// given that the bad event changed nothing). Ids start with "x-", apart from
// those of the generated blocks around them.

import type { Envelope } from "../protocol/envelope.ts";

/** One way to break one rule. */
export interface Scenario {
  requirement: string;
  name: string;
  /** `SHOULD` rules are reported, and the event is admitted. */
  level?: "SHOULD";
  /** The events, given the index the bad one will have; `setup`'s length must not depend on it. */
  make(at: number): { setup: Envelope[]; bad: Envelope; teardown: Envelope[] };
}

const R = "x-r";
const start: Envelope = { type: "run.started", runId: R };
const finish: Envelope = { type: "run.finished", runId: R, outcome: "success" };
const inRun = (events: Envelope[]): Envelope[] => events.map((e) => ({ ...e, runId: R }));

function scenario(
  requirement: string,
  name: string,
  setup: Envelope[],
  bad: Envelope,
  teardown: Envelope[] = [],
  level?: "SHOULD",
): Scenario {
  return { requirement, name, level, make: () => ({ setup, bad, teardown }) };
}

const call = (id: string, parent?: string): Envelope[] => [
  { type: "tool.start", toolCallId: id, toolName: "f", parentMessageId: parent },
  { type: "tool.delta", toolCallId: id, delta: '{"a":1}' },
  { type: "tool.end", toolCallId: id },
];

/** Every rule, at least once. */
export const SCENARIOS: readonly Scenario[] = [
  scenario("EVT-SHAPE-1", "text.delta without delta", [], { type: "text.delta", messageId: "x" }),
  scenario("EVT-RUN-1", "run.started without runId", [], { type: "run.started" }),
  scenario("EVT-RUN-1", "run.error without runId", [start], { type: "run.error", message: "x" }, [
    finish,
  ]),
  scenario("EVT-RUN-2", "a second active run", [start], { type: "run.started", runId: "x-r2" }, [
    finish,
  ]),
  scenario("EVT-RUN-2", "a run id again", [start, finish], start),
  scenario("EVT-RUN-3", "finished with no run active", [], finish),
  scenario("EVT-RUN-3", "error for another run", [start], {
    type: "run.error",
    runId: "x-r2",
    message: "x",
  }, [finish]),
  scenario(
    "EVT-RUN-4",
    "a text message open",
    [start, ...inRun([{ type: "text.start", messageId: "x-m" }])],
    finish,
    [
      { type: "text.end", messageId: "x-m", runId: R },
      finish,
    ],
  ),
  scenario("EVT-RUN-4", "a tool call open", [start, ...inRun(call("x-c").slice(0, 2))], finish, [
    { type: "tool.end", toolCallId: "x-c", runId: R },
    finish,
  ]),
  scenario(
    "EVT-RUN-4",
    "a step open",
    [start, ...inRun([{ type: "step.started", stepName: "s" }])],
    finish,
    [
      { type: "step.finished", stepName: "s", runId: R },
      finish,
    ],
  ),
  scenario(
    "EVT-RUN-4",
    "an LLM request open",
    [start, ...inRun([{ type: "llm.started", requestId: "x-q" }])],
    finish,
    [
      { type: "llm.error", requestId: "x-q", runId: R, message: "x" },
      finish,
    ],
  ),
  scenario("EVT-RUN-5", "a message of a finished run", [start, finish], {
    type: "text.message",
    runId: R,
    messageId: "x-m",
    role: "user",
    content: "",
  }),
  scenario("EVT-RUN-6", "interrupts of a successful run", [start], { ...finish, interrupts: [] }, [
    finish,
  ]),
  scenario("EVT-STEP-1", "a step without runId", [start], { type: "step.started", stepName: "s" }, [
    finish,
  ]),
  scenario("EVT-STEP-1", "a step started twice", [
    start,
    ...inRun([{ type: "step.started", stepName: "s" }]),
  ], {
    type: "step.started",
    stepName: "s",
    runId: R,
  }, [{ type: "step.finished", stepName: "s", runId: R }, finish]),
  scenario("EVT-STEP-1", "an unknown step finished", [start], {
    type: "step.finished",
    stepName: "s",
    runId: R,
  }, [finish]),
  scenario("EVT-MSG-1", "text.start with a used id", [{
    type: "text.message",
    messageId: "x-m",
    role: "user",
    content: "",
  }], {
    type: "text.start",
    messageId: "x-m",
  }),
  scenario("EVT-MSG-1", "a parentless call with a message's id", [{
    type: "text.message",
    messageId: "x-c",
    role: "user",
    content: "",
  }], {
    type: "tool.start",
    toolCallId: "x-c",
    toolName: "f",
  }),
  scenario(
    "EVT-MSG-1",
    "a result's default id taken",
    [
      ...call("x-c"),
      { type: "text.message", messageId: "x-c:result", role: "user", content: "" },
    ],
    { type: "tool.result", toolCallId: "x-c", output: 1 },
    [
      { type: "tool.result", toolCallId: "x-c", output: 1, messageId: "x-t" },
    ],
  ),
  scenario("EVT-MSG-1", "llm.started with a used request id as message", [{
    type: "text.message",
    messageId: "x-q",
    role: "user",
    content: "",
  }], {
    type: "llm.started",
    requestId: "x-q",
  }),
  {
    requirement: "EVT-MSG-1",
    name: "a data message at an offset whose id is taken",
    make: (at) => ({
      setup: [{ type: "text.message", messageId: `data:${at}`, role: "user", content: "" }],
      bad: { type: "custom.event", name: "n", value: 1 },
      teardown: [],
    }),
  },
  scenario("EVT-MSG-2", "a delta of no message", [], {
    type: "text.delta",
    messageId: "x-m",
    delta: "",
  }),
  scenario("EVT-MSG-2", "a reasoning delta to a text message", [{
    type: "text.start",
    messageId: "x-m",
  }], {
    type: "reasoning.delta",
    messageId: "x-m",
    delta: "",
  }, [{ type: "text.end", messageId: "x-m" }]),
  scenario("EVT-MSG-2", "an ended message ended again", [
    { type: "reasoning.start", messageId: "x-m" },
    { type: "reasoning.end", messageId: "x-m" },
  ], { type: "reasoning.end", messageId: "x-m" }),
  scenario("EVT-TOOL-1", "a call id again", call("x-c"), {
    type: "tool.start",
    toolCallId: "x-c",
    toolName: "f",
  }),
  scenario("EVT-TOOL-1", "a snapshot's call id again", [{
    type: "messages.snapshot",
    messages: [{
      id: "x-a",
      role: "assistant",
      content: "",
      toolCalls: [{ id: "x-c", name: "f", arguments: "" }],
    }],
  }], { type: "tool.start", toolCallId: "x-c", toolName: "f", parentMessageId: "x-a" }),
  scenario("EVT-TOOL-2", "a delta after the end", call("x-c"), {
    type: "tool.delta",
    toolCallId: "x-c",
    delta: "",
  }),
  scenario(
    "EVT-TOOL-3",
    "arguments that are not JSON",
    call("x-c").slice(0, 1).concat({
      type: "tool.delta",
      toolCallId: "x-c",
      delta: '{"a":',
    }),
    { type: "tool.end", toolCallId: "x-c" },
    [
      { type: "tool.delta", toolCallId: "x-c", delta: "1}" },
      { type: "tool.end", toolCallId: "x-c" },
    ],
  ),
  scenario("EVT-TOOL-3", "an input that differs from the arguments", call("x-c").slice(0, 2), {
    type: "tool.end",
    toolCallId: "x-c",
    input: { a: 2 },
  }, [{ type: "tool.end", toolCallId: "x-c", input: { a: 1.0 } }]),
  scenario("EVT-TOOL-4", "a user message as parent", [{
    type: "text.message",
    messageId: "x-u",
    role: "user",
    content: "",
  }], {
    type: "tool.start",
    toolCallId: "x-c",
    toolName: "f",
    parentMessageId: "x-u",
  }),
  scenario("EVT-TOOL-5", "a result for an open call", call("x-c").slice(0, 1), {
    type: "tool.result",
    toolCallId: "x-c",
    output: 1,
  }, [{ type: "tool.end", toolCallId: "x-c" }]),
  scenario("EVT-TOOL-5", "two results", [...call("x-c"), {
    type: "tool.result",
    toolCallId: "x-c",
    error: "e",
  }], {
    type: "tool.result",
    toolCallId: "x-c",
    output: 1,
    messageId: "x-t2",
  }),
  scenario("EVT-TOOL-5", "output and error", call("x-c"), {
    type: "tool.result",
    toolCallId: "x-c",
    output: null,
    error: "e",
  }),
  scenario("EVT-TOOL-5", "a call that run.error closed", [
    start,
    ...inRun(call("x-c").slice(0, 1)),
    { type: "run.error", runId: R, message: "x" },
  ], { type: "tool.result", toolCallId: "x-c", output: 1 }),
  scenario("EVT-STATE-1", "a patch that does not apply", [{
    type: "state.snapshot",
    snapshot: { a: 1 },
  }], {
    type: "state.delta",
    patch: [{ op: "remove", path: "/a" }, { op: "test", path: "/a", value: 1 }],
  }, [{ type: "state.delta", patch: [{ op: "remove", path: "/a" }] }]),
  scenario("EVT-SNAP-1", "a snapshot while a message is open", [{
    type: "text.start",
    messageId: "x-m",
  }], {
    type: "messages.snapshot",
    messages: [],
  }, [{ type: "text.end", messageId: "x-m" }]),
  scenario("EVT-SNAP-1", "two tool calls with one id", [], {
    type: "messages.snapshot",
    messages: [
      {
        id: "x-a",
        role: "assistant",
        content: "",
        toolCalls: [{ id: "x-c", name: "f", arguments: "" }],
      },
      {
        id: "x-b",
        role: "assistant",
        content: "",
        toolCalls: [{ id: "x-c", name: "f", arguments: "" }],
      },
    ],
  }),
  scenario("EVT-DATA-1", "a dataId naming a user message", [{
    type: "text.message",
    messageId: "x-m",
    role: "user",
    content: "",
  }], {
    type: "custom.event",
    name: "n",
    dataId: "x-m",
  }),
  scenario("EVT-TASK-1", "a task created twice", [{ type: "task.created", taskId: "x-t" }], {
    type: "task.created",
    taskId: "x-t",
  }),
  scenario("EVT-TASK-1", "progress of an ended task", [
    { type: "task.created", taskId: "x-t" },
    { type: "task.cancelled", taskId: "x-t" },
  ], { type: "task.progress", taskId: "x-t", progress: 1 }),
  scenario("EVT-AGENT-1", "paused before started", [{ type: "agent.spawned", agentId: "x-g" }], {
    type: "agent.paused",
    agentId: "x-g",
  }),
  scenario("EVT-AGENT-1", "resumed while running", [
    { type: "agent.spawned", agentId: "x-g" },
    { type: "agent.started", agentId: "x-g" },
  ], { type: "agent.resumed", agentId: "x-g" }),
  scenario("EVT-AGENT-1", "output after stop", [
    { type: "agent.spawned", agentId: "x-g" },
    { type: "agent.stopped", agentId: "x-g" },
  ], { type: "agent.output", agentId: "x-g", stream: "stdout", text: "" }),
  scenario("EVT-LLM-1", "a token of no request", [], {
    type: "llm.token",
    requestId: "x-q",
    delta: "",
  }),
  scenario("EVT-LLM-1", "a request id again", [
    { type: "llm.started", requestId: "x-q" },
    { type: "llm.completed", requestId: "x-q" },
  ], { type: "llm.started", requestId: "x-q", messageId: "x-m2" }),
  scenario("EVT-LLM-1", "a tool result of another request's call", [
    { type: "llm.started", requestId: "x-q" },
    { type: "llm.tool-call", requestId: "x-q", toolCallId: "x-c", toolName: "f", input: {} },
    { type: "llm.completed", requestId: "x-q" },
  ], { type: "llm.tool-result", requestId: "x-q2", toolCallId: "x-c", output: 1 }),
  scenario(
    "EVT-LLM-2",
    "assistant text in a run that uses llm.*",
    [
      start,
      ...inRun([{ type: "llm.started", requestId: "x-q" }, {
        type: "llm.completed",
        requestId: "x-q",
      }]),
    ],
    { type: "text.message", runId: R, messageId: "x-m", role: "assistant", content: "" },
    [
      finish,
    ],
    "SHOULD",
  ),
  scenario(
    "EVT-LLM-2",
    "a core delta into an LLM request's message",
    [{ type: "llm.started", requestId: "x-q" }],
    {
      type: "text.delta",
      messageId: "x-q",
      delta: "",
    },
    [{ type: "llm.completed", requestId: "x-q" }],
    "SHOULD",
  ),
  scenario(
    "EVT-USAGE-1",
    "a total that is not the sum",
    [
      start,
      { type: "usage.reported", runId: R, promptTokens: 10, completionTokens: 2 },
      { type: "llm.started", runId: R, requestId: "x-q" },
      { type: "llm.usage", runId: R, requestId: "x-q", totalTokens: 5 },
      { type: "llm.completed", runId: R, requestId: "x-q" },
    ],
    { ...finish, usage: { promptTokens: 10, totalTokens: 12 } },
    [],
    "SHOULD",
  ),
];
