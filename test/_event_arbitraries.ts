// fast-check arbitraries of events valid by construction for each type of the
// vocabulary (spec/v1/events.md), for the differential schema test, and near
// misses around the schemas' conditionals and bounds. Independent of
// _schema_arbitraries.ts, which imports this file.

import fc from "fast-check";

type Obj = Record<string, unknown>;

const EMOJI = "\u{1F600}";

/** 1 to 256 code points, biased towards both bounds and astral characters. */
export const identifier: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 8 }),
  fc.string({ unit: "binary", minLength: 1, maxLength: 8 }),
  fc.constantFrom("a", "x".repeat(256), EMOJI.repeat(256), "e\u0301"),
  fc.string({ unit: "binary", minLength: 256, maxLength: 256 }),
);

const json = fc.jsonValue({ maxDepth: 2 });
const text = fc.string({ maxLength: 12 });
// Bounded, so that a mutation that scales a number cannot leave JSON (Infinity).
const finite = fc.double({ min: -1e12, max: 1e12, noNaN: true });
const tokenCount = fc.oneof(
  fc.constantFrom(0, Number.MAX_SAFE_INTEGER),
  fc.nat(),
  fc.maxSafeNat(),
);
const timestamp = fc.constantFrom("2025-06-01T12:00:00Z", "1999-12-31T23:59:60.123+01:00");

const pointer = fc
  .array(
    fc.oneof(
      fc.constantFrom("", "-", "0", "~0", "~1", "a~1b"),
      fc.stringMatching(/^[a-z0-9]{1,4}$/),
    ),
    { maxLength: 3 },
  )
  .map((tokens) => tokens.map((token) => "/" + token).join(""));

/** An object from member arbitraries, the named ones required, others present or absent. */
function members(
  model: Record<string, fc.Arbitrary<unknown>>,
  required: string[] = [],
): fc.Arbitrary<Obj> {
  return fc.record(model, { requiredKeys: required as never[] }) as fc.Arbitrary<Obj>;
}

/** Adds 0 to 2 members no definition names. */
function withUnknown(arb: fc.Arbitrary<Obj>): fc.Arbitrary<Obj> {
  const extras = fc.dictionary(fc.stringMatching(/^x-[a-z]{1,5}$/), json, { maxKeys: 2 });
  return fc.tuple(arb, extras).map(([doc, more]) => ({ ...more, ...doc }));
}

const usageModel = {
  promptTokens: tokenCount,
  completionTokens: tokenCount,
  totalTokens: tokenCount,
  reasoningTokens: tokenCount,
  cachedPromptTokens: tokenCount,
  costUsd: fc.double({ min: 0, max: 1e12, noNaN: true }),
  model: text,
  provider: text,
};
const usage = withUnknown(members(usageModel));
const metrics = fc.dictionary(
  fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("constructor", "__proto__", "prototype")),
  finite,
  { maxKeys: 4 },
);
const interrupt = withUnknown(
  members({ id: identifier, reason: text, message: text, toolCallId: identifier }, [
    "id",
    "reason",
  ]),
);

export const patchOperation: fc.Arbitrary<Obj> = withUnknown(fc.oneof(
  members({
    op: fc.constantFrom("add", "replace", "test"),
    path: pointer,
    value: json,
    from: pointer,
  }, ["op", "path", "value"]),
  members({ op: fc.constantFrom("move", "copy"), path: pointer, from: pointer, value: json }, [
    "op",
    "path",
    "from",
  ]),
  members({ op: fc.constant("remove"), path: pointer, from: pointer, value: json }, ["op", "path"]),
));

const messageBase = { id: identifier, runId: identifier };
export const conversationMessage: fc.Arbitrary<Obj> = withUnknown(fc.oneof(
  members({ ...messageBase, role: fc.constantFrom("user", "system", "developer"), content: text }, [
    "id",
    "role",
    "content",
  ]),
  members({
    ...messageBase,
    role: fc.constant("assistant"),
    content: text,
    toolCalls: fc.array(
      withUnknown(
        members({ id: identifier, name: text, arguments: text, input: json }, [
          "id",
          "name",
          "arguments",
        ]),
      ),
      { maxLength: 2 },
    ),
  }, ["id", "role", "content", "toolCalls"]),
  members({
    ...messageBase,
    role: fc.constant("reasoning"),
    content: text,
    signature: text,
    encryptedValue: text,
  }, ["id", "role", "content"]),
  members(
    {
      ...messageBase,
      role: fc.constant("tool"),
      toolCallId: identifier,
      output: json,
      error: text,
    },
    ["id", "role", "toolCallId"],
  ),
  members({ ...messageBase, role: fc.constant("data"), name: text, value: json }, [
    "id",
    "role",
    "name",
  ]),
));

const TEXT_ROLES = ["assistant", "user", "system", "developer"] as const;

/** Member arbitraries and required members of every type of the vocabulary. */
export const EVENT_MEMBERS: Readonly<
  Record<string, [Record<string, fc.Arbitrary<unknown>>, string[]]>
> = {
  "run.started": [{ threadId: identifier, parentRunId: identifier, input: json }, []],
  "run.finished": [{
    outcome: fc.constantFrom("success", "interrupt", "cancelled"),
    result: json,
    interrupts: fc.array(interrupt, { maxLength: 2 }),
    usage,
  }, ["outcome"]],
  "run.error": [{ message: text, code: text, usage }, ["message"]],
  "step.started": [{ stepName: text }, ["stepName"]],
  "step.finished": [{ stepName: text }, ["stepName"]],
  "text.start": [{ messageId: identifier, role: fc.constantFrom(...TEXT_ROLES) }, ["messageId"]],
  "text.delta": [{ messageId: identifier, delta: text }, ["messageId", "delta"]],
  "text.end": [{ messageId: identifier }, ["messageId"]],
  "text.message": [{
    messageId: identifier,
    role: fc.constantFrom(...TEXT_ROLES),
    content: text,
  }, ["messageId", "role", "content"]],
  "reasoning.start": [{ messageId: identifier }, ["messageId"]],
  "reasoning.delta": [{ messageId: identifier, delta: text }, ["messageId", "delta"]],
  "reasoning.end": [
    { messageId: identifier, signature: text, encryptedValue: text },
    ["messageId"],
  ],
  "tool.start": [
    { toolCallId: identifier, toolName: text, parentMessageId: identifier },
    ["toolCallId", "toolName"],
  ],
  "tool.delta": [{ toolCallId: identifier, delta: text }, ["toolCallId", "delta"]],
  "tool.end": [{ toolCallId: identifier, input: json }, ["toolCallId"]],
  "tool.result": [
    { toolCallId: identifier, messageId: identifier, output: json, error: text },
    ["toolCallId"],
  ],
  "state.snapshot": [{ snapshot: json }, ["snapshot"]],
  "state.delta": [{ patch: fc.array(patchOperation, { maxLength: 3 }) }, ["patch"]],
  "messages.snapshot": [{
    messages: fc.array(conversationMessage, { maxLength: 3 }),
  }, ["messages"]],
  "usage.reported": [usageModel, []],
  "custom.event": [
    { name: text, value: json, transient: fc.boolean(), dataId: identifier },
    ["name"],
  ],
  "raw.event": [{ event: json, source: text }, ["event"]],
  "task.created": [{ taskId: identifier, title: text, input: json }, ["taskId"]],
  "task.queued": [{ taskId: identifier, queue: text }, ["taskId"]],
  "task.assigned": [{ taskId: identifier, assignee: text }, ["taskId", "assignee"]],
  "task.started": [{ taskId: identifier }, ["taskId"]],
  "task.progress": [{
    taskId: identifier,
    progress: fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true })),
    message: text,
    current: finite,
    total: finite,
  }, ["taskId"]],
  "task.result": [{ taskId: identifier, value: json }, ["taskId", "value"]],
  "task.completed": [{ taskId: identifier, output: json }, ["taskId"]],
  "task.failed": [{ taskId: identifier, message: text, code: text }, ["taskId", "message"]],
  "task.cancelled": [{ taskId: identifier, reason: text }, ["taskId"]],
  "task.metrics": [{ taskId: identifier, metrics }, ["taskId", "metrics"]],
  "agent.spawned": [{
    agentId: identifier,
    name: text,
    parentAgentId: identifier,
    command: fc.array(text, { maxLength: 3 }),
  }, ["agentId"]],
  "agent.started": [{ agentId: identifier }, ["agentId"]],
  "agent.paused": [{ agentId: identifier, reason: text }, ["agentId"]],
  "agent.resumed": [{ agentId: identifier }, ["agentId"]],
  "agent.stopped": [
    { agentId: identifier, exitCode: fc.oneof(fc.integer(), fc.constant(1e21)), reason: text },
    ["agentId"],
  ],
  "agent.error": [{ agentId: identifier, message: text, code: text }, ["agentId", "message"]],
  "agent.output": [{
    agentId: identifier,
    stream: fc.constantFrom("stdout", "stderr"),
    text,
  }, ["agentId", "stream", "text"]],
  "agent.log": [{
    agentId: identifier,
    level: fc.constantFrom("debug", "info", "warn", "error"),
    message: text,
    fields: fc.dictionary(fc.string({ maxLength: 4 }), json, { maxKeys: 3 }),
  }, ["agentId", "level", "message"]],
  "agent.metrics": [{ agentId: identifier, metrics }, ["agentId", "metrics"]],
  "agent.health": [{
    agentId: identifier,
    status: fc.constantFrom("healthy", "degraded", "unhealthy"),
    detail: text,
  }, ["agentId", "status"]],
  "llm.started": [
    { requestId: identifier, model: text, provider: text, messageId: identifier },
    ["requestId"],
  ],
  "llm.token": [{ requestId: identifier, delta: text }, ["requestId", "delta"]],
  "llm.tool-call": [
    { requestId: identifier, toolCallId: identifier, toolName: text, input: json },
    ["requestId", "toolCallId", "toolName", "input"],
  ],
  "llm.tool-result": [
    { requestId: identifier, toolCallId: identifier, output: json, error: text },
    ["requestId", "toolCallId"],
  ],
  "llm.usage": [{ requestId: identifier, ...usageModel }, ["requestId"]],
  "llm.completed": [{ requestId: identifier, finishReason: text }, ["requestId"]],
  "llm.error": [{ requestId: identifier, message: text, code: text }, ["requestId", "message"]],
};

const envelopeMembers = members({
  id: identifier,
  time: timestamp,
  runId: identifier,
  meta: fc.dictionary(fc.string({ maxLength: 4 }), json, { maxKeys: 2 }),
});

/** A valid event of the given vocabulary type. */
export function eventOf(type: string): fc.Arbitrary<Obj> {
  const [model, required] = EVENT_MEMBERS[type];
  return withUnknown(
    fc.tuple(envelopeMembers, members(model, required)).map(([envelope, own]) => ({
      ...envelope,
      ...own,
      type,
    })),
  );
}

/** A valid event of any type of the vocabulary, or of a type outside it. */
export const anyEvent: fc.Arbitrary<Obj> = fc.oneof(
  ...Object.keys(EVENT_MEMBERS).map(eventOf),
  withUnknown(fc.constantFrom({ type: "com.acme.deploy.started" }, { type: "text.chunk" })),
);

// Both sides of the conditionals and bounds the vocabulary adds: patch
// operations with and without `value`/`from`, metrics under names a record
// schema skips, identifiers around 256 code points, counts around 2^53.
export const nearMissEvent: fc.Arbitrary<Obj> = fc.oneof(
  fc.record({
    type: fc.constant("state.delta"),
    patch: fc.array(
      members({
        op: fc.constantFrom("add", "remove", "replace", "move", "copy", "test", "Add"),
        path: fc.oneof(pointer, fc.constantFrom("a", "/~2", "/~")),
        from: fc.oneof(pointer, fc.constant("x")),
        value: json,
      }, ["op"]),
      { maxLength: 2 },
    ),
  }),
  fc.record({
    type: fc.constantFrom("task.metrics", "agent.metrics"),
    taskId: fc.constant("t"),
    agentId: fc.constant("a"),
    metrics: fc.dictionary(
      fc.constantFrom("constructor", "__proto__", "prototype", "n"),
      fc.oneof(finite, fc.constantFrom("1", null, [])),
      { maxKeys: 2 },
    ),
  }),
  fc.record({
    type: fc.constantFrom("text.start", "reasoning.start"),
    messageId: fc.oneof(
      fc.constantFrom("", "x".repeat(257), EMOJI.repeat(257)),
      fc.nat({ max: 3 }).map((n) => EMOJI.repeat(254 + n)),
    ),
  }),
  fc.record({
    type: fc.constantFrom("usage.reported", "llm.usage"),
    requestId: fc.constant("r"),
    totalTokens: fc.constantFrom(
      -1,
      0,
      1.5,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER + 1,
      "1",
    ),
    costUsd: fc.constantFrom(-0, 0, -1e-9, 1e21),
  }),
  fc.record({
    type: fc.constantFrom("run.finished", "run.error"),
    outcome: fc.constantFrom("success", "interrupt"),
    message: text,
    usage: fc.constantFrom([], [1], {}, { promptTokens: -1 }, null),
    interrupts: fc.constantFrom([], [[]], [{ id: "i", reason: "r" }], [{ id: "i" }]),
  }),
  fc.record({
    type: fc.constant("messages.snapshot"),
    messages: fc.array(
      members({
        id: fc.constant("m"),
        role: fc.constantFrom("user", "assistant", "reasoning", "tool", "data", "robot"),
        content: text,
        toolCalls: fc.constantFrom([], [{ id: "c", name: "n", arguments: "" }], [{ id: "c" }], {}),
        toolCallId: fc.constant("c"),
        name: text,
      }, ["id"]),
      { maxLength: 2 },
    ),
  }),
);

/** Member names of the vocabulary, for mutations. */
export const EVENT_MEMBER_NAMES: readonly string[] = [
  ...new Set([
    ...Object.values(EVENT_MEMBERS).flatMap(([model]) => Object.keys(model)),
    ..."op path from value role content toolCalls arguments toolCallId reason".split(" "),
  ]),
];
