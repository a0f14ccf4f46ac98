// Generators for the conversation projection's tests: lifecycle-valid event
// sequences from a small model, and arbitrary values that look like events.
import fc from "fast-check";
import type { StandardEvent } from "../vocabulary/standard_events.ts";

/** One step of the script a valid sequence is built from. */
interface Step {
  readonly pick: number;
  readonly n: number;
  readonly flag: boolean;
  readonly text: string;
}

interface OpenItem {
  readonly id: string;
  readonly runId: string | undefined;
}

interface OpenCall extends OpenItem {
  readonly rest: string[];
  /** The deltas sent so far, concatenated. */
  readonly arguments: string;
  /** The arguments' value when they are streamed; `tool.end` may repeat it. */
  readonly value: unknown;
}

interface Request extends OpenItem {
  readonly calls: string[];
}

// What the generator needs to know to continue a sequence validly.
class Model {
  #next = 0;
  run: string | undefined;
  texts: OpenItem[] = [];
  reasonings: OpenItem[] = [];
  calls: OpenCall[] = [];
  steps: string[] = [];
  ended: OpenItem[] = [];
  assistants: string[] = [];
  data: string[] = [];
  stateKeys: string[] = [];
  tasks: string[] = [];
  agents: { id: string; status: "spawned" | "running" | "paused" }[] = [];
  requests: Request[] = [];

  fresh(prefix: string): string {
    return `${prefix}${++this.#next}`;
  }

  /** The envelope members of an event of the active run (or of none). */
  env(): { runId?: string } {
    return this.run === undefined ? {} : { runId: this.run };
  }

  openInRun(): boolean {
    const run = this.run;
    const inRun = (item: OpenItem): boolean => item.runId === run;
    return this.texts.some(inRun) || this.reasonings.some(inRun) || this.calls.some(inRun) ||
      this.requests.some(inRun) || this.steps.length > 0;
  }

  closeRun(): void {
    const run = this.run;
    const other = (item: OpenItem): boolean => item.runId !== run;
    this.texts = this.texts.filter(other);
    this.reasonings = this.reasonings.filter(other);
    this.calls = this.calls.filter(other);
    this.requests = this.requests.filter(other);
    this.steps = [];
    this.run = undefined;
  }
}

type Action = (model: Model, step: Step) => StandardEvent[];

function at<T>(list: readonly T[], n: number): T {
  return list[n % list.length];
}

function remove<T>(list: T[], item: T): T[] {
  return list.filter((other) => other !== item);
}

function argumentValue(step: Step): unknown {
  return { q: step.text, n: step.n };
}

// The JSON text of a tool call's arguments, cut in up to two deltas, or none.
function argumentPieces(step: Step): string[] {
  const text = JSON.stringify(argumentValue(step));
  if (step.flag) return [];
  const cut = step.n % text.length;
  return cut === 0 ? [text] : [text.slice(0, cut), text.slice(cut)];
}

function usage(step: Step): { promptTokens: number; completionTokens?: number; costUsd?: number } {
  return step.flag
    ? { promptTokens: step.n, completionTokens: step.n % 7 }
    : { promptTokens: step.n, costUsd: (step.n % 5) / 4 };
}

const actions: readonly { when: (model: Model) => boolean; make: Action }[] = [
  {
    when: (m) => m.run === undefined,
    make: (m, s) => {
      m.run = m.fresh("run");
      return [{ type: "run.started", runId: m.run, ...(s.flag ? { threadId: "t" } : {}) }];
    },
  },
  {
    when: (m) => m.run !== undefined && !m.openInRun(),
    make: (m, s) => {
      const runId = m.run!;
      m.closeRun();
      const outcome = at(["success", "interrupt", "cancelled"] as const, s.n);
      return [{
        type: "run.finished",
        runId,
        outcome,
        ...(s.flag ? { usage: usage(s) } : {}),
        ...(outcome === "interrupt" ? { interrupts: [{ id: m.fresh("int"), reason: "ask" }] } : {}),
      }];
    },
  },
  {
    when: (m) => m.run !== undefined,
    make: (m, s) => {
      const runId = m.run!;
      m.closeRun();
      return [{
        type: "run.error",
        runId,
        message: s.text,
        ...(s.flag ? { usage: usage(s) } : {}),
      }];
    },
  },
  {
    when: () => true,
    make: (m, s) => {
      const id = m.fresh("msg");
      const role = at(["user", "assistant", "system"] as const, s.n);
      if (role === "assistant") m.assistants.push(id);
      return [{ type: "text.message", ...m.env(), messageId: id, role, content: s.text }];
    },
  },
  {
    when: () => true,
    make: (m, s) => {
      const id = m.fresh("msg");
      const role = s.flag ? "user" : undefined;
      if (role === undefined) m.assistants.push(id);
      m.texts.push({ id, runId: m.run });
      return [{ type: "text.start", ...m.env(), messageId: id, ...(role ? { role } : {}) }];
    },
  },
  {
    when: (m) => m.texts.length > 0,
    make: (m, s) => {
      const text = at(m.texts, s.n);
      return [{ type: "text.delta", ...m.env(), messageId: text.id, delta: s.text }];
    },
  },
  {
    when: (m) => m.texts.length > 0,
    make: (m, s) => {
      const text = at(m.texts, s.n);
      m.texts = remove(m.texts, text);
      return [{ type: "text.end", ...m.env(), messageId: text.id }];
    },
  },
  {
    when: () => true,
    make: (m) => {
      const id = m.fresh("rsn");
      m.reasonings.push({ id, runId: m.run });
      return [{ type: "reasoning.start", ...m.env(), messageId: id }];
    },
  },
  {
    when: (m) => m.reasonings.length > 0,
    make: (m, s) => {
      const item = at(m.reasonings, s.n);
      if (!s.flag) {
        return [{ type: "reasoning.delta", ...m.env(), messageId: item.id, delta: s.text }];
      }
      m.reasonings = remove(m.reasonings, item);
      return [{ type: "reasoning.end", ...m.env(), messageId: item.id, signature: s.text }];
    },
  },
  {
    when: () => true,
    make: (m, s) => {
      const id = m.fresh("call");
      const parent = s.flag || m.assistants.length === 0 ? undefined : at(m.assistants, s.n);
      if (parent === undefined) m.assistants.push(id);
      m.calls.push({
        id,
        runId: m.run,
        rest: argumentPieces(s),
        arguments: "",
        value: argumentValue(s),
      });
      return [{
        type: "tool.start",
        ...m.env(),
        toolCallId: id,
        toolName: "lookup",
        ...(parent === undefined ? {} : { parentMessageId: parent }),
      }];
    },
  },
  {
    when: (m) => m.calls.length > 0,
    make: (m, s) => {
      const call = at(m.calls, s.n);
      const [piece, ...rest] = call.rest;
      if (piece !== undefined) {
        m.calls = m.calls.map((other) =>
          other === call ? { ...call, rest, arguments: call.arguments + piece } : other
        );
        return [{ type: "tool.delta", ...m.env(), toolCallId: call.id, delta: piece }];
      }
      m.calls = remove(m.calls, call);
      m.ended.push(call);
      // Without deltas any input will do; after them, only their value.
      const streamed = call.arguments !== "";
      return [{
        type: "tool.end",
        ...m.env(),
        toolCallId: call.id,
        ...(s.flag ? {} : { input: streamed ? call.value : { n: s.n } }),
      }];
    },
  },
  {
    when: (m) => m.ended.length > 0,
    make: (m, s) => {
      const call = at(m.ended, s.n);
      m.ended = remove(m.ended, call);
      return [{
        type: "tool.result",
        ...m.env(),
        toolCallId: call.id,
        ...(s.n % 3 === 0 ? { messageId: m.fresh("res") } : {}),
        ...(s.flag ? { error: s.text } : { output: { n: s.n } }),
      }];
    },
  },
  {
    when: () => true,
    make: (m, s) => {
      const existing = m.data.length > 0 && s.n % 2 === 0 ? at(m.data, s.n) : undefined;
      const dataId = existing ?? (s.n % 3 === 0 ? undefined : m.fresh("data"));
      if (dataId !== undefined && existing === undefined) m.data.push(dataId);
      return [{
        type: "custom.event",
        ...m.env(),
        name: s.text,
        ...(s.n % 4 === 1 ? {} : { value: s.n }),
        ...(s.flag ? { transient: s.n % 2 === 0 } : {}),
        ...(dataId === undefined ? {} : { dataId }),
      }];
    },
  },
  {
    when: (m) =>
      m.texts.length === 0 && m.reasonings.length === 0 && m.calls.length === 0 &&
      m.requests.length === 0,
    make: (m, s) => {
      const user = m.fresh("snap");
      const assistant = m.fresh("snap");
      m.assistants = [assistant];
      m.data = [];
      return [{
        type: "messages.snapshot",
        ...m.env(),
        messages: [
          { id: user, role: "user", content: s.text },
          { id: assistant, role: "assistant", content: "", toolCalls: [] },
        ],
      }];
    },
  },
  {
    when: () => true,
    make: (m, s) => {
      if (s.flag || m.stateKeys.length === 0) {
        m.stateKeys = ["a"];
        return [{ type: "state.snapshot", ...m.env(), snapshot: { a: s.n } }];
      }
      const key = m.fresh("k");
      m.stateKeys.push(key);
      return [{
        type: "state.delta",
        ...m.env(),
        patch: [{ op: "add", path: `/${key}`, value: s.text }],
      }];
    },
  },
  {
    when: () => true,
    make: (m, s) => [{ type: "usage.reported", ...m.env(), ...usage(s) }],
  },
  {
    when: (m) => m.run !== undefined,
    make: (m, s) => {
      if (m.steps.length > 0 && s.flag) {
        const name = m.steps.pop()!;
        return [{ type: "step.finished", ...m.env(), stepName: name }];
      }
      const name = m.fresh("step");
      m.steps.push(name);
      return [{ type: "step.started", ...m.env(), stepName: name }];
    },
  },
  {
    when: () => true,
    make: (m, s) => {
      const id = m.fresh("task");
      m.tasks.push(id);
      return [{ type: "task.created", taskId: id, ...(s.flag ? { title: s.text } : {}) }];
    },
  },
  {
    when: (m) => m.tasks.length > 0,
    make: (m, s) => {
      const taskId = at(m.tasks, s.n);
      switch (s.n % 9) {
        case 1:
          return [{ type: "task.queued", taskId, ...(s.flag ? { queue: "q" } : {}) }];
        case 2:
          return [{ type: "task.assigned", taskId, assignee: s.text }];
        case 3:
          return [{ type: "task.started", taskId }];
        case 5:
          return [{ type: "task.progress", taskId, progress: (s.n % 11) / 10, message: s.text }];
        case 6:
          return [{ type: "task.result", taskId, value: s.n }];
        case 7:
          return [{ type: "task.metrics", taskId, metrics: { [s.text || "m"]: s.n } }];
        default:
          m.tasks = remove(m.tasks, taskId);
          return [
            s.flag
              ? { type: "task.completed", taskId, output: s.n }
              : { type: "task.failed", taskId, message: s.text },
          ];
      }
    },
  },
  {
    when: () => true,
    make: (m) => {
      const id = m.fresh("agent");
      m.agents.push({ id, status: "spawned" });
      return [{ type: "agent.spawned", agentId: id }];
    },
  },
  {
    when: (m) => m.agents.length > 0,
    make: (m, s) => {
      const agent = at(m.agents, s.n);
      const agentId = agent.id;
      const set = (status: "running" | "paused"): void => {
        m.agents = m.agents.map((other) => other === agent ? { id: agentId, status } : other);
      };
      if (agent.status === "spawned" && s.flag) {
        set("running");
        return [{ type: "agent.started", agentId }];
      }
      if (agent.status === "running" && s.flag) {
        set("paused");
        return [{ type: "agent.paused", agentId }];
      }
      if (agent.status === "paused" && s.flag) {
        set("running");
        return [{ type: "agent.resumed", agentId }];
      }
      switch (s.n % 6) {
        case 1:
          return [{ type: "agent.output", agentId, stream: "stdout", text: s.text }];
        case 2:
          return [{ type: "agent.log", agentId, level: "info", message: s.text }];
        case 3:
          return [{ type: "agent.health", agentId, status: "degraded" }];
        case 4:
          return [{ type: "agent.error", agentId, message: s.text }];
        default:
          m.agents = m.agents.filter((other) => other !== agent);
          return [{ type: "agent.stopped", agentId, exitCode: s.n % 2 }];
      }
    },
  },
  {
    when: () => true,
    make: (m, s) => {
      const requestId = m.fresh("req");
      const messageId = s.flag ? m.fresh("msg") : undefined;
      const id = messageId ?? requestId;
      m.assistants.push(id);
      m.requests.push({ id: requestId, runId: m.run, calls: [] });
      return [{
        type: "llm.started",
        ...m.env(),
        requestId,
        model: "m",
        ...(messageId === undefined ? {} : { messageId }),
      }];
    },
  },
  {
    when: (m) => m.requests.length > 0,
    make: (m, s) => {
      const request = at(m.requests, s.n);
      const requestId = request.id;
      switch (s.n % 6) {
        case 0:
        case 1:
          return [{ type: "llm.token", ...m.env(), requestId, delta: s.text }];
        case 2: {
          const toolCallId = m.fresh("call");
          m.requests = m.requests.map((other) =>
            other === request ? { ...request, calls: [...request.calls, toolCallId] } : other
          );
          return [{
            type: "llm.tool-call",
            ...m.env(),
            requestId,
            toolCallId,
            toolName: "lookup",
            input: { q: s.text },
          }];
        }
        case 3: {
          const toolCallId = request.calls[0];
          if (toolCallId === undefined) return [];
          m.requests = m.requests.map((other) =>
            other === request ? { ...request, calls: request.calls.slice(1) } : other
          );
          return [{ type: "llm.tool-result", ...m.env(), requestId, toolCallId, output: s.n }];
        }
        case 4:
          return [{ type: "llm.usage", ...m.env(), requestId, ...usage(s) }];
        default:
          m.requests = remove(m.requests, request);
          return [
            s.flag
              ? { type: "llm.completed", ...m.env(), requestId, finishReason: "stop" }
              : { type: "llm.error", ...m.env(), requestId, message: s.text },
          ];
      }
    },
  },
  {
    when: () => true,
    make: (m, s) => [
      s.flag
        ? { type: "raw.event", ...m.env(), event: { anything: s.n } }
        : ({ type: "com.example.thing.happened", ...m.env(), n: s.n } as unknown as StandardEvent),
    ],
  },
];

// Actions that continue something (a delta, an end) are picked more often than
// those that begin something, so that sequences get deep, not only wide.
function weighted<T extends { when: (model: Model) => boolean }>(
  possible: readonly T[],
  pick: number,
): T {
  const weightOf = (action: T): number => action.when(new Model()) ? 1 : 4;
  const total = possible.reduce((sum, action) => sum + weightOf(action), 0);
  let left = pick % total;
  for (const action of possible) {
    left -= weightOf(action);
    if (left < 0) return action;
  }
  return possible[0];
}

const step: fc.Arbitrary<Step> = fc.record({
  pick: fc.nat(),
  n: fc.nat({ max: 1000 }),
  flag: fc.boolean(),
  text: fc.string({ maxLength: 6 }),
});

/**
 * Event sequences that follow the lifecycle rules: runs with text,
 * reasoning, tool calls (arguments streamed as JSON), results, data,
 * snapshots, state, usage, steps, tasks, agents, LLM requests and a type of
 * no one's vocabulary.
 */
export function validEvents(maxLength = 40): fc.Arbitrary<StandardEvent[]> {
  return fc.array(step, { maxLength, size: "max" }).map((steps) => {
    const model = new Model();
    const events: StandardEvent[] = [];
    for (const s of steps) {
      const possible = actions.filter((action) => action.when(model));
      events.push(...weighted(possible, s.pick).make(model, s));
    }
    return events;
  });
}

const ids = fc.constantFrom("a", "b", "c", "run1", "a:result", "data:0");
const types = fc.constantFrom(
  "run.started",
  "run.finished",
  "run.error",
  "text.start",
  "text.delta",
  "text.end",
  "text.message",
  "reasoning.start",
  "reasoning.end",
  "tool.start",
  "tool.delta",
  "tool.end",
  "tool.result",
  "custom.event",
  "messages.snapshot",
  "state.snapshot",
  "state.delta",
  "usage.reported",
  "task.created",
  "task.started",
  "agent.spawned",
  "agent.paused",
  "llm.started",
  "llm.token",
  "llm.tool-call",
  "llm.tool-result",
  "llm.completed",
  "step.started",
  "com.example.x.y",
  "text",
);

/**
 * Values that look like events, mostly of the vocabulary, with members drawn
 * from small pools so that ids collide; some invalid, some not envelopes.
 */
export function anyEvent(): fc.Arbitrary<unknown> {
  const member = fc.oneof(ids, fc.integer({ min: -1, max: 3 }), fc.constant(null), fc.boolean());
  const event = fc.record({
    type: types,
    runId: fc.option(fc.constantFrom("run1", "run2"), { nil: undefined }),
    messageId: ids,
    toolCallId: ids,
    parentMessageId: fc.option(ids, { nil: undefined }),
    requestId: ids,
    taskId: ids,
    agentId: ids,
    dataId: fc.option(ids, { nil: undefined }),
    delta: fc.oneof(fc.constantFrom("{", "}", '"x"', "1"), fc.string({ maxLength: 3 })),
    toolName: fc.constant("f"),
    name: fc.constant("n"),
    role: fc.option(fc.constantFrom("user", "assistant", "tool"), { nil: undefined }),
    content: fc.constant("c"),
    outcome: fc.constantFrom("success", "interrupt", "oops"),
    message: fc.constant("m"),
    output: fc.option(member, { nil: undefined }),
    error: fc.option(fc.constant("e"), { nil: undefined }),
    input: fc.option(member, { nil: undefined }),
    value: fc.option(member, { nil: undefined }),
    transient: fc.option(fc.boolean(), { nil: undefined }),
    snapshot: fc.option(fc.jsonValue({ maxDepth: 1 }), { nil: undefined }),
    patch: fc.array(
      fc.record({
        op: fc.constantFrom("add", "remove", "test"),
        path: fc.constantFrom("", "/a", "/b/0"),
        value: member,
      }),
      { maxLength: 2 },
    ),
    messages: fc.array(
      fc.record({
        id: ids,
        role: fc.constantFrom("user", "assistant"),
        content: fc.constant("s"),
        toolCalls: fc.constant([]),
      }),
      { maxLength: 2 },
    ),
    promptTokens: fc.option(fc.integer({ min: -1, max: 5 }), { nil: undefined }),
    usage: fc.option(fc.record({ promptTokens: fc.nat(5) }), { nil: undefined }),
  }, { requiredKeys: ["type"] });
  return fc.oneof(
    { weight: 20, arbitrary: event.map(dropUndefined) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined));
}

/** Freezes a value and everything reachable from it, so that any mutation throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
