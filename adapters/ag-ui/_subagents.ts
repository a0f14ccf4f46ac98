// AG-UI subagents as agent processes: a subagent invocation is spawned and
// started, paused while suspended, and stopped when it finishes or fails.

import type { AgUiEvent } from "./ag_ui_events.ts";
import type { IngestedEvent } from "./from_ag_ui_events.ts";

/** The agent processes of the subagents an AG-UI stream announced. */
export class Subagents {
  readonly #agents = new Map<string, "running" | "paused" | "stopped">();

  /** The events of a `SUBAGENT_STARTED`. */
  started(e: AgUiEvent & { type: "SUBAGENT_STARTED" }): IngestedEvent[] {
    const agentId = e.subagentRunId;
    const status = this.#agents.get(agentId);
    if (status === "paused") {
      this.#agents.set(agentId, "running");
      return [{ type: "agent.resumed", agentId }];
    }
    if (status !== undefined || !validId(agentId)) return [];
    this.#agents.set(agentId, "running");
    return [
      {
        type: "agent.spawned",
        agentId,
        name: e.name,
        ...(validId(e.parentSubagentRunId) ? { parentAgentId: e.parentSubagentRunId } : {}),
      },
      { type: "agent.started", agentId },
    ];
  }

  /** The events of a `SUBAGENT_FINISHED` or `SUBAGENT_ERROR`. */
  ended(e: AgUiEvent & { type: "SUBAGENT_FINISHED" | "SUBAGENT_ERROR" }): IngestedEvent[] {
    const agentId = e.subagentRunId;
    if (this.#agents.get(agentId) !== "running") return [];
    if (e.type === "SUBAGENT_FINISHED" && e.outcome?.type === "suspended") {
      this.#agents.set(agentId, "paused");
      return [{ type: "agent.paused", agentId, reason: "suspended" }];
    }
    this.#agents.set(agentId, "stopped");
    if (e.type === "SUBAGENT_FINISHED") return [{ type: "agent.stopped", agentId }];
    return [
      {
        type: "agent.error",
        agentId,
        message: e.message,
        ...(e.code !== undefined ? { code: e.code } : {}),
      },
      { type: "agent.stopped", agentId, reason: e.message },
    ];
  }
}

function validId(value: unknown): value is string {
  return typeof value === "string" && value.length >= 1 && value.length <= 256;
}
