// Requirements of versioning.md that no automated check tests, with the reason and
// how they are tested instead.

/** ID → reason. */
export const versioningUntestable: Readonly<Record<string, string>> = {};
