// Requirements of websocket.md that no automated check tests, with the reason and
// how they are tested instead.

/** ID → reason. */
export const websocketUntestable: Readonly<Record<string, string>> = {
  // -- Connection (§3–5, §10–13) --
  "WS-CLOSE-1":
    "Needs the server to shut down or restart, which a check cannot cause. Tested in src/server/ws_session_test.ts: goodbye() and an aborted ctx.shutdown send goodbye before the close.",
  "WS-CLOSE-2":
    "Needs the server to restart, which a check cannot cause. Tested in src/server/ws_session_test.ts: goodbye(true) closes with 1012 and nothing follows.",
  "WS-CLOSE-3":
    "Needs the server to shut down, which a check cannot cause. Tested in src/server/ws_session_test.ts: goodbye(false) closes with 1001.",
  // -- end of connection --
};
