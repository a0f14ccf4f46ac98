// Holding live readers open to reach the subscriber limits of discovery.md §6:
// SSE responses, which stay open without traffic, opened one after another
// until the server refuses one.

import type { CheckContext } from "../../check.ts";
import type { HttpReply, SseProbe } from "../../http_probe.ts";
import { seedStream, tryRequest } from "./_setup.ts";

/** The most live readers a check opens to reach a limit. */
export const MAX_LIVE_READERS = 64;

/** Readers held open, and the first refusal. */
export interface HeldReaders {
  /** How many readers the server accepted. */
  readonly accepted: number;
  /** The answer to the first refused reader, with its index (0-based). */
  readonly refused?: { readonly index: number; readonly reply: HttpReply };
  /** Drops every reader. */
  close(): Promise<void>;
}

/** Skips unless live readers can be held open (the `sse` feature). */
export function needLiveReaders(t: CheckContext): void {
  if (!t.features.has("sse")) {
    t.skip("holding live readers open needs the sse feature");
  }
}

/** The URL of a live read of `path` that waits at the tail. */
export function liveUrl(t: CheckContext, path: string): string {
  return t.streamUrl(path, { offset: "now", live: "sse" });
}

/**
 * Opens a live reader on each URL in turn, stopping at the first refusal;
 * the refusal is read again as a complete answer so its problem can be judged.
 */
export async function holdReaders(t: CheckContext, urls: readonly string[]): Promise<HeldReaders> {
  const open: SseProbe[] = [];
  const close = async () => {
    await Promise.all(open.map((probe) => probe.close()));
  };
  try {
    for (const [index, url] of urls.entries()) {
      const probe = await t.http.openSse(url);
      if (probe.status === 200) {
        open.push(probe);
        continue;
      }
      await probe.close();
      const reply = await tryRequest(t, "GET", url, { timeoutMs: 2_000 });
      if (reply === undefined || reply.status === 200) {
        throw new Error(
          `reader ${index + 1} was refused with ${probe.status}, but asking again got no refusal`,
        );
      }
      return { accepted: open.length, refused: { index, reply }, close };
    }
    return { accepted: open.length, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Opens `maxSubscribersPerStream + 1` live readers of a fresh stream; skips
 * when the limit is absent or too high to reach cheaply.
 */
export async function exceedPerStreamLimit(t: CheckContext): Promise<HeldReaders> {
  needLiveReaders(t);
  const limit = t.discovery.limits.maxSubscribersPerStream;
  if (limit === undefined) t.skip("the server advertises no maxSubscribersPerStream");
  if (limit >= MAX_LIVE_READERS) {
    t.skip(
      `reaching maxSubscribersPerStream (${limit}) needs more than ${MAX_LIVE_READERS} live readers`,
    );
  }
  const s = await seedStream(t);
  return await holdReaders(t, Array(limit + 1).fill(liveUrl(t, s.path)));
}
