// A consumer adapter around the fold of _mutant_fold.ts with one bug, chosen
// by `--bug <name>`: each breaks one rule of projection.md, the way a real
// consumer might get it wrong. consumer_suite_test.ts proves the suite
// catches each, citing that rule. `--bug none` is the fold without a bug.

import process from "node:process";
import { runConsumerAdapter } from "../../../conformance/adapters/_consumer_lines.ts";
import { projectionAdapter } from "../../../conformance/adapters/projection_adapter.ts";
import type { Conversation } from "../../../src/conversation/conversation.ts";
import type { ConversationProjectionState } from "../../../src/conversation/project_conversation.ts";
import { reduceConversation } from "../../../src/conversation/reduce_conversation.ts";
import { addUsage } from "../../../src/conversation/_usage.ts";
import type { StandardEvent } from "../../../src/vocabulary/standard_events.ts";
import type { Usage } from "../../../src/vocabulary/usage.ts";
import { eventKind } from "../../../conformance/agent/_reference.ts";
import { type FoldHooks, MutantFold } from "./_mutant_fold.ts";

type Json = Record<string, unknown>;

/** A bug: the hooks it puts in the fold, and whether its consumer resumes whole. */
interface Bug {
  readonly hooks?: () => FoldHooks;
  /** Resumes with the projection only, forgetting the lifecycle bookkeeping. */
  readonly forgetsBookkeeping?: boolean;
}

const moveToEnd = (messages: Conversation["messages"], id: string) => {
  const index = messages.findIndex((m) => m.id === id && m.role === "tool");
  if (index < 0) return messages;
  return [...messages.slice(0, index), ...messages.slice(index + 1), messages[index]];
};

/** The bugs, by name, each with the requirement it breaks. */
const BUGS: Record<string, Bug> = {
  none: {},
  // PROJ-RESULT-2: a tool result is appended at the end, not after its call.
  "result-at-end": {
    hooks: () => ({
      after(_before, after, event) {
        if (event.type !== "tool.result" && event.type !== "llm.tool-result") return after;
        const id = typeof event.messageId === "string"
          ? event.messageId
          : `${event.toolCallId}:result`;
        return { ...after, messages: moveToEnd(after.messages, id) };
      },
    }),
  },
  // PROJ-DATA-3: transient custom events become data messages too.
  "transient-kept": {
    hooks: () => ({
      rewrite: (value) =>
        (value as Json)?.type === "custom.event" && (value as Json).transient === true
          ? { ...(value as Json), transient: false }
          : value,
    }),
  },
  // PROJ-USAGE-2: a run's own usage is added even when the run had reports.
  "usage-double-counted": {
    hooks: () => ({
      after(before, after, event) {
        if (event.type !== "run.finished" && event.type !== "run.error") return after;
        const run = before.runs.find((r) => r.runId === event.runId);
        if (!run?.usage || !event.usage) return after;
        return { ...after, usage: addUsage(after.usage, event.usage as Usage) };
      },
    }),
  },
  // PROJ-FOLD-3: events the lifecycle rules refuse are folded anyway.
  "refused-applied": {
    hooks: () => ({
      ignored: (conversation, value, offset, kind) =>
        kind === "refused" && !String((value as Json).type).startsWith("llm.")
          ? reduceConversation(conversation, value as StandardEvent, offset)
          : conversation,
    }),
  },
  // PROJ-RUN-4: run.error leaves open what its run began.
  "open-kept-on-error": {
    hooks: () => ({
      after: (before, after, event) =>
        event.type === "run.error" ? { ...after, open: before.open } : after,
    }),
  },
  // ENV-UNKNOWN-2: a vendor's type named after a known one is folded as that one.
  "unknown-as-known": {
    hooks: () => ({
      ignored(conversation, value, offset, kind) {
        const type = String((value as Json | null)?.type);
        if (kind !== "unknown" || !/^[a-z]+\.[a-z]+\./.test(type)) return conversation;
        const known = { ...(value as Json), type: type.split(".").slice(2).join(".") };
        return eventKind(known, false) === "admitted"
          ? reduceConversation(conversation, known as StandardEvent, offset)
          : conversation;
      },
    }),
  },
  // ENV-UNKNOWN-2: the consumer fails on a type it does not know.
  "fails-on-unknown": {
    hooks: () => ({
      ignored(conversation, value, _offset, kind) {
        if (kind !== "unknown") return conversation;
        throw new TypeError(`no handler for ${(value as Json).type}`);
      },
    }),
  },
  // PROJ-FOLD-2: events that fail their schema are folded with what they have.
  "schema-unchecked": {
    hooks: () => ({
      ignored(conversation, value, offset, kind) {
        if (kind !== "schema") return conversation;
        try {
          return reduceConversation(conversation, value as StandardEvent, offset);
        } catch {
          return conversation;
        }
      },
    }),
  },
  // PROJ-LLM-1: an llm.started message takes the requestId even when messageId is given.
  "llm-request-id": {
    hooks: () => ({
      rewrite(value) {
        const event = value as Json;
        if (event?.type !== "llm.started" || event.messageId === undefined) return value;
        const { messageId: _dropped, ...rest } = event;
        return rest;
      },
    }),
  },
  // PROJ-JSON-3: llm.tool-call arguments written as indented JSON.
  "arguments-indented": {
    hooks: () => ({
      after(_before, after, event) {
        if (event.type !== "llm.tool-call") return after;
        const indent = (text: string) => JSON.stringify(JSON.parse(text), null, 1);
        return {
          ...after,
          messages: after.messages.map((m) =>
            m.role !== "assistant" ? m : {
              ...m,
              toolCalls: m.toolCalls.map((c) =>
                c.id === event.toolCallId ? { ...c, arguments: indent(c.arguments) } : c
              ),
            }
          ),
        };
      },
    }),
  },
  // PROJ-TEXT-1: text.start without a role makes a user message.
  "role-default-user": {
    hooks: () => ({
      after(_before, after, event) {
        if (event.type !== "text.start" || event.role !== undefined) return after;
        const last = after.messages.at(-1)!;
        const { toolCalls: _none, ...user } = last as unknown as Json;
        return {
          ...after,
          messages: [...after.messages.slice(0, -1), {
            ...user,
            role: "user",
          }] as Conversation["messages"],
        };
      },
    }),
  },
  // PROJ-TOOL-4: tool.end's input is ignored; input always comes from the arguments.
  "input-from-arguments": {
    hooks: () => ({
      after(_before, after, event) {
        if (event.type !== "tool.end" || event.input === undefined) return after;
        const fromArguments = (text: string) => {
          try {
            return text === "" ? {} : { input: JSON.parse(text) };
          } catch {
            return {};
          }
        };
        return {
          ...after,
          messages: after.messages.map((m) =>
            m.role !== "assistant" ? m : {
              ...m,
              toolCalls: m.toolCalls.map((c) => {
                if (c.id !== event.toolCallId) return c;
                const { input: _ignored, ...call } = c;
                return { ...call, ...fromArguments(c.arguments) };
              }),
            }
          ),
        };
      },
    }),
  },
  // PROJ-RUN-2: run.finished drops its interrupts.
  "interrupts-dropped": {
    hooks: () => ({
      after: (_before, after, event) =>
        event.type !== "run.finished" ? after : {
          ...after,
          runs: after.runs.map((r) => {
            const { interrupts: _dropped, ...run } = r;
            return r.runId === event.runId ? run : r;
          }),
        },
    }),
  },
  // PROJ-REASON-3: reasoning.end's signature is not kept.
  "signature-dropped": {
    hooks: () => ({
      after: (_before, after, event) =>
        event.type !== "reasoning.end" ? after : {
          ...after,
          messages: after.messages.map((m) => {
            if (m.id !== event.messageId || m.role !== "reasoning") return m;
            const { signature: _dropped, ...message } = m;
            return message;
          }),
        },
    }),
  },
  // PROJ-STATE-1: state.snapshot is merged into the state.
  "snapshot-merged": {
    hooks: () => ({
      after(before, after, event) {
        if (event.type !== "state.snapshot") return after;
        const merge = (a: unknown, b: unknown) => isObject(a) && isObject(b) ? { ...a, ...b } : b;
        return { ...after, state: merge(before.state, event.snapshot) };
      },
    }),
  },
  // PROJ-TASK-1: task.metrics replaces the task's metrics.
  "task-metrics-replaced": {
    hooks: () => ({
      after: (_before, after, event) =>
        event.type !== "task.metrics" ? after : {
          ...after,
          tasks: after.tasks.map((t) =>
            t.taskId === event.taskId ? { ...t, metrics: { ...(event.metrics as Json) } } : t
          ) as Conversation["tasks"],
        },
    }),
  },
  // PROJ-AGENT-2: agent output lines are kept in the projection.
  "agent-output-kept": {
    hooks: () => ({
      after: (_before, after, event) =>
        event.type !== "agent.output" ? after : {
          ...after,
          agents: after.agents.map((a) =>
            a.agentId === event.agentId
              ? { ...a, output: [...((a as unknown as Json).output as string[] ?? []), event.text] }
              : a
          ),
        },
    }),
  },
  // PROJ-SNAP-1: messages.snapshot appends its messages.
  "snapshot-appended": {
    hooks: () => ({
      after: (before, after, event) =>
        event.type !== "messages.snapshot"
          ? after
          : { ...after, messages: [...before.messages, ...after.messages] },
    }),
  },
  // PROJ-JSON-1: a run started without a thread says threadId: null.
  "null-for-absent": {
    hooks: () => ({
      answer: (conversation) => ({
        ...conversation,
        runs: conversation.runs.map((run) => ({ threadId: null, ...run })),
      }),
    }),
  },
  // PROJ-JSON-2: costs are summed in decimal (rounded to 10 places), not binary64.
  "decimal-costs": {
    hooks: () => ({
      answer: (conversation) => ({
        ...conversation,
        usage: {
          ...conversation.usage,
          costUsd: Math.round(conversation.usage.costUsd * 1e10) / 1e10,
        },
      }),
    }),
  },
  // PROJ-FOLD-5: a resumed fold keeps the projection and forgets what is open.
  "resume-forgets-bookkeeping": { forgetsBookkeeping: true },
  // Not a consumer bug: the adapter answers with lines that are not JSON.
  "not-json": {},
};

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const at = process.argv.indexOf("--bug");
const name = at >= 0 ? process.argv[at + 1] : undefined;
const bug = name !== undefined ? BUGS[name] : undefined;
if (bug === undefined) {
  process.stderr.write(`usage: broken_consumer.ts --bug <${Object.keys(BUGS).join("|")}>\n`);
  process.exit(2);
}

if (name === "not-json") {
  process.stdout.write(`${JSON.stringify({ event: "ready" })}\n`);
  process.stdin.on("data", () => process.stdout.write("conversation follows\n"));
} else {
  runConsumerAdapter(projectionAdapter({
    ready: { consumer: { name: `broken consumer (${name})` }, batches: true, resume: true },
    start(saved) {
      const hooks = bug.hooks?.() ?? {};
      const fold = new MutantFold(
        hooks,
        saved as ConversationProjectionState | undefined,
        bug.forgetsBookkeeping,
      );
      return {
        fold: (value, offset) => fold.fold(value, offset),
        save: () => fold.save(),
        answer: () => fold.answer(),
      };
    },
  }));
}
