// Requirements of discovery.md that no automated check tests, with the reason and
// how they are tested instead.

/** ID → reason. */
export const discoveryUntestable: Readonly<Record<string, string>> = {};
