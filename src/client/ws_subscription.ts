/**
 * Subscriptions of `WsClient`: their options, their end, their counters.
 *
 * @module
 */

import type { Offset, RequestOffset } from "../protocol/offset.ts";
import type { StreamKind } from "../protocol/stream_kind.ts";

/**
 * Options of `WsClient.subscribe`.
 *
 * @example
 * ```ts
 * import type { WsSubscribeOptions } from "@agent-stream/agent-stream/client";
 * const options: WsSubscribeOptions = { offset: "-1", window: 100 };
 * ```
 */
export interface WsSubscribeOptions {
  /** Where to start: an offset, a message count, `"-1"` (default) or `"now"`. */
  readonly offset?: RequestOffset | number;
  /** Flow control: most unacknowledged messages; the client acknowledges after each batch. */
  readonly window?: number;
  /** Ends the subscription; `done` then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * How a subscription ended: its stream was closed and fully delivered,
 * deleted, or the client unsubscribed.
 *
 * @example
 * ```ts
 * import type { WsSubscriptionEnd } from "@agent-stream/agent-stream/client";
 * const finished = (end: WsSubscriptionEnd) => end.reason === "closed";
 * ```
 */
export interface WsSubscriptionEnd {
  /** Why it ended. */
  readonly reason: "closed" | "deleted" | "client";
}

/**
 * Counters of a subscription.
 *
 * @example
 * ```ts
 * import type { WsSubscriptionMetrics } from "@agent-stream/agent-stream/client";
 * const line = (m: WsSubscriptionMetrics) => `${m.events} events, ${m.resubscribes} resubscribes`;
 * ```
 */
export interface WsSubscriptionMetrics {
  /** Events handed to the handler. */
  readonly events: number;
  /** Subscriptions started again on the same connection (errors, gaps). */
  readonly resubscribes: number;
  /** Messages received twice and dropped. */
  readonly duplicates: number;
  /** Gaps seen and repaired by subscribing again. */
  readonly gaps: number;
  /** Where the subscription would resume. */
  readonly lastOffset: Offset | undefined;
  /** The last frame reached the tail. */
  readonly upToDate: boolean;
  /** The stream is closed and fully delivered. */
  readonly closed: boolean;
}

/**
 * A subscription of a `WsClient`. It lasts across reconnects and
 * ends once its stream is closed (after the last message), deleted, or on
 * `unsubscribe()`.
 *
 * @example
 * ```ts
 * import { WsClient } from "@agent-stream/agent-stream/client";
 * const ws = new WsClient({ baseUrl: "http://localhost:8787" });
 * const subscription = ws.subscribe("chats/42", { offset: "-1" }, (event) => console.log(event.message));
 * const { reason } = await subscription.done;
 * ```
 */
export interface WsSubscription<M = unknown> {
  /** The stream. */
  readonly path: string;
  /** The stream's kind, once the server said. */
  readonly kind: StreamKind | undefined;
  /** Where the subscription would resume: the offset after the last message received. */
  readonly nextOffset: Offset | undefined;
  /** Settles when the subscription ends; rejects on a final error. */
  readonly done: Promise<WsSubscriptionEnd>;
  /** Ends the subscription; resolves once the server confirmed (or the connection is gone). */
  unsubscribe(): Promise<void>;
  /** The subscription's counters. */
  getMetrics(): WsSubscriptionMetrics;
}
