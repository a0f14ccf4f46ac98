// Agent processes (spec/v1/projection.md §8).
import type { StandardEvent } from "../vocabulary/standard_events.ts";
import type { Conversation, ConversationAgent } from "./conversation.ts";
import { replaceAt } from "./_lists.ts";

/** The `agent.*` events. */
export type AgentEvent = Extract<StandardEvent, { type: `agent.${string}` }>;

function spawned(event: Extract<AgentEvent, { type: "agent.spawned" }>): ConversationAgent {
  let agent: ConversationAgent = {
    agentId: event.agentId,
    status: "spawned",
    errors: [],
    metrics: {},
  };
  if (event.name !== undefined) agent = { ...agent, name: event.name };
  if (event.parentAgentId !== undefined) agent = { ...agent, parentAgentId: event.parentAgentId };
  return agent;
}

// Output and log lines are for live readers (PROJ-AGENT-2): undefined means "no change".
function changed(agent: ConversationAgent, event: AgentEvent): ConversationAgent | undefined {
  switch (event.type) {
    case "agent.spawned":
    case "agent.output":
    case "agent.log":
      return undefined;
    case "agent.started":
    case "agent.resumed":
      return { ...agent, status: "running" };
    case "agent.paused":
      return { ...agent, status: "paused" };
    case "agent.stopped": {
      let stopped: ConversationAgent = { ...agent, status: "stopped" };
      if (event.exitCode !== undefined) stopped = { ...stopped, exitCode: event.exitCode };
      if (event.reason !== undefined) stopped = { ...stopped, stopReason: event.reason };
      return stopped;
    }
    case "agent.error": {
      const error = event.code === undefined
        ? { message: event.message }
        : { message: event.message, code: event.code };
      return { ...agent, errors: [...agent.errors, error] };
    }
    case "agent.health":
      return {
        ...agent,
        health: event.detail === undefined
          ? { status: event.status }
          : { status: event.status, detail: event.detail },
      };
    case "agent.metrics":
      return { ...agent, metrics: { ...agent.metrics, ...event.metrics } };
  }
}

/** An `agent.*` event (PROJ-AGENT-1, PROJ-AGENT-2). */
export function foldAgent(conversation: Conversation, event: AgentEvent): Conversation {
  if (event.type === "agent.spawned") {
    return { ...conversation, agents: [...conversation.agents, spawned(event)] };
  }
  const index = conversation.agents.findIndex((agent) => agent.agentId === event.agentId);
  if (index < 0) return conversation;
  const agent = changed(conversation.agents[index], event);
  if (agent === undefined) return conversation;
  return { ...conversation, agents: replaceAt(conversation.agents, index, agent) };
}
