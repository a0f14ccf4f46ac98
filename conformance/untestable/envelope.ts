// Requirements of envelope.md that no automated check tests, with the reason and
// how they are tested instead.

/** ID → reason. */
export const envelopeUntestable: Readonly<Record<string, string>> = {};
