// Preparing streams for the checks of errors.md and discovery.md. A step
// that fails here is not what the check tests: it throws a plain error, so
// the check ends as an error that shows the exchange, not as a violation.

import type { CheckContext } from "../../check.ts";
import type { HttpBody, HttpReply } from "../../http_probe.ts";

/** A stream made for a check: its path and its request URL. */
export interface SeededStream {
  readonly path: string;
  readonly url: string;
}

/** How to seed a stream. */
export interface SeedOptions {
  /** Messages appended after creation (numbers, or envelopes on an agent stream). */
  readonly messages?: number;
  /** Close the stream after the messages. */
  readonly closed?: boolean;
  /** Create an agent stream. */
  readonly agent?: boolean;
  /** Extra headers of the create. */
  readonly headers?: Record<string, string>;
  /** The path; a fresh one by default. */
  readonly path?: string;
}

/** A valid message for a stream of the kind: an envelope on agent streams. */
export function messageFor(agent: boolean | undefined, n: number): unknown {
  return agent ? { type: "com.example.note", n } : { n };
}

/** Creates a stream, appends `messages` messages and closes it when asked. */
export async function seedStream(
  t: CheckContext,
  options: SeedOptions = {},
): Promise<SeededStream> {
  const path = options.path ?? t.stream();
  const url = t.streamUrl(path);
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    ...(options.agent ? { "Agent-Stream-Kind": "agent" } : {}),
    ...options.headers,
  };
  await setupRequest(t, "PUT", url, { headers }, [201], "creating a stream");
  const count = options.messages ?? 0;
  if (count > 0) {
    const body = Array.from({ length: count }, (_, i) => messageFor(options.agent, i));
    await setupRequest(t, "POST", url, { body: { json: body } }, [200, 204], "appending");
  }
  if (options.closed) {
    await setupRequest(
      t,
      "POST",
      url,
      { headers: { "Stream-Closed": "true" } },
      [200, 204],
      "closing a stream",
    );
  }
  return { path, url };
}

/** A request the check needs to succeed before it can test anything. */
export async function setupRequest(
  t: CheckContext,
  method: string,
  url: string,
  options: { headers?: Record<string, string>; body?: HttpBody },
  statuses: readonly number[],
  what: string,
): Promise<HttpReply> {
  const reply = await t.http.request(method, url, options);
  if (!statuses.includes(reply.status)) {
    throw new Error(
      `setup failed: ${what} (${method} ${url}) answered ${reply.status}, expected ${
        statuses.join(" or ")
      }`,
    );
  }
  return reply;
}

/** A request that may get no complete answer in time: `undefined` then (the transcript says so). */
export async function tryRequest(
  t: CheckContext,
  method: string,
  url: string,
  options: { headers?: Record<string, string>; body?: HttpBody; timeoutMs?: number } = {},
): Promise<HttpReply | undefined> {
  try {
    return await t.http.request(method, url, options);
  } catch {
    return undefined;
  }
}

/** `count` as a 16-digit offset. */
export function offset16(count: number): string {
  return String(count).padStart(16, "0");
}
