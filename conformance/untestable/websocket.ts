// Requirements of websocket.md that no automated check tests, with the reason and
// how they are tested instead.

/** ID → reason. */
export const websocketUntestable: Readonly<Record<string, string>> = {};
