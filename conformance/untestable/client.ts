// Requirements of clients, producers and consumers that no check of the
// client suite tests, with the reason and how they are tested instead. An
// adapter shows what its client sends and delivers; it cannot show choices
// the application makes, nor additions of versions that do not exist yet.

/** ID → reason. */
export const clientUntestable: Readonly<Record<string, string>> = {
  "VER-NEG-4":
    "Version 1.0 is the only version; no addition of a higher minor version exists for a client to misuse, so no exchange can show a violation. It becomes checkable with 1.1: the scripted server then states 1.0 and a check looks for 1.1 additions on the wire. The reference clients send only 1.0 frames and headers (src/client/ws_client_test.ts, src/client/stream_client_test.ts).",
  "ENV-SHAPE-3":
    "Event ids are chosen by the application that produces the events; an adapter appends the events the runner gives it, so the runner sees its own choice, not the producer's. The producer library's part, passing ids through unchanged, is checked by client.envelope.shape.producer-emits-envelopes.",
  "ENV-TYPE-1":
    "Which event types a producer emits is the application's choice; an adapter appends the events the runner gives it, so no check can observe a producer's own choice of type. The envelope check (client.envelope.shape.producer-emits-envelopes) shows that the library emits the types it is given; servers reject no type (ENV-AGENT-4).",
  "ENV-TYPE-2":
    "Naming the types of one's own events in a reverse-domain namespace is a choice of the application, not of a client library an adapter drives; there is no exchange in which a library could violate it.",
};
