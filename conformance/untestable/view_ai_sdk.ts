// Requirements of view-ai-sdk.md that no check of the suites tests, with the
// reason and how they are tested instead. The server suite tests the view
// through the endpoint (VIEW-AISDK-POST-*, -GET-*, -ERR-*); the consumer and
// producer sides of the view are libraries that no suite drives.

/** ID → reason. */
export const viewAiSdkUntestable: Readonly<Record<string, string>> = {
  "VIEW-AISDK-MAP-1":
    "A consumer that maps events to UI message chunks is a library (a server's view, a client's adapter); no suite drives one. A server's mapping is checked through its endpoint, whose chunks must equal the mapping (VIEW-AISDK-POST-3, VIEW-AISDK-GET-2, against the reference mapping over random valid streams). The reference mapping is tested row by row (adapters/ai-sdk/mapping_*_rows_test.ts, one test per AISDK-MAP row).",
  "VIEW-AISDK-MAP-2":
    "As VIEW-AISDK-MAP-1. The reference implementation's chunks are checked against the `ai` package's own chunk schema, after a JSON round trip, over random valid streams (adapters/ai-sdk/view_consistency_property_test.ts).",
  "VIEW-AISDK-MSG-1":
    "UI messages of a conversation are computed by a library; no suite drives one, and the endpoint does not serve them. The reference toUiMessages is tested against what the `ai` package's readUIMessageStream and DefaultChatTransport build from the live stream of each run of random valid streams (adapters/ai-sdk/view_consistency_property_test.ts, ai_sdk_route_client_test.ts).",
  "VIEW-AISDK-IN-1":
    "A producer that writes UI message chunks into agent streams is an application; its events can be checked by the events suite for lifecycle validity, but which chunks it read is not visible there. The reference fromUiMessageChunks is tested row by row (adapters/ai-sdk/mapping_chunks_rows_test.ts) and over random chunk streams for lifecycle-valid output.",
  "VIEW-AISDK-IN-2":
    "As VIEW-AISDK-IN-1: an ended UI message stream is not visible to a suite that reads the agent stream. The reference fromUiMessageChunks ends such a run with run.error incomplete-stream (adapters/ai-sdk/from_ui_message_chunks_test.ts).",
};
