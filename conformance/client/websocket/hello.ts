// websocket.md §5: hello is the first frame of every connection.

import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { exerciseSession } from "./_streams.ts";

/** Checks of websocket.md §5 (hello and welcome), client side. */
export const wsHelloChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.websocket.hello.first-frame",
    title: "the first frame on every connection, reconnections included, is hello",
    section: "websocket.md §5",
    requirements: ["WS-HELLO-1"],
    features: ["websocket"],
    async run(t) {
      await exerciseSession(t);
      t.expect("WS-HELLO-1", t.server.connections.length > 0, "the client opened no WebSocket");
      for (const connection of t.server.connections) {
        const first = connection.incoming[0];
        if (first === undefined) continue;
        t.expect(
          "WS-HELLO-1",
          first.frame?.type === "hello",
          `the first frame of connection ${connection.index + 1} is ${
            first.text ?? "a binary frame"
          }`,
          { expected: "hello", actual: first.frame?.type },
        );
      }
    },
  }),
];
