// A small generator of lifecycle-valid event sequences for the tests of
// lifecycle.ts and normalize_event.ts. It interprets a list of numbers as
// choices among the events that may come next, keeping its own model of what
// is open; every block it makes ends with nothing open and no run active, and
// draws its ids from its own namespace, so blocks can be concatenated.

import fc from "fast-check";
import type { Envelope } from "../protocol/envelope.ts";

type Event = Envelope;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Call {
  id: string;
  text: string;
  input: Json;
  sent: number;
  requestId?: string;
}

interface Run {
  id: string;
  mode: "core" | "llm";
  steps: string[];
  texts: string[];
  reasonings: string[];
  calls: Call[];
  request?: { id: string; messageId: string };
  sums: Record<string, number>;
  reports: number;
}

const INPUTS: readonly Json[] = [
  {},
  { city: "Oslo" },
  { q: "a\u2028b", n: [1, 2.5, -0.25], deep: { ok: true, none: null } },
  [],
  "text",
  42,
  null,
];

/** Reorders an object's members, so that equal inputs are not always equal texts. */
function reordered(value: Json): Json {
  if (Array.isArray(value)) return value.map(reordered);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)]));
}

class Builder {
  readonly events: Event[] = [];
  #next = 0;
  #choices: readonly number[];
  #at = 0;
  run: Run | undefined;
  runs = 0;
  /** Message ids and roles of the conversation. */
  messages: Map<string, string> = new Map();
  openUser: string[] = [];
  unanswered: { id: string; requestId?: string }[] = [];
  data: string[] = [];
  state: Record<string, number> | undefined;
  tasks: string[] = [];
  agents: Map<string, "spawned" | "running" | "paused"> = new Map();

  constructor(readonly ns: string, choices: readonly number[]) {
    this.#choices = choices;
  }

  fresh(kind: string): string {
    return `${this.ns}${kind}${++this.#next}`;
  }

  pick(n: number): number {
    const choice = this.#choices[this.#at % Math.max(1, this.#choices.length)] ?? 0;
    this.#at++;
    return n <= 1 ? 0 : choice % n;
  }

  emit(event: Event): void {
    this.events.push(event);
  }

  get done(): boolean {
    return this.#at >= this.#choices.length;
  }
}

/** One event (or a few) chosen from what may come next. */
function step(b: Builder): void {
  const actions = b.run === undefined ? outside(b) : inside(b, b.run);
  actions[b.pick(actions.length)]();
}

function outside(b: Builder): (() => void)[] {
  const actions: (() => void)[] = [
    () => {
      const id = b.fresh("r");
      b.runs++;
      b.run = {
        id,
        mode: b.pick(2) === 0 ? "core" : "llm",
        steps: [],
        texts: [],
        reasonings: [],
        calls: [],
        sums: {},
        reports: 0,
      };
      b.emit({ type: "run.started", runId: id, ...(b.pick(2) ? { threadId: "t" } : {}) });
    },
    () => userMessage(b, undefined),
    () => {
      const id = b.fresh("u");
      b.openUser.push(id);
      b.messages.set(id, "user");
      b.emit({ type: "text.start", messageId: id, role: "user" });
    },
    () => stateEvent(b),
    () => familyEvent(b),
    () => familyEvent(b),
    () => dataEvent(b, undefined),
    () => b.emit({ type: "com.example.note", text: "unknown types are ignored" }),
    () => b.emit({ type: "raw.event", event: { kind: "x" } }),
  ];
  if (b.openUser.length > 0) {
    const id = b.openUser[b.pick(b.openUser.length)];
    actions.push(() => b.emit({ type: "text.delta", messageId: id, delta: "more " }));
    actions.push(() => {
      b.openUser.splice(b.openUser.indexOf(id), 1);
      b.emit({ type: "text.end", messageId: id });
    });
  } else {
    actions.push(() => messagesSnapshot(b));
  }
  if (b.unanswered.length > 0) actions.push(() => answer(b, undefined));
  return actions;
}

function userMessage(b: Builder, runId: string | undefined): void {
  const id = b.fresh("u");
  b.messages.set(id, "user");
  b.emit({ type: "text.message", messageId: id, role: "user", content: "hello", runId });
}

function stateEvent(b: Builder): void {
  const keys = Object.keys(b.state ?? {});
  if (b.state === undefined || b.pick(4) === 0) {
    b.state = { a: 1 };
    b.emit({ type: "state.snapshot", snapshot: { a: 1 } });
    return;
  }
  const state = b.state;
  const key = keys[b.pick(Math.max(1, keys.length))];
  const ops = [
    () => {
      const k = b.fresh("k");
      state[k] = 1;
      return [{ op: "add", path: `/${k}`, value: 1 }];
    },
    () => {
      if (key === undefined) return [];
      state[key] += 1;
      return [{ op: "test", path: `/${key}`, value: state[key] - 1 }, {
        op: "replace",
        path: `/${key}`,
        value: state[key],
      }];
    },
    () => {
      if (key === undefined) return [];
      delete state[key];
      return [{ op: "remove", path: `/${key}` }];
    },
  ];
  b.emit({ type: "state.delta", patch: ops[b.pick(ops.length)]() });
}

function familyEvent(b: Builder): void {
  const live = b.tasks;
  const agents = [...b.agents];
  // Few at a time, so that each goes through its states.
  const actions: (() => void)[] = [];
  if (live.length < 2) {
    actions.push(() => {
      const id = b.fresh("task");
      live.push(id);
      b.emit({ type: "task.created", taskId: id, title: "t" });
    });
  }
  if (agents.length < 2) {
    actions.push(() => {
      const id = b.fresh("agent");
      b.agents.set(id, "spawned");
      b.emit({ type: "agent.spawned", agentId: id });
    });
  }
  if (live.length > 0) {
    const taskId = live[b.pick(live.length)];
    actions.push(() => {
      const kinds = [
        { type: "task.queued" },
        { type: "task.assigned", assignee: "x" },
        { type: "task.started" },
        { type: "task.progress", progress: 0.5 },
        { type: "task.result", value: 1 },
        { type: "task.metrics", metrics: { n: 1 } },
        { type: "task.completed" },
        { type: "task.failed", message: "no" },
        { type: "task.cancelled" },
      ];
      const kind = kinds[b.pick(kinds.length)];
      if (["task.completed", "task.failed", "task.cancelled"].includes(kind.type)) {
        live.splice(live.indexOf(taskId), 1);
      }
      b.emit({ ...kind, taskId });
    });
  }
  if (agents.length > 0) {
    const [agentId, status] = agents[b.pick(agents.length)];
    const act = () => {
      const next: Event[] = [{ type: "agent.log", level: "info", message: "m" }, {
        type: "agent.stopped",
      }];
      const move = { spawned: "agent.started", running: "agent.paused", paused: "agent.resumed" };
      next.push({ type: move[status] }, { type: move[status] });
      const event = next[b.pick(next.length)];
      if (event.type === "agent.stopped") b.agents.delete(agentId);
      if (event.type === "agent.started" || event.type === "agent.resumed") {
        b.agents.set(agentId, "running");
      }
      if (event.type === "agent.paused") b.agents.set(agentId, "paused");
      b.emit({ ...event, agentId });
    };
    actions.push(act, act);
  }
  actions[b.pick(actions.length)]();
}

function dataEvent(b: Builder, runId: string | undefined): void {
  const choice = b.pick(3);
  if (choice === 0) {
    b.emit({ type: "custom.event", name: "ping", transient: true, runId });
  } else if (choice === 1 && b.data.length > 0) {
    const dataId = b.data[b.pick(b.data.length)];
    b.emit({ type: "custom.event", name: "chart", value: 2, dataId, runId });
  } else {
    const dataId = b.fresh("d");
    b.data.push(dataId);
    b.messages.set(dataId, "data");
    b.emit({ type: "custom.event", name: "chart", value: 1, dataId, runId });
  }
}

function messagesSnapshot(b: Builder): void {
  const user = b.fresh("u");
  const assistant = b.fresh("a");
  const call = b.fresh("c");
  const answered = b.pick(2) === 0;
  b.messages = new Map([[user, "user"], [assistant, "assistant"]]);
  b.data = [];
  const messages: Json[] = [
    { id: user, role: "user", content: "q" },
    {
      id: assistant,
      role: "assistant",
      content: "",
      toolCalls: [{ id: call, name: "f", arguments: "{}", input: {} }],
    },
  ];
  if (answered) {
    const result = b.fresh("t");
    b.messages.set(result, "tool");
    messages.push({ id: result, role: "tool", toolCallId: call, output: 1 });
  } else {
    b.unanswered.push({ id: call });
  }
  b.emit({ type: "messages.snapshot", messages });
}

function answer(b: Builder, runId: string | undefined): void {
  const [call] = b.unanswered.splice(b.pick(b.unanswered.length), 1);
  const outcome = b.pick(2) === 0 ? { output: { ok: true } } : { error: "failed" };
  if (call.requestId !== undefined && b.pick(2) === 0) {
    b.messages.set(`${call.id}:result`, "tool");
    b.emit({
      type: "llm.tool-result",
      requestId: call.requestId,
      toolCallId: call.id,
      runId,
      ...outcome,
    });
    return;
  }
  const messageId = b.pick(2) === 0 ? b.fresh("t") : undefined;
  b.messages.set(messageId ?? `${call.id}:result`, "tool");
  b.emit({ type: "tool.result", toolCallId: call.id, messageId, runId, ...outcome });
}

function report(b: Builder, run: Run, type: "usage.reported" | "llm.usage"): void {
  const usage: Record<string, number> = { promptTokens: b.pick(50), completionTokens: b.pick(20) };
  if (b.pick(2)) usage.totalTokens = b.pick(100);
  if (b.pick(2)) usage.costUsd = b.pick(7) / 10;
  const total = usage.totalTokens ?? usage.promptTokens + usage.completionTokens;
  for (const [k, v] of Object.entries({ ...usage, totalTokens: total })) {
    run.sums[k] = (run.sums[k] ?? 0) + v;
  }
  run.reports++;
  const request = type === "llm.usage" ? { requestId: run.request!.id } : {};
  b.emit({ type, runId: run.id, ...request, ...usage });
}

function startCall(b: Builder, run: Run): void {
  const id = b.fresh("c");
  const input = INPUTS[b.pick(INPUTS.length)];
  const assistants = [...b.messages].filter(([, role]) => role === "assistant").map(([m]) => m);
  const parent = b.pick(2) === 0 && assistants.length > 0
    ? assistants[b.pick(assistants.length)]
    : undefined;
  if (parent === undefined) b.messages.set(id, "assistant");
  run.calls.push({ id, text: JSON.stringify(input), input, sent: 0 });
  b.emit({
    type: "tool.start",
    runId: run.id,
    toolCallId: id,
    toolName: "f",
    parentMessageId: parent,
  });
}

function sendArguments(b: Builder, run: Run, call: Call): void {
  const size = 1 + b.pick(6);
  const delta = call.text.slice(call.sent, call.sent + size);
  call.sent += delta.length;
  b.emit({ type: "tool.delta", runId: run.id, toolCallId: call.id, delta });
}

function endCall(b: Builder, run: Run, call: Call): void {
  // Arguments are sent whole or not at all; `input` is optional when sent.
  while (call.sent > 0 && call.sent < call.text.length) sendArguments(b, run, call);
  run.calls.splice(run.calls.indexOf(call), 1);
  b.unanswered.push({ id: call.id });
  const input = call.sent === 0 || b.pick(2) === 0 ? { input: reordered(call.input) } : {};
  b.emit({ type: "tool.end", runId: run.id, toolCallId: call.id, ...input });
}

function inside(b: Builder, run: Run): (() => void)[] {
  const r = run.id;
  const actions: (() => void)[] = [
    () => {
      const name = b.fresh("s");
      run.steps.push(name);
      b.emit({ type: "step.started", runId: r, stepName: name });
    },
    () => {
      const id = b.fresh("th");
      run.reasonings.push(id);
      b.messages.set(id, "reasoning");
      b.emit({ type: "reasoning.start", runId: r, messageId: id });
    },
    () => userMessage(b, b.pick(2) ? r : undefined),
    () => dataEvent(b, r),
    () => stateEvent(b),
    () => familyEvent(b),
    () => finish(b, run),
  ];
  if (run.steps.length > 0) {
    actions.push(() => {
      const [name] = run.steps.splice(b.pick(run.steps.length), 1);
      b.emit({ type: "step.finished", runId: r, stepName: name });
    });
  }
  for (const id of run.reasonings.slice(0, 1)) {
    actions.push(() => b.emit({ type: "reasoning.delta", runId: r, messageId: id, delta: "hm" }));
    actions.push(() => {
      run.reasonings.splice(run.reasonings.indexOf(id), 1);
      b.emit({ type: "reasoning.end", runId: r, messageId: id, signature: "s" });
    });
  }
  if (b.unanswered.length > 0) actions.push(() => answer(b, b.pick(2) ? r : undefined));
  // Model output, twice as likely as the rest.
  const output = run.mode === "core" ? coreActions(b, run) : llmActions(b, run);
  actions.push(...output, ...output);
  return actions;
}

function coreActions(b: Builder, run: Run): (() => void)[] {
  const r = run.id;
  const actions: (() => void)[] = [
    () => {
      const id = b.fresh("m");
      run.texts.push(id);
      b.messages.set(id, "assistant");
      b.emit({
        type: "text.start",
        runId: r,
        messageId: id,
        role: b.pick(2) ? "assistant" : undefined,
      });
    },
    () => {
      const id = b.fresh("m");
      b.messages.set(id, "assistant");
      b.emit({ type: "text.message", runId: r, messageId: id, role: "assistant", content: "ok" });
    },
    () => startCall(b, run),
    () => report(b, run, "usage.reported"),
  ];
  for (const id of run.texts.slice(-1)) {
    actions.push(() => b.emit({ type: "text.delta", runId: r, messageId: id, delta: "Hel" }));
    actions.push(() => {
      run.texts.splice(run.texts.indexOf(id), 1);
      b.emit({ type: "text.end", runId: r, messageId: id });
    });
  }
  for (const call of run.calls.slice(0, 1)) {
    if (call.sent < call.text.length) actions.push(() => sendArguments(b, run, call));
    actions.push(() => endCall(b, run, call));
  }
  return actions;
}

function llmActions(b: Builder, run: Run): (() => void)[] {
  const r = run.id;
  const request = run.request;
  if (request === undefined) {
    return [() => {
      const id = b.fresh("q");
      const messageId = b.pick(2) ? b.fresh("m") : id;
      run.request = { id, messageId };
      // Not a parent for core tool calls (EVT-LLM-2).
      b.messages.set(messageId, "llm");
      b.emit({
        type: "llm.started",
        runId: r,
        requestId: id,
        model: "m",
        messageId: messageId === id ? undefined : messageId,
      });
    }];
  }
  return [
    () => b.emit({ type: "llm.token", runId: r, requestId: request.id, delta: "tok " }),
    () => {
      const id = b.fresh("c");
      b.unanswered.push({ id, requestId: request.id });
      b.emit({
        type: "llm.tool-call",
        runId: r,
        requestId: request.id,
        toolCallId: id,
        toolName: "f",
        input: INPUTS[b.pick(INPUTS.length)],
      });
    },
    () => report(b, run, "llm.usage"),
    () => {
      run.request = undefined;
      b.emit(
        b.pick(3) === 0
          ? { type: "llm.error", runId: r, requestId: request.id, message: "x" }
          : { type: "llm.completed", runId: r, requestId: request.id, finishReason: "stop" },
      );
    },
  ];
}

/** Closes what the run left open, then ends it. */
function finish(b: Builder, run: Run): void {
  const r = run.id;
  if (b.pick(5) === 0) {
    // run.error may leave things open: it closes them.
    b.emit({ type: "run.error", runId: r, message: "failed", ...usage(b, run) });
    b.run = undefined;
    return;
  }
  for (const id of run.texts) b.emit({ type: "text.end", runId: r, messageId: id });
  for (const id of run.reasonings) b.emit({ type: "reasoning.end", runId: r, messageId: id });
  for (const call of [...run.calls]) endCall(b, run, call);
  for (const name of run.steps) b.emit({ type: "step.finished", runId: r, stepName: name });
  if (run.request !== undefined) {
    b.emit({ type: "llm.completed", runId: r, requestId: run.request.id });
  }
  const interrupt = b.pick(3) === 0;
  b.emit({
    type: "run.finished",
    runId: r,
    outcome: interrupt ? "interrupt" : b.pick(2) ? "success" : "cancelled",
    ...(interrupt ? { interrupts: [{ id: b.fresh("i"), reason: "approval" }] } : {}),
    ...usage(b, run),
  });
  b.run = undefined;
}

function usage(b: Builder, run: Run): Record<string, unknown> {
  if (b.pick(2) === 0) return {};
  if (run.reports === 0) return { usage: { promptTokens: 3 } };
  return { usage: { ...run.sums } };
}

/** A lifecycle-valid block: ids start with `ns`; it ends with nothing open. */
export function validBlock(ns: string, choices: readonly number[]): Event[] {
  const b = new Builder(ns, choices);
  while (!b.done) step(b);
  if (b.run !== undefined) finish(b, b.run);
  for (const id of b.openUser) b.emit({ type: "text.end", messageId: id });
  return b.events;
}

/** Lifecycle-valid sequences of up to about `maxChoices` events. */
export function validSequence(ns = "p-", maxChoices = 60): fc.Arbitrary<Event[]> {
  return fc.array(fc.nat({ max: 1 << 20 }), { maxLength: maxChoices, size: "max" }).map((choices) =>
    validBlock(ns, choices)
  );
}
