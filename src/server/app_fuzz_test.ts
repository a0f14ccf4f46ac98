// Random requests, well-formed and not, against a server holding streams of
// every kind. Whatever arrives, the answer has a status the spec gives that
// method (never 500), every error carries a valid problem (ERR-HTTP-1…3),
// and a refused request leaves the log as it was (HTTP-ERR-2).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { StoreError } from "../stores/event_store.ts";
import { problemOf, type TestServer, urlOf, withServer } from "./_http_test_kit.ts";

const LIMITS = { maxBodyBytes: 512, maxMessageBytes: 128, maxReadMessages: 5, maxStreams: 14 };

/** Streams the snapshot covers: set up ones and those random PUTs may create. */
const PATHS = ["j", "a", "t", "c", "src", "f", "gone", "f2", "n1", "n2/x", "caf\u00e9"];

async function setUp(t: TestServer): Promise<void> {
  const json = { "content-type": "application/json" };
  await t.call("PUT", "j", { headers: json, body: "[1, 2, 3]" });
  await t.call("PUT", "a", {
    headers: { ...json, "agent-stream-kind": "agent" },
    body: '{"type":"run.started"}',
  });
  await t.call("PUT", "t", { headers: { "content-type": "text/plain" }, body: "abc" });
  await t.call("PUT", "c", { headers: { ...json, "stream-closed": "true" }, body: "[1]" });
  await t.call("PUT", "src", { headers: json, body: "[0]" });
  await t.call("PUT", "f", { headers: { "stream-forked-from": "src" } });
  await t.call("PUT", "gone", { headers: json, body: "[9]" });
  await t.call("PUT", "f2", { headers: { "stream-forked-from": "gone" } });
  await t.call("DELETE", "gone");
}

/** Everything the log holds for the paths of interest, read from the store itself. */
async function snapshot(t: TestServer): Promise<string> {
  const decoder = new TextDecoder();
  const parts: unknown[] = [];
  for (const path of PATHS) {
    try {
      const info = await t.store.head(path);
      const { messages } = await t.store.read(path, { offset: 0, limit: 1_000_000 });
      parts.push([info, messages.map((m) => decoder.decode(m))]);
    } catch (error) {
      parts.push(error instanceof StoreError ? error.slug : String(error));
    }
  }
  return JSON.stringify(parts);
}

const streamPath = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...PATHS.map(encodeURIComponent), "n2/x", "caf%C3%A9") },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "",
      "a//b",
      "x/",
      "%00",
      "a%2F..%2Fb",
      "%2e",
      "%ff",
      "%",
      "%E2%82",
      "x%5Cy",
      "x".repeat(1100),
      "%F0%9F%98%80",
      "j%3Foffset%3D1",
    ),
  },
).map((p) => "/v1/stream/" + p);

const path = fc.oneof(
  { weight: 8, arbitrary: streamPath },
  {
    weight: 1,
    arbitrary: fc.constantFrom("/v1", "/v1/", "/v1/ws", "/nope", "/v1/stream", "/v1/streamx"),
  },
);

const offset = fc.constantFrom(
  "-1",
  "now",
  "0000000000000000",
  "0000000000000001",
  "0000000000000003",
  "0000000000000099",
  "1",
  "",
  "abc",
  "-2",
);

/** `undefined` most of the time, a value one time in `n`. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, n: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: n - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
}

const query = fc.record({
  offset: sometimes(offset, 2),
  offset2: sometimes(offset, 10),
  limit: sometimes(fc.constantFrom("1", "2", "0", "-1", "x", "99999999999999999999"), 3),
  live: sometimes(fc.constantFrom("long-poll", "long-poll", "junk", ""), 3),
  cursor: sometimes(fc.constantFrom("1", "99999999999999999999", "zz"), 5),
}).map((q) => {
  const params = new URLSearchParams();
  if (q.offset !== undefined) params.append("offset", q.offset);
  if (q.offset2 !== undefined) params.append("offset", q.offset2);
  if (q.limit !== undefined) params.append("limit", q.limit);
  if (q.live !== undefined) params.append("live", q.live);
  if (q.cursor !== undefined) params.append("cursor", q.cursor);
  const text = params.toString();
  return text === "" ? "" : "?" + text;
});

const integerText = fc.constantFrom("0", "1", "2", "5", "-1", "1e3", "01", "x", "9007199254740992");

const headerValues: Record<string, fc.Arbitrary<string>> = {
  "content-type": fc.constantFrom(
    "application/json",
    "application/json",
    "APPLICATION/JSON; charset=utf-8",
    "text/plain",
    "application/octet-stream",
    "video/mp4",
    "garbage",
  ),
  "stream-closed": fc.constantFrom("true", "TRUE", "false", ""),
  "producer-id": fc.constantFrom("p", "q", ""),
  "producer-epoch": integerText,
  "producer-seq": integerText,
  "stream-seq": fc.stringMatching(/^[!-~]{0,4}$/),
  "stream-ttl": fc.constantFrom("60", "0", "-1", "00", "1.5"),
  "stream-expires-at": fc.constantFrom("2030-01-01T00:00:00Z", "2020-01-01T00:00:00Z", "tomorrow"),
  "agent-stream-kind": fc.constantFrom("json", "agent", "Agent"),
  "agent-stream-version": fc.constantFrom("1.0", "1.3", "2.0", "x"),
  "if-none-match": fc.constantFrom("*", '"nope"'),
  "stream-forked-from": fc.constantFrom("j", "src", "a", "missing", "gone", "/v1/stream/t", "a//b"),
  "stream-fork-offset": fc.constantFrom(
    "0000000000000000",
    "0000000000000001",
    "0000000000000050",
    "x",
  ),
  "stream-fork-sub-offset": fc.constantFrom("0", "1", "01", "x"),
};

// A few headers per request, so that most requests get past header checks.
const headers = fc.array(
  fc.oneof(
    ...Object.entries(headerValues).map(([name, value]) => value.map((v) => [name, v] as const)),
  ),
  { maxLength: 4 },
).map((entries) => ({ "content-type": "application/json", ...Object.fromEntries(entries) }));

const envelope = fc.record({
  type: fc.constantFrom("run.started", "text.delta", "Bad", 7 as unknown as string),
  id: fc.option(fc.constantFrom("e1", ""), { nil: undefined }),
});

const body = fc.oneof(
  fc.constant(undefined),
  fc.constant(""),
  fc.constant("[]"),
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: fc.array(envelope, { maxLength: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: envelope.map((v) => JSON.stringify(v)) },
  fc.string({ maxLength: 20 }),
  fc.constant("x".repeat(600)),
  fc.constant(`["${"y".repeat(200)}"]`),
);

const request = fc.record({
  method: fc.constantFrom(
    "GET",
    "GET",
    "HEAD",
    "PUT",
    "POST",
    "POST",
    "DELETE",
    "OPTIONS",
    "PATCH",
  ),
  path,
  query,
  headers,
  body,
});

/** The statuses the spec gives each method on a stream URL. */
const STREAM_STATUSES: Record<string, number[]> = {
  GET: [200, 204, 304, 400, 404, 410, 429],
  HEAD: [200, 400, 404, 410],
  PUT: [200, 201, 400, 404, 409, 413, 415, 507],
  POST: [200, 204, 400, 403, 404, 409, 410, 413],
  DELETE: [204, 400, 404, 410],
  OPTIONS: [204],
  PATCH: [405],
};

function allowed(method: string, pathname: string): number[] {
  if (pathname === "/v1") {
    return method === "GET" || method === "HEAD" ? [200] : method === "OPTIONS" ? [204] : [405];
  }
  if (pathname === "/v1/ws") return method === "GET" ? [400] : [405];
  if (!pathname.startsWith("/v1/stream/")) return [404];
  return STREAM_STATUSES[method];
}

describe("request fuzz", () => {
  it("answers every request with a spec status and a valid problem, leaving the log alone when refusing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(request, { minLength: 1, maxLength: 12 }),
        (requests) =>
          withServer(async (t) => {
            await setUp(t);
            for (const r of requests) {
              const withBody = r.method !== "GET" && r.method !== "HEAD" && r.body !== undefined;
              const url = urlOf(r.path) + r.query;
              const before = await snapshot(t);
              const response = await t.server.fetch(
                new Request(url, {
                  method: r.method,
                  headers: r.headers,
                  body: withBody ? r.body : undefined,
                }),
              );
              const label = `${r.method} ${url} ${JSON.stringify(r.headers)} ${
                JSON.stringify(r.body)
              }`;
              const pathname = new URL(url).pathname;
              assert.ok(
                allowed(r.method, pathname).includes(response.status),
                `${response.status} for ${label}`,
              );
              assert.equal(response.headers.get("agent-stream-version"), "1.0");
              if (r.method === "HEAD" || response.status < 400) {
                if (r.method === "HEAD" || response.status === 204 || response.status === 304) {
                  assert.equal(await response.text(), "", label);
                } else if (
                  r.method === "GET" && pathname.startsWith("/v1/stream/") &&
                  response.headers.get("content-type") === "application/json"
                ) {
                  assert.ok(Array.isArray(JSON.parse(await response.text())), label);
                } else {
                  await response.body?.cancel();
                }
              } else {
                await problemOf(response).catch((error) =>
                  assert.fail(`${error.message}: ${label}`)
                );
              }
              const reading = r.method === "GET" || r.method === "HEAD" || r.method === "OPTIONS";
              if (response.status >= 400 || reading) {
                assert.equal(
                  await snapshot(t),
                  before,
                  `log changed by ${response.status} ${label}`,
                );
              }
            }
          }, { limits: LIMITS, timing: { longPollTimeoutMs: 5 } }),
      ),
      { numRuns: 150 },
    );
  });
});
