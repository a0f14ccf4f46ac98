// Requirements of overview.md that no automated check tests, with the reason and
// how they are tested instead.

/** ID → reason. */
export const overviewUntestable: Readonly<Record<string, string>> = {};
