// Requirements of view-ag-ui.md that no check of the suites tests, with the
// reason and how they are tested instead. The server suite tests the view
// through its endpoint (VIEW-AGUI-RUN-*, -EVENT-*, -MSG-*, -SSE-*, -GET-*,
// -POST-*, -ERR-*); the way back from AG-UI is a library no suite drives.

/** ID → reason. */
export const viewAgUiUntestable: Readonly<Record<string, string>> = {
  "VIEW-AGUI-IN-1":
    "A producer that writes an AG-UI agent's events into agent streams is an application; the events suite can check its events for lifecycle validity, but which AG-UI events it read is not visible there. The reference AgUiEventIngester is tested row by row (adapters/ag-ui/from_ag_ui_events_test.ts and from_ag_ui_events_messages_test.ts, one test per AGUI-MAP row of §3), and over random valid streams the view read back projects to the same messages, state and tokens (adapters/ag-ui/to_ag_ui_events_property_test.ts).",
};
