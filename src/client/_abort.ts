// Cancellation plumbing over plain AbortSignal and setTimeout, which every
// target runtime (Deno, Bun, Node ≥ 20, browsers) has.

/** The reason an aborted signal carries, or a fresh AbortError. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted", "AbortError");
}

/** Throws the signal's reason when it is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A controller that aborts when any of the given signals does. `dispose`
 * unhooks it from them, so long-lived parents do not collect listeners of
 * short-lived children (one per request).
 */
export function childController(
  ...parents: (AbortSignal | undefined)[]
): { controller: AbortController; dispose: () => void } {
  const controller = new AbortController();
  const hooked: [AbortSignal, () => void][] = [];
  for (const parent of parents) {
    if (parent === undefined) continue;
    if (parent.aborted) {
      controller.abort(abortReason(parent));
      break;
    }
    const onAbort = (): void => controller.abort(abortReason(parent));
    parent.addEventListener("abort", onAbort, { once: true });
    hooked.push([parent, onAbort]);
  }
  const dispose = (): void => {
    for (const [parent, onAbort] of hooked) parent.removeEventListener("abort", onAbort);
    hooked.length = 0;
  };
  return { controller, dispose };
}
