// Violations of the rules on runs, steps, messages, state, snapshots, data
// and usage, and of the schemas.
import type { ConversationMessage } from "../../src/vocabulary/mod.ts";
import {
  closeThenFinish,
  endedCall,
  inRun,
  openCall,
  openMessage,
  refuse,
  snapshotOf,
  someMessage,
  staleRunId,
  type Variant,
} from "./_violation_setup.ts";

/** Variants by requirement. */
export const CORE_VIOLATIONS: Readonly<Record<string, readonly Variant[]>> = {
  "EVT-SHAPE-1": [
    { where: "gap", make: (b) => refuse(b, { type: "raw.event", source: "no event member" }) },
    {
      where: "run",
      make: (b) => refuse(b, { type: "custom.event", runId: inRun(b), transient: true, value: 1 }),
    },
  ],
  "EVT-RUN-1": [{ where: "gap", make: (b) => refuse(b, { type: "run.started" }) }],
  "EVT-RUN-2": [
    { where: "run", make: (b) => refuse(b, { type: "run.started", runId: b.model.fresh("run") }) },
    { where: "gap", make: (b) => refuse(b, { type: "run.started", runId: staleRunId(b) }) },
  ],
  "EVT-RUN-3": [
    {
      where: "gap",
      make: (b) => refuse(b, { type: "run.finished", runId: staleRunId(b), outcome: "success" }),
    },
    {
      where: "gap",
      make: (b) => refuse(b, { type: "run.error", runId: b.model.fresh("run"), message: "late" }),
    },
  ],
  "EVT-RUN-4": [
    {
      where: "run",
      make: (b) => {
        b.emit({ type: "step.started", runId: inRun(b), stepName: b.model.fresh("step") });
        refuse(b, { type: "run.finished", runId: inRun(b), outcome: "success" });
      },
    },
    {
      where: "run",
      make: (b) => {
        openMessage(b);
        refuse(b, { type: "run.finished", runId: inRun(b), outcome: "cancelled" });
      },
    },
    {
      where: "run",
      mode: "core",
      make: (b) => {
        openCall(b);
        refuse(b, { type: "run.finished", runId: inRun(b), outcome: "interrupt" });
      },
    },
  ],
  "EVT-RUN-5": [
    {
      where: "run",
      make: (b) => refuse(b, { type: "raw.event", runId: staleRunId(b), event: null }),
    },
    {
      where: "gap",
      make: (b) =>
        refuse(b, {
          type: "text.message",
          runId: staleRunId(b),
          messageId: b.model.fresh("msg"),
          role: "user",
          content: "late",
        }),
    },
  ],
  "EVT-RUN-6": [
    {
      where: "run",
      make: (b) => closeThenFinish(b, { interrupts: [{ id: "int_x", reason: "approval" }] }),
    },
  ],
  "EVT-STEP-1": [
    {
      where: "run",
      make: (b) => {
        const stepName = b.model.active!.steps[0] ?? "check";
        if (b.model.active!.steps.length === 0) {
          b.emit({ type: "step.started", runId: inRun(b), stepName });
        }
        refuse(b, { type: "step.started", runId: inRun(b), stepName });
      },
    },
    {
      where: "run",
      make: (b) =>
        refuse(b, { type: "step.finished", runId: inRun(b), stepName: b.model.fresh("step") }),
    },
    { where: "run", make: (b) => refuse(b, { type: "step.started", stepName: "unowned" }) },
    { where: "gap", make: (b) => refuse(b, { type: "step.started", stepName: "outside" }) },
  ],
  "EVT-MSG-1": [
    {
      where: "gap",
      make: (b) =>
        refuse(b, { type: "text.message", messageId: someMessage(b), role: "user", content: "" }),
    },
    {
      where: "run",
      make: (b) =>
        refuse(b, { type: "reasoning.start", runId: inRun(b), messageId: someMessage(b) }),
    },
    {
      where: "run",
      mode: "llm",
      make: (b) =>
        refuse(b, {
          type: "llm.started",
          runId: inRun(b),
          requestId: b.model.fresh("req"),
          messageId: someMessage(b),
        }),
    },
    {
      where: "run",
      mode: "core",
      make: (b) => {
        const messageId = someMessage(b);
        refuse(b, {
          type: "tool.result",
          runId: inRun(b),
          toolCallId: endedCall(b),
          messageId,
          output: 1,
        });
      },
    },
  ],
  "EVT-MSG-2": [
    {
      where: "run",
      make: (b) =>
        refuse(b, { type: "text.delta", runId: inRun(b), messageId: someMessage(b), delta: "x" }),
    },
    {
      where: "run",
      make: (b) =>
        refuse(b, { type: "text.end", runId: inRun(b), messageId: b.model.fresh("msg") }),
    },
    {
      where: "run",
      make: (b) =>
        refuse(b, { type: "text.delta", runId: inRun(b), messageId: openMessage(b), delta: "x" }),
    },
    {
      where: "run",
      make: (b) => {
        const messageId = b.model.fresh("msg");
        b.emit({ type: "text.start", runId: inRun(b), messageId, role: "user" });
        refuse(b, { type: "reasoning.end", runId: inRun(b), messageId });
      },
    },
  ],
  "EVT-STATE-1": [
    {
      where: "run",
      make: (b) =>
        refuse(b, {
          type: "state.delta",
          runId: inRun(b),
          patch: [{ op: "remove", path: "/__absent__" }],
        }),
    },
    {
      where: "gap",
      make: (b) =>
        refuse(b, {
          type: "state.delta",
          patch: [{ op: "add", path: "/n", value: 1 }, { op: "test", path: "/n", value: 2 }],
        }),
    },
  ],
  "EVT-SNAP-1": [
    {
      where: "run",
      make: (b) => {
        openMessage(b);
        refuse(b, { type: "messages.snapshot", runId: inRun(b), messages: snapshotOf(b) });
      },
    },
    {
      where: "gap",
      make: (b) => {
        const id = b.model.fresh("msg");
        const twice: ConversationMessage = { id, role: "user", content: "again" };
        refuse(b, { type: "messages.snapshot", messages: [...snapshotOf(b), twice, twice] });
      },
    },
    {
      where: "gap",
      make: (b) => {
        const call = { id: b.model.fresh("call"), name: "lookup", arguments: "" };
        const holder = (): ConversationMessage => ({
          id: b.model.fresh("msg"),
          role: "assistant",
          content: "",
          toolCalls: [call],
        });
        refuse(b, { type: "messages.snapshot", messages: [...snapshotOf(b), holder(), holder()] });
      },
    },
  ],
  "EVT-DATA-1": [
    {
      where: "gap",
      make: (b) =>
        refuse(b, {
          type: "custom.event",
          name: "card",
          dataId: someMessage(b, ["user", "system", "developer"]),
        }),
    },
    {
      where: "run",
      make: (b) =>
        refuse(b, {
          type: "custom.event",
          runId: inRun(b),
          name: "card",
          value: 1,
          dataId: someMessage(b, ["user", "assistant", "reasoning", "tool"]),
        }),
    },
  ],
  "EVT-USAGE-1": [
    {
      // A SHOULD rule: consumers admit the event, so the run ends here.
      where: "run",
      make: (b) => {
        const runId = inRun(b);
        if (b.model.active!.reports === 0) {
          b.emit({ type: "usage.reported", runId, promptTokens: 10, completionTokens: 5 });
        }
        const usage = { totalTokens: b.model.active!.usage.totalTokens + 1 };
        b.closeAll();
        b.emit({ type: "run.finished", runId, outcome: "success", usage });
      },
    },
    {
      where: "run",
      make: (b) => {
        const runId = inRun(b);
        if (b.model.active!.reports === 0) {
          b.emit({ type: "usage.reported", runId, costUsd: 0.5 });
        }
        const usage = { costUsd: b.model.active!.usage.costUsd * 2 + 1 };
        b.emit({ type: "run.error", runId, message: "failed", usage });
      },
    },
  ],
};
