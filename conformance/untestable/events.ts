// Requirements of events.md that no automated check tests, with the reason and
// how they are tested instead.

/** ID → reason. */
export const eventsUntestable: Readonly<Record<string, string>> = {};
