// The appends of a WsClient that await their answer, by request id. Which
// ones may be sent again after a failure is the heart of it: only those
// with producer numbers (ERR-RETRY-5, WS-APPEND-16).

import type { Problem } from "../protocol/problem.ts";
import type { AppendFrame } from "../protocol/ws_client_frame.ts";
import type { AppendedFrame } from "../protocol/ws_server_frame.ts";
import { abortReason } from "./_abort.ts";
import { Backoff, type BackoffOptions } from "./backoff.ts";
import type { AppendResult } from "./stream_client_options.ts";
import { problemCode, StreamError } from "./stream_error.ts";

interface Pending {
  readonly frame: AppendFrame;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
  readonly backoff: Backoff;
  sent: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

/** The error a problem frame stands for. */
export function problemError(problem: Problem): StreamError {
  return new StreamError(problem.detail ?? problem.title, {
    code: problemCode(problem),
    problem,
    retryAfterMs: typeof problem.retryAfterMs === "number" ? problem.retryAfterMs : undefined,
  });
}

export class PendingAppends {
  readonly #pending = new Map<string, Pending>();
  readonly #backoff: BackoffOptions | undefined;
  /** Sends a frame now; false when there is no connection. */
  readonly #send: (frame: AppendFrame) => boolean;

  constructor(send: (frame: AppendFrame) => boolean, backoff: BackoffOptions | undefined) {
    this.#send = send;
    this.#backoff = backoff;
  }

  /** Registers an append and sends it if connected; settles with its answer. */
  add(frame: AppendFrame, signal: AbortSignal | undefined): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      const pending: Pending = {
        frame,
        resolve,
        reject,
        backoff: new Backoff(this.#backoff),
        sent: false,
      };
      this.#pending.set(frame.req, pending);
      signal?.addEventListener("abort", () => {
        if (this.#pending.get(frame.req) !== pending) return;
        this.#pending.delete(frame.req);
        clearTimeout(pending.timer);
        reject(abortReason(signal));
      }, { once: true });
      pending.sent = this.#send(frame);
    });
  }

  /** A new connection: sends, in order, what is not on its way. */
  sendUnsent(): void {
    for (const pending of this.#pending.values()) {
      if (!pending.sent && pending.timer === undefined) pending.sent = this.#send(pending.frame);
    }
  }

  appended(frame: AppendedFrame): void {
    const pending = this.#pending.get(frame.req);
    if (pending === undefined) return;
    this.#pending.delete(frame.req);
    pending.resolve({
      nextOffset: frame.nextOffset,
      closed: frame.closed === true,
      duplicate: frame.duplicate === true,
      ...(frame.producer !== undefined
        ? { producer: { epoch: frame.producer.epoch, seq: frame.producer.seq } }
        : {}),
    });
  }

  /** An `error` frame with `req`: fails the append, or repeats a numbered one later. */
  failed(req: string, problem: Problem): void {
    const pending = this.#pending.get(req);
    if (pending === undefined) return;
    const error = problemError(problem);
    const delay = pending.frame.producer !== undefined && error.transient
      ? pending.backoff.next(error.retryAfterMs)
      : undefined;
    if (delay === undefined) {
      this.#pending.delete(req);
      pending.reject(error);
      return;
    }
    pending.sent = false;
    pending.timer = setTimeout(() => {
      pending.timer = undefined;
      pending.sent = this.#send(pending.frame);
    }, delay);
  }

  /** The connection is gone: numbered appends wait for the next, others fail. */
  connectionLost(cause: StreamError): void {
    for (const [req, pending] of this.#pending) {
      if (!pending.sent) continue;
      if (pending.frame.producer !== undefined) {
        pending.sent = false;
        continue;
      }
      this.#pending.delete(req);
      pending.reject(
        new StreamError("Connection lost before the append was answered", {
          code: "connection-lost",
          cause,
          transient: false,
        }),
      );
    }
  }

  /** Fails every append (`all`), or only those sent. */
  fail(error: StreamError, all: boolean): void {
    for (const [req, pending] of this.#pending) {
      if (!all && !pending.sent) continue;
      clearTimeout(pending.timer);
      this.#pending.delete(req);
      // A sent append was maybe applied, unless the server refused the frame
      // itself (1009): a problem about the connection is not its answer.
      pending.reject(
        pending.sent && error.code !== "payload-too-large" && error.status !== undefined
          ? new StreamError(`Append unanswered: ${error.message}`, {
            code: "connection-lost",
            cause: error,
          })
          : error,
      );
    }
  }
}
