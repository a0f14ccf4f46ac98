// Requirements of log.md that no automated check tests, with the reason and
// how they are tested instead.

/** ID → reason. */
export const logUntestable: Readonly<Record<string, string>> = {};
