// Requirements of errors.md that no automated check tests, with the reason and
// how they are tested instead.

/** ID → reason. */
export const errorsUntestable: Readonly<Record<string, string>> = {};
