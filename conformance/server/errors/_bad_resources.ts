// Refused requests for resources, methods, names and versions (http.md §1–§3,
// discovery.md §1, versioning.md §2, websocket.md §3).

import fc from "fast-check";
import {
  type BadRequestKind,
  JSON_HEADERS,
  kind,
  request,
  UNDEFINED_METHODS,
} from "./_bad_request_kit.ts";
import { seedStream } from "./_setup.ts";

/** Raw stream-path defects, each appended to a valid path (or standing for the whole path). */
const NAME_DEFECTS = [
  "//x",
  "/",
  "/%2F%2Fx",
  "%2F.%2Fx",
  "%2F..%2Fx",
  "/a%00b",
  "/a%1Fb",
  "/a%7Fb",
  "/a%5Cb",
  "/a%FFb",
  "/a%E2%82",
  "/%C0%AF",
  "too-long",
  "empty",
] as const;

function firstSegmentBelow(path: string | undefined, base: string): string | undefined {
  if (path === undefined || !path.startsWith(base)) return undefined;
  return path.slice(base.length).split("/")[0];
}

/** Refused requests for resources. */
export const resourceKinds: readonly BadRequestKind[] = [
  kind({
    kind: "stream-undefined-method",
    params: () => fc.constantFrom(...UNDEFINED_METHODS),
    async send(t, method) {
      const s = await seedStream(t, { messages: 1 });
      return {
        what: `${method} on a stream`,
        reply: await request(t, method, s.url),
        slugs: ["method-not-allowed"],
      };
    },
  }),
  kind({
    kind: "discovery-undefined-method",
    params: () => fc.constantFrom("POST", "PUT", "DELETE", ...UNDEFINED_METHODS),
    async send(t, method) {
      const body = ["POST", "PUT", "PATCH"].includes(method) ? "{}" : undefined;
      return {
        what: `${method} on the discovery document`,
        reply: await request(t, method, "/v1", {
          ...(body ? { body, headers: JSON_HEADERS } : {}),
        }),
        slugs: ["method-not-allowed"],
      };
    },
  }),
  kind({
    kind: "unknown-resource",
    params: (t) => {
      const taken = [
        firstSegmentBelow(t.discovery.bindings.http.streamPrefix, "/v1/"),
        firstSegmentBelow(t.discovery.bindings.websocket?.path, "/v1/"),
        "ws",
        "stream",
      ];
      return fc.tuple(
        fc.stringMatching(/^[a-z0-9-]{1,12}$/).filter((s) => !taken.includes(s)),
        fc.boolean(),
      );
    },
    async send(t, [segment, deeper]) {
      return {
        what: "a path under /v1 that names no resource",
        reply: await request(t, "GET", `/v1/${segment}${deeper ? "/x" : ""}`),
        slugs: ["not-found"],
      };
    },
  }),
  kind({
    kind: "invalid-stream-name",
    params: (t) =>
      fc.record({
        defect: fc.constantFrom(
          ...NAME_DEFECTS.filter((d) =>
            d !== "too-long" || t.discovery.limits.maxStreamPathBytes <= 16 * 1024
          ),
        ),
        method: fc.constantFrom("GET", "PUT", "POST", "DELETE"),
      }),
    async send(t, { defect, method }) {
      const prefix = t.discovery.bindings.http.streamPrefix;
      const url = defect === "empty"
        ? prefix
        : defect === "too-long"
        ? prefix + "x".repeat(t.discovery.limits.maxStreamPathBytes + 1)
        : t.streamUrl(t.stream()) + defect;
      return {
        what: `${method} on an invalid stream path (${defect})`,
        reply: await request(t, method, url, {
          ...(method === "POST" ? { body: { json: [1] } } : {}),
          ...(method === "PUT" ? { headers: JSON_HEADERS } : {}),
        }),
        slugs: ["invalid-stream-name"],
      };
    },
  }),
  kind({
    kind: "unsupported-version",
    params: () =>
      fc.record({
        version: fc.oneof(
          fc.constantFrom("2.0", "0.9", "banana", "1", "1.0.0", "v1", "1.x", "2", "10.0", "1.-1"),
          fc.stringMatching(/^[!-~]{1,12}$/),
        ).filter((text) => !/^0*1\.[0-9]+$/.test(text)),
        method: fc.constantFrom("GET", "PUT", "POST"),
      }),
    async send(t, { version, method }) {
      const existing = method !== "PUT";
      const url = existing ? (await seedStream(t, { messages: 1 })).url : t.streamUrl(t.stream());
      return {
        what: `${method} on a stream naming version ${JSON.stringify(version)}`,
        reply: await request(t, method, url, {
          headers: { ...JSON_HEADERS, "Agent-Stream-Version": version },
          ...(method === "POST" ? { body: "[1]" } : {}),
        }),
        slugs: ["unsupported-version"],
      };
    },
  }),
  kind({
    kind: "websocket-endpoint-not-a-handshake",
    applies: (t) => t.features.has("websocket") && !!t.discovery.bindings.websocket?.path,
    params: () => fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"),
    async send(t, method) {
      return {
        what: `${method} on the WebSocket endpoint without an opening handshake`,
        reply: await request(t, method, t.discovery.bindings.websocket!.path!),
        slugs: [method === "GET" ? "invalid-header" : "method-not-allowed"],
      };
    },
  }),
];
