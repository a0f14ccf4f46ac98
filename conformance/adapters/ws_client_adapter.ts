/**
 * A client adapter (spec/v1/conformance.md §4) for the reference WebSocket
 * client, `WsClient`: reads as subscriptions (with a flow-control window
 * when asked), appends over the same connection, plain or as an idempotent
 * producer. A worked example of the protocol; run it as
 *
 * ```sh
 * deno run -A conformance/adapters/ws_client_adapter.ts
 * bun conformance/adapters/ws_client_adapter.ts
 * ```
 *
 * @module
 */

import type { BackoffOptions } from "../../src/client/backoff.ts";
import { WsClient } from "../../src/client/ws_client.ts";
import type { WebSocketConstructor, WsClientOptions } from "../../src/client/ws_client_options.ts";
import type {
  AdapterEvent,
  AppendCommand,
  ReadCommand,
  RetryHints,
} from "../client/adapter_protocol.ts";
import {
  type AdapterHandlers,
  appendEvent,
  type Emit,
  errorEvent,
  runAdapter,
  type RunningRead,
} from "./_json_lines.ts";

/**
 * What a variant of this adapter may change: the WebSocket its client uses
 * (to see or rewrite frames), and its retry timing. The conformance tests
 * build broken clients from these.
 *
 * @example
 * ```ts
 * import type { WsClientAdapterOptions } from "./ws_client_adapter.ts";
 * const options: WsClientAdapterOptions = { backoff: () => ({ initialDelayMs: 0 }) };
 * ```
 */
export interface WsClientAdapterOptions {
  /** The WebSocket constructor of every client. */
  readonly WebSocket?: WebSocketConstructor;
  /** Retry timing from the runner's hints. */
  readonly backoff?: (hints: RetryHints | undefined) => BackoffOptions;
}

const MAX_ATTEMPTS = 1_000;

/**
 * The handlers of the adapter: one `WsClient` (one connection) per server,
 * replaced by a new one when the server told it not to come back.
 *
 * @example
 * ```ts ignore
 * import { runAdapter } from "./_json_lines.ts";
 * import { wsClientAdapter } from "./ws_client_adapter.ts";
 * runAdapter(wsClientAdapter());
 * ```
 */
export function wsClientAdapter(options: WsClientAdapterOptions = {}): AdapterHandlers {
  const clients = new Map<string, WsClient>();
  const clientFor = (url: string, hints: RetryHints | undefined): WsClient => {
    let client = clients.get(url);
    if (client === undefined || client.status === "closed") {
      const init: WsClientOptions = {
        baseUrl: url,
        backoff: options.backoff?.(hints) ?? { ...hints, maxAttempts: MAX_ATTEMPTS },
        client: { name: "agent-stream-ws-adapter", version: "0.1.0" },
        ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
      };
      client = new WsClient(init);
      clients.set(url, client);
    }
    return client;
  };

  return {
    ready: {
      event: "ready",
      client: { name: "agent-stream WsClient", version: "0.1.0" },
      reads: ["websocket"],
      appends: ["websocket"],
      producer: true,
    },

    read(command: ReadCommand, emit: Emit): RunningRead {
      if (command.live !== "websocket") {
        throw new Error(`WsClient does not read with ${command.live}`);
      }
      const subscription = clientFor(command.url, command.retry).subscribe(
        command.path,
        {
          offset: command.offset as "-1",
          ...(command.window !== undefined ? { window: command.window } : {}),
        },
        (event) =>
          emit({ id: command.id, event: "message", offset: event.offset, message: event.message }),
      );
      const ended = subscription.done.then(
        (end) => {
          if (end.reason === "closed") {
            emit({ id: command.id, event: "closed", offset: subscription.nextOffset });
          } else if (end.reason === "deleted") {
            emit({ id: command.id, event: "error", message: "the stream was deleted" });
          }
        },
        (error) => emit(errorEvent(command.id, error)),
      );
      return {
        ended,
        async close() {
          await subscription.unsubscribe();
        },
      };
    },

    async append(command: AppendCommand): Promise<AdapterEvent> {
      if (command.via !== "websocket") {
        throw new Error(`WsClient does not append over ${command.via}`);
      }
      return await appendEvent(command, clientFor(command.url, command.retry));
    },

    stop() {
      for (const client of clients.values()) client.close();
      clients.clear();
    },
  };
}

if (import.meta.main) runAdapter(wsClientAdapter());
