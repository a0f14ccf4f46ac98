// Requirements of errors.md that no automated check tests, with the reason and
// how they are tested instead.

/** ID → reason. */
export const errorsUntestable: Readonly<Record<string, string>> = {
  "ERR-WS-1":
    "A server sends goodbye only when it shuts down or restarts, which a suite speaking to a " +
    "running server cannot cause. Tested instead by the reference server's session test " +
    "(src/server/ws_session_test.ts, 'goodbye(true) then 1012 and nothing after'), which " +
    "checks that the goodbye's problem carries the goodbye's retryAfterMs.",
};
