// Requirements of sse.md that no automated check tests, with the reason and
// how they are tested instead.

/** ID → reason. */
export const sseUntestable: Readonly<Record<string, string>> = {};
