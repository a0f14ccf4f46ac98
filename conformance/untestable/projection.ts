// Requirements of projection.md that no automated check tests, with the reason and
// how they are tested instead.

/** ID → reason. */
export const projectionUntestable: Readonly<Record<string, string>> = {};
