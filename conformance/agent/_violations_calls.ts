// Violations of the rules on tool calls, LLM requests, tasks and agent processes.
import {
  agent,
  answeredCall,
  assistantMessage,
  endedCall,
  inRun,
  openCall,
  openRequest,
  refuse,
  someMessage,
  task,
  type Variant,
} from "./_violation_setup.ts";

/** Variants by requirement. */
export const CALL_VIOLATIONS: Readonly<Record<string, readonly Variant[]>> = {
  "EVT-TOOL-1": [
    {
      where: "run",
      mode: "core",
      make: (b) => {
        const core = [...b.model.calls.values()].find((c) => c.request === undefined);
        const reused = core?.id ?? endedCall(b);
        refuse(b, {
          type: "tool.start",
          runId: inRun(b),
          toolCallId: reused,
          toolName: "lookup",
          parentMessageId: assistantMessage(b),
        });
      },
    },
    {
      where: "run",
      mode: "llm",
      make: (b) => {
        const requestId = openRequest(b);
        const made = [...b.model.calls.values()].find((c) => c.request !== undefined);
        const reused = made?.id ?? b.model.fresh("call");
        if (made === undefined) {
          b.emit({
            type: "llm.tool-call",
            runId: inRun(b),
            requestId,
            toolCallId: reused,
            toolName: "lookup",
            input: {},
          });
        }
        refuse(b, {
          type: "llm.tool-call",
          runId: inRun(b),
          requestId,
          toolCallId: reused,
          toolName: "lookup",
          input: {},
        });
      },
    },
  ],
  "EVT-TOOL-2": [
    {
      where: "run",
      mode: "core",
      make: (b) =>
        refuse(b, {
          type: "tool.delta",
          runId: inRun(b),
          toolCallId: b.model.fresh("call"),
          delta: "{}",
        }),
    },
    {
      where: "run",
      mode: "core",
      make: (b) => refuse(b, { type: "tool.end", runId: inRun(b), toolCallId: endedCall(b) }),
    },
  ],
  "EVT-TOOL-3": [
    {
      where: "run",
      mode: "core",
      make: (b) => {
        const toolCallId = openCall(b);
        b.emit({ type: "tool.delta", runId: inRun(b), toolCallId, delta: '{"a":' });
        refuse(b, { type: "tool.end", runId: inRun(b), toolCallId });
      },
    },
    {
      where: "run",
      mode: "core",
      make: (b) => {
        const toolCallId = openCall(b);
        b.emit({ type: "tool.delta", runId: inRun(b), toolCallId, delta: '{"a":1}' });
        refuse(b, { type: "tool.end", runId: inRun(b), toolCallId, input: { a: 2 } });
      },
    },
  ],
  "EVT-TOOL-4": [
    {
      where: "run",
      mode: "core",
      make: (b) =>
        refuse(b, {
          type: "tool.start",
          runId: inRun(b),
          toolCallId: b.model.fresh("call"),
          toolName: "lookup",
          parentMessageId: someMessage(b, ["user", "system", "developer"]),
        }),
    },
    {
      where: "run",
      mode: "core",
      make: (b) =>
        refuse(b, {
          type: "tool.start",
          runId: inRun(b),
          toolCallId: b.model.fresh("call"),
          toolName: "lookup",
          parentMessageId: b.model.fresh("msg"),
        }),
    },
  ],
  "EVT-TOOL-5": [
    {
      where: "run",
      mode: "core",
      make: (b) =>
        refuse(b, { type: "tool.result", runId: inRun(b), toolCallId: openCall(b), output: 1 }),
    },
    {
      where: "run",
      mode: "core",
      make: (b) =>
        refuse(b, { type: "tool.result", runId: inRun(b), toolCallId: answeredCall(b), output: 1 }),
    },
    {
      where: "run",
      mode: "core",
      make: (b) =>
        refuse(b, {
          type: "tool.result",
          runId: inRun(b),
          toolCallId: endedCall(b),
          output: 1,
          error: "no",
        }),
    },
    {
      where: "run",
      mode: "core",
      make: (b) => refuse(b, { type: "tool.result", runId: inRun(b), toolCallId: endedCall(b) }),
    },
    {
      where: "run",
      mode: "llm",
      make: (b) => {
        const requestId = openRequest(b);
        const toolCallId = b.model.fresh("call");
        const runId = inRun(b);
        b.emit({
          type: "llm.tool-call",
          runId,
          requestId,
          toolCallId,
          toolName: "lookup",
          input: [],
        });
        b.emit({ type: "llm.tool-result", runId, requestId, toolCallId, output: 1 });
        refuse(b, { type: "llm.tool-result", runId, requestId, toolCallId, output: 2 });
      },
    },
  ],
  "EVT-TASK-1": [
    { where: "gap", make: (b) => refuse(b, { type: "task.created", taskId: task(b, "live") }) },
    {
      where: "gap",
      make: (b) => refuse(b, { type: "task.started", taskId: b.model.fresh("task") }),
    },
    {
      where: "run",
      make: (b) =>
        refuse(b, {
          type: "task.progress",
          runId: inRun(b),
          taskId: task(b, "ended"),
          progress: 1,
        }),
    },
  ],
  "EVT-AGENT-1": [
    { where: "gap", make: (b) => refuse(b, { type: "agent.spawned", agentId: agent(b, []) }) },
    { where: "gap", make: (b) => refuse(b, { type: "agent.paused", agentId: agent(b, []) }) },
    {
      where: "gap",
      make: (b) => refuse(b, { type: "agent.resumed", agentId: agent(b, ["started"]) }),
    },
    {
      where: "run",
      make: (b) => refuse(b, { type: "agent.started", agentId: agent(b, ["started"]) }),
    },
    {
      where: "run",
      make: (b) =>
        refuse(b, {
          type: "agent.log",
          agentId: agent(b, ["stopped"]),
          level: "info",
          message: "late",
        }),
    },
    {
      where: "gap",
      make: (b) =>
        refuse(b, {
          type: "agent.output",
          agentId: b.model.fresh("agent"),
          stream: "stdout",
          text: "?",
        }),
    },
  ],
  "EVT-LLM-1": [
    {
      where: "run",
      mode: "llm",
      make: (b) =>
        refuse(b, {
          type: "llm.started",
          runId: inRun(b),
          requestId: openRequest(b),
          messageId: b.model.fresh("msg"),
        }),
    },
    {
      where: "run",
      mode: "llm",
      make: (b) => {
        const requestId = b.model.fresh("req");
        b.emit({ type: "llm.started", runId: inRun(b), requestId });
        b.emit({ type: "llm.completed", runId: inRun(b), requestId });
        refuse(b, { type: "llm.token", runId: inRun(b), requestId, delta: "late" });
      },
    },
    {
      where: "run",
      mode: "llm",
      make: (b) =>
        refuse(b, { type: "llm.usage", runId: inRun(b), requestId: b.model.fresh("req") }),
    },
    {
      where: "run",
      mode: "llm",
      make: (b) => {
        const runId = inRun(b);
        const caller = openRequest(b);
        const toolCallId = b.model.fresh("call");
        b.emit({
          type: "llm.tool-call",
          runId,
          requestId: caller,
          toolCallId,
          toolName: "lookup",
          input: 1,
        });
        const other = b.model.fresh("req");
        b.emit({ type: "llm.started", runId, requestId: other });
        refuse(b, { type: "llm.tool-result", runId, requestId: other, toolCallId, output: 1 });
      },
    },
  ],
  "EVT-LLM-2": [
    {
      where: "run",
      mode: "llm",
      last: true,
      make: (b) => {
        openRequest(b);
        refuse(b, {
          type: "text.message",
          runId: inRun(b),
          messageId: b.model.fresh("msg"),
          role: "assistant",
          content: "both",
        });
      },
    },
  ],
};
