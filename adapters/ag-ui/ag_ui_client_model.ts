// What an AG-UI client holds after applying events: its messages and state,
// built by the rules AG-UI clients follow.

import {
  applyJsonPatch,
  type JsonPatchOperation,
  type JsonValue,
} from "../../src/projector/mod.ts";
import type { AgUiEvent } from "./ag_ui_events.ts";
import type { AgUiMessage, AgUiToolCall } from "./ag_ui_messages.ts";
import { mergeSnapshot } from "./_snapshot.ts";

type AssistantMessage = Extract<AgUiMessage, { role: "assistant" }>;

/**
 * What an AG-UI client holds: its messages and state, updated event by event
 * by the rules AG-UI clients (such as `HttpAgent`) follow for messages and
 * state. The view keeps one to know what its readers hold; a test or a
 * server that checks a view can apply what it reads to one.
 *
 * @example
 * ```ts
 * import { AgUiClientModel } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const client = new AgUiClientModel();
 * client.apply({ type: "TEXT_MESSAGE_START", messageId: "m1", role: "assistant" });
 * client.apply({ type: "TEXT_MESSAGE_CONTENT", messageId: "m1", delta: "Hi" });
 * client.apply({ type: "STATE_SNAPSHOT", snapshot: { n: 1 } });
 * console.log(client.messages, client.state);
 * // [{ id: "m1", role: "assistant", content: "Hi" }] { n: 1 }
 * ```
 */
export class AgUiClientModel {
  /** The messages, in the client's order. */
  messages: AgUiMessage[];
  /** The state. */
  state: unknown;

  /** A client that holds `messages` and `state` (copied); none and `{}` by default. */
  constructor(messages: readonly AgUiMessage[] = [], state: unknown = {}) {
    this.messages = structuredClone(messages) as AgUiMessage[];
    this.state = structuredClone(state);
  }

  /** Applies one event as an AG-UI client does; events that change neither are ignored. */
  apply(event: AgUiEvent): void {
    switch (event.type) {
      case "TEXT_MESSAGE_START":
        if (!this.#find(event.messageId)) {
          this.messages.push({
            id: event.messageId,
            role: event.role ?? "assistant",
            content: "",
          } as AgUiMessage);
        }
        return;
      case "TEXT_MESSAGE_CONTENT":
      case "REASONING_MESSAGE_CONTENT": {
        const message = this.#find(event.messageId);
        if (message && message.role !== "activity") {
          const content = typeof message.content === "string" ? message.content : "";
          (message as { content: string }).content = content + event.delta;
        }
        return;
      }
      case "REASONING_MESSAGE_START":
        if (!this.#find(event.messageId)) {
          this.messages.push({ id: event.messageId, role: "reasoning", content: "" });
        }
        return;
      case "TOOL_CALL_START":
        return this.#toolCallStart(event.toolCallId, event.toolCallName, event.parentMessageId);
      case "TOOL_CALL_ARGS": {
        const call = this.#call(event.toolCallId);
        if (call) call.function.arguments += event.delta;
        return;
      }
      case "TOOL_CALL_RESULT":
        return this.#toolResult(event);
      case "STATE_SNAPSHOT":
        this.state = structuredClone(event.snapshot);
        return;
      case "STATE_DELTA":
        try {
          this.state = applyJsonPatch(
            this.state as JsonValue,
            event.delta as unknown as JsonPatchOperation[],
          );
        } catch {
          // A patch that does not apply leaves the state as it was.
        }
        return;
      case "MESSAGES_SNAPSHOT":
        this.messages = mergeSnapshot(this.messages, structuredClone(event.messages));
        return;
      case "REASONING_ENCRYPTED_VALUE":
        if (event.subtype === "tool-call") {
          const call = this.#call(event.entityId);
          if (call) call.encryptedValue = event.encryptedValue;
        } else {
          const message = this.#find(event.entityId);
          if (message && message.role !== "activity") {
            message.encryptedValue = event.encryptedValue;
          }
        }
        return;
      default:
        return;
    }
  }

  #find(id: string): AgUiMessage | undefined {
    return this.messages.find((m) => m.id === id);
  }

  #owner(toolCallId: string): AssistantMessage | undefined {
    return this.messages.find((m): m is AssistantMessage =>
      m.role === "assistant" && (m.toolCalls ?? []).some((c) => c.id === toolCallId)
    );
  }

  #call(toolCallId: string): AgUiToolCall | undefined {
    return this.#owner(toolCallId)?.toolCalls?.find((c) => c.id === toolCallId);
  }

  #toolCallStart(id: string, name: string, parentMessageId: string | undefined): void {
    const existing = this.#call(id);
    if (existing) {
      existing.function.name = name;
      return;
    }
    let target: AssistantMessage | undefined;
    if (parentMessageId !== undefined) {
      const parent = this.#find(parentMessageId);
      if (parent?.role === "assistant") target = parent;
      else {
        target = { id: parent ? id : parentMessageId, role: "assistant", toolCalls: [] };
        this.messages.push(target);
      }
    } else {
      target = { id, role: "assistant", toolCalls: [] };
      this.messages.push(target);
    }
    (target.toolCalls ??= []).push({ id, type: "function", function: { name, arguments: "" } });
  }

  #toolResult(event: Extract<AgUiEvent, { type: "TOOL_CALL_RESULT" }>): void {
    const message: AgUiMessage = {
      id: event.messageId,
      toolCallId: event.toolCallId,
      role: "tool",
      content: structuredClone(event.content),
    };
    const owner = this.messages.findIndex((m) =>
      m.role === "assistant" && (m.toolCalls ?? []).some((c) => c.id === event.toolCallId)
    );
    if (owner === -1) {
      this.messages.push(message);
      return;
    }
    let at = owner + 1;
    while (at < this.messages.length && this.messages[at].role === "tool") at++;
    this.messages.splice(at, 0, message);
  }
}
