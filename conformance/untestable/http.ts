// Requirements of http.md that no automated check tests, with the reason and
// how they are tested instead.

/** ID → reason. */
export const httpUntestable: Readonly<Record<string, string>> = {};
