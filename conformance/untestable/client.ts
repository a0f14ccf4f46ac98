// Requirements of clients, producers and consumers that no check of the
// client suite tests, with the reason and how they are tested instead. An
// adapter shows what its client sends and delivers; it cannot show choices
// the application makes, nor additions of versions that do not exist yet.

/** ID → reason. */
export const clientUntestable: Readonly<Record<string, string>> = {
  "VER-NEG-4":
    "Version 1.0 is the only version; no addition of a higher minor version exists for a client to misuse, so no exchange can show a violation. It becomes checkable with 1.1: the scripted server then states 1.0 and a check looks for 1.1 additions on the wire. The reference clients send only 1.0 frames and headers (src/client/ws_client_test.ts, src/client/stream_client_test.ts).",
  "ENV-TYPE-2":
    "Naming the types of one's own events in a reverse-domain namespace is a choice of the application, not of a client library an adapter drives. The events suite sees an application's own types, but whether a namespace is a domain its producer controls cannot be told from the name (`acme.deploy.started` may be one, `com.x.y` may be borrowed), so no check can find a violation without false alarms.",
};
