// websocket.md §3: the endpoint and the opening handshake.

import fc from "fast-check";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import { Violation } from "../../violation.ts";
import { endpointUrl } from "./_connection_kit.ts";

const SUBPROTOCOL = "agent-stream.v1";

/** The headers of a valid opening handshake (RFC 6455 §4.1), without a subprotocol. */
const OPENING: Readonly<Record<string, string>> = {
  Upgrade: "websocket",
  Connection: "Upgrade",
  "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
  "Sec-WebSocket-Version": "13",
};

/** Ways a GET can fail to be an opening handshake (RFC 6455 §4.2.1), as header changes. */
const NOT_A_HANDSHAKE: readonly (readonly [string, Record<string, string | null>])[] = [
  ["a plain GET", {
    Upgrade: null,
    Connection: null,
    "Sec-WebSocket-Key": null,
    "Sec-WebSocket-Version": null,
    "Sec-WebSocket-Protocol": null,
  }],
  ["no Upgrade", { Upgrade: null }],
  ["Upgrade: h2c", { Upgrade: "h2c" }],
  ["no Connection: Upgrade", { Connection: null }],
  ["Connection: keep-alive", { Connection: "keep-alive" }],
  ["no Sec-WebSocket-Key", { "Sec-WebSocket-Key": null }],
  ["a Sec-WebSocket-Key of 5 bytes", { "Sec-WebSocket-Key": "c2hvcnQ=" }],
  ["no Sec-WebSocket-Version", { "Sec-WebSocket-Version": null }],
  ["Sec-WebSocket-Version: 8", { "Sec-WebSocket-Version": "8" }],
];

/** Checks of websocket.md §3 (endpoint and opening handshake). */
export const websocketHandshakeChecks: readonly Check[] = [
  defineCheck({
    id: "websocket.handshake.subprotocol",
    title: "a handshake offering agent-stream.v1 among others is upgraded with agent-stream.v1",
    section: "websocket.md §3",
    requirements: ["WS-HANDSHAKE-2"],
    features: ["websocket"],
    async run(t) {
      const others = fc.uniqueArray(
        fc.stringMatching(/^[a-z][a-z0-9.-]{0,15}$/).filter((p) => p !== SUBPROTOCOL),
        { maxLength: 3 },
      );
      await t.property(fc.tuple(others, fc.nat()), async ([offered, at], run) => {
        const protocols = [...offered];
        protocols.splice(at % (offered.length + 1), 0, SUBPROTOCOL);
        const ws = await run.ws(protocols);
        run.expect("WS-HANDSHAKE-2", ws.isOpen, `a handshake offering ${protocols} was refused`);
        run.expectEqual("WS-HANDSHAKE-2", ws.protocol, SUBPROTOCOL, "the selected subprotocol");
      }, { numRuns: 8 });
    },
  }),
  defineCheck({
    id: "websocket.handshake.no-subprotocol",
    title: "a handshake not offering agent-stream.v1 is refused: 400 unsupported-version",
    section: "websocket.md §3",
    requirements: ["WS-HANDSHAKE-3"],
    features: ["websocket"],
    async run(t) {
      const url = endpointUrl(t);
      const offers = fc.uniqueArray(
        fc.oneof(
          fc.constantFrom("agent-stream.v2", "agent-stream", "agent-stream.v10", "graphql-ws"),
          fc.stringMatching(/^[a-z][a-z0-9.-]{0,15}$/),
        ).filter((p) => p !== SUBPROTOCOL),
        { maxLength: 3 },
      );
      await t.property(offers, async (offered, run) => {
        const headers: Record<string, string> = { ...OPENING };
        if (offered.length > 0) headers["Sec-WebSocket-Protocol"] = offered.join(", ");
        const reply = await refusal(run, "WS-HANDSHAKE-3", "GET", url, headers);
        run.expectProblem("WS-HANDSHAKE-3", reply, 400, "unsupported-version");
        const supported = (reply.json as { supported?: unknown }).supported;
        run.expectEqual(
          "WS-HANDSHAKE-3",
          Array.isArray(supported) ? [...supported].sort() : supported,
          [...run.discovery.versions].sort(),
          "the problem's supported versions against the discovery document's versions",
        );
      }, { numRuns: 8 });
    },
  }),
  defineCheck({
    id: "websocket.handshake.not-a-handshake",
    title: "a GET to the endpoint that is not a valid opening handshake answers 400 invalid-header",
    section: "websocket.md §3",
    requirements: ["WS-HANDSHAKE-4"],
    features: ["websocket"],
    async run(t) {
      const url = endpointUrl(t);
      for (const [what, change] of NOT_A_HANDSHAKE) {
        const headers: Record<string, string> = {
          ...OPENING,
          "Sec-WebSocket-Protocol": SUBPROTOCOL,
        };
        for (const [name, value] of Object.entries(change)) {
          if (value === null) delete headers[name];
          else headers[name] = value;
        }
        t.note(`a GET with ${what}`);
        const reply = await refusal(t, "WS-HANDSHAKE-4", "GET", url, headers);
        t.expectProblem("WS-HANDSHAKE-4", reply, 400, "invalid-header");
      }
    },
  }),
  defineCheck({
    id: "websocket.handshake.method",
    title: "other methods than GET on the endpoint answer 405 method-not-allowed",
    section: "websocket.md §3",
    requirements: ["WS-HANDSHAKE-5"],
    features: ["websocket"],
    async run(t) {
      const url = endpointUrl(t);
      const methods = fc.constantFrom("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD");
      // Without Upgrade headers: HTTP servers (hyper among them) refuse a non-GET upgrade themselves.
      await t.property(fc.tuple(methods, fc.boolean()), async ([method, versioned], run) => {
        const headers: Record<string, string> = versioned
          ? { "Sec-WebSocket-Protocol": SUBPROTOCOL, "Agent-Stream-Version": "1.0" }
          : {};
        const reply = await refusal(run, "WS-HANDSHAKE-5", method, url, headers);
        if (method === "HEAD") run.expectStatus("WS-HANDSHAKE-5", reply, 405);
        else run.expectProblem("WS-HANDSHAKE-5", reply, 405, "method-not-allowed");
      }, { numRuns: 8 });
    },
  }),
  defineCheck({
    id: "websocket.handshake.wrong-path",
    title: "a handshake to a path beside the endpoint answers 404 not-found",
    section: "websocket.md §3, http.md §1",
    requirements: ["HTTP-RES-2"],
    features: ["websocket"],
    async run(t) {
      const url = new URL(endpointUrl(t));
      const suffix = fc.oneof(
        fc.stringMatching(/^\/[a-z0-9]{1,8}$/),
        fc.stringMatching(/^[a-z0-9]{1,8}$/).map((s) => `-${s}`),
        fc.stringMatching(/^[a-z]{1,4}$/),
      );
      await t.property(suffix, async (extra, run) => {
        const wrong = new URL(url.pathname.replace(/\/+$/, "") + extra, url).href;
        const headers = { ...OPENING, "Sec-WebSocket-Protocol": SUBPROTOCOL };
        const reply = await refusal(run, "HTTP-RES-2", "GET", wrong, headers);
        run.expectProblem("HTTP-RES-2", reply, 404, "not-found");
      }, { numRuns: 6 });
    },
  }),
  defineCheck({
    id: "websocket.handshake.without-feature",
    title: "a server without the websocket feature answers /v1/ws with 404 not-found",
    section: "websocket.md §3",
    requirements: ["WS-HANDSHAKE-6"],
    async run(t) {
      if (t.features.has("websocket")) {
        t.skip("the server lists the feature websocket; the rule is for servers that do not");
      }
      const attempts: [string, Record<string, string>][] = [
        ["GET", {}],
        ["GET", { ...OPENING, "Sec-WebSocket-Protocol": SUBPROTOCOL }],
        ["POST", {}],
      ];
      for (const [method, headers] of attempts) {
        const reply = await refusal(t, "WS-HANDSHAKE-6", method, "/v1/ws", headers);
        t.expectProblem("WS-HANDSHAKE-6", reply, 404, "not-found");
      }
    },
  }),
];

/**
 * A request that the server must refuse; one it upgrades instead never
 * completes as a plain response, which is reported as a violation.
 */
async function refusal(
  t: CheckContext,
  requirement: string,
  method: string,
  url: string,
  headers: Record<string, string>,
): Promise<HttpReply> {
  try {
    return await t.http.request(method, url, { headers, timeoutMs: Math.min(t.timeoutMs, 3000) });
  } catch (error) {
    throw new Violation(
      requirement,
      `no refusal: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
