// discovery.md §4: the bindings the document lists are where it says.

import fc from "fast-check";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import type { WsProbe } from "../../ws_probe.ts";
import { setupRequest } from "../errors/_setup.ts";
import { utf8Length } from "../errors/_bodies.ts";

const SUBPROTOCOL = "agent-stream.v1";

/** A character a stream path may hold: no control character, `/` or `\`. */
function fcPathChar(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(" ", "%", "?", "#", "+", "&", "=", ";", "'", "~", ".", "é", "€", "中", "😀"),
    fc.integer({ min: 0x20, max: 0x7e }),
    fc.integer({ min: 0xa0, max: 0xfffd }).filter((c) => c < 0xd800 || c > 0xdfff),
    fc.integer({ min: 0x10000, max: 0x10ffff }),
  ).map((c) => (typeof c === "string" ? c : String.fromCodePoint(c)))
    .filter((c) => c !== "/" && c !== "\\" && c !== "\u007f");
}

/** One stream-path segment the naming rules allow: not `.` or `..`. */
function fcSegment(): fc.Arbitrary<string> {
  return fc.array(fcPathChar(), { minLength: 1, maxLength: 6 }).map((chars) => chars.join(""))
    .filter((segment) => segment !== "." && segment !== "..");
}

/** Opens a WebSocket to the advertised endpoint; `undefined` when the handshake fails. */
async function handshake(t: CheckContext): Promise<WsProbe | undefined> {
  const ws = await t.ws();
  return ws.isOpen ? ws : undefined;
}

/** Checks of discovery.md §4 (bindings). */
export const discoveryBindingsChecks: readonly Check[] = [
  defineCheck({
    id: "discovery.bindings.stream-urls",
    title:
      "streams are served at streamPrefix plus the percent-encoded path, whatever its characters",
    section: "discovery.md §4",
    requirements: ["DISC-BIND-1"],
    async run(t) {
      if (t.discovery.limits.maxStreamPathBytes < 200) {
        t.skip("maxStreamPathBytes leaves no room for the random paths of this check");
      }
      await t.property(
        fc.record({
          segments: fc.array(fcSegment(), { minLength: 1, maxLength: 3 }),
          values: fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
        }),
        async ({ segments, values }, run) => {
          const path = [run.stream(), ...segments].join("/");
          if (utf8Length(path) > t.discovery.limits.maxStreamPathBytes) return;
          const url = run.streamUrl(path);
          const created = await run.http.request("PUT", url, {
            headers: { "Content-Type": "application/json" },
          });
          run.expectStatus("DISC-BIND-1", created, 201);
          const appended = await run.http.request("POST", url, { body: { json: values } });
          run.expectStatus("DISC-BIND-1", appended, [200, 204]);
          const read = await run.http.request("GET", run.streamUrl(path, { offset: "-1" }));
          run.expectStatus("DISC-BIND-1", read, 200);
          run.expectEqual("DISC-BIND-1", read.json, values, `the messages of ${path}`);
        },
      );
    },
  }),
  defineCheck({
    id: "discovery.bindings.match-features",
    title:
      "longPoll, sse and websocket bindings are present exactly when their features are listed",
    section: "discovery.md §4",
    requirements: ["DISC-BIND-2", "DISC-BIND-3", "DISC-BIND-4"],
    async run(t) {
      const reply = await setupRequest(
        t,
        "GET",
        "/v1",
        {},
        [200],
        "reading the discovery document",
      );
      const doc = reply.json as { bindings?: Record<string, unknown>; features?: string[] };
      const features = doc.features ?? [];
      const pairs = [
        ["DISC-BIND-2", "longPoll", "long-poll"],
        ["DISC-BIND-3", "sse", "sse"],
        ["DISC-BIND-4", "websocket", "websocket"],
      ] as const;
      for (const [id, binding, feature] of pairs) {
        const present = doc.bindings?.[binding] !== undefined;
        const listed = features.includes(feature);
        t.expect(
          id,
          present === listed,
          listed
            ? `the feature ${feature} is listed but bindings.${binding} is missing`
            : `bindings.${binding} is present but the feature ${feature} is not listed`,
        );
      }
    },
  }),
  defineCheck({
    id: "discovery.bindings.websocket",
    title: "the WebSocket binding offers agent-stream.v1, accepts handshakes at its path, " +
      "and its heartbeat is the welcome's",
    section: "discovery.md §4",
    requirements: ["DISC-BIND-5", "DISC-BIND-6", "DISC-BIND-7"],
    async run(t) {
      const binding = t.discovery.bindings.websocket;
      if (binding === undefined) return t.skip("the server advertises no WebSocket binding");
      t.expect(
        "DISC-BIND-5",
        binding.subprotocols?.includes(SUBPROTOCOL),
        `bindings.websocket.subprotocols is ${JSON.stringify(binding.subprotocols)}`,
      );
      const ws = await handshake(t);
      t.expect(
        "DISC-BIND-6",
        ws !== undefined,
        `no WebSocket handshake completed at ${binding.path}`,
      );
      ws!.send({ type: "hello", version: "1.0" });
      const welcome = await ws!.nextMatching(() => true, t.timeoutMs);
      if (welcome?.type !== "welcome") {
        throw new Error(`setup failed: hello was answered with ${JSON.stringify(welcome)}`);
      }
      if (binding.heartbeatMs === undefined) return;
      t.expectEqual(
        "DISC-BIND-7",
        welcome.heartbeatMs,
        binding.heartbeatMs,
        "welcome.heartbeatMs beside bindings.websocket.heartbeatMs",
      );
    },
  }),
];
