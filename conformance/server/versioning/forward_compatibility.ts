// versioning.md §3: a server ignores what a later minor version may add.

import fc from "fast-check";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";

// Names this specification gives a meaning; an unknown name is none of these.
const KNOWN_HEADERS = new Set([
  "agent-stream-version",
  "agent-stream-kind",
  "stream-next-offset",
  "stream-up-to-date",
  "stream-closed",
  "stream-cursor",
  "stream-ttl",
  "stream-expires-at",
  "stream-seq",
  "stream-forked-from",
  "stream-fork-offset",
  "stream-sse-data-encoding",
]);
// Producer headers, and HTTP's own, which mean something to any server.
const HTTP_HEADERS =
  /^(producer-|content-|accept|if-|last-event-id|origin|host|connection|upgrade|te$|trailer|transfer|expect|range|cookie|authorization|proxy|sec-|access-control|keep-alive|via|date$|referer)/i;
const KNOWN_PARAMETERS = new Set(["offset", "limit", "live", "cursor"]);

const headersArb: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.tuple(
    fc.constantFrom("X-", "Agent-Stream-", "Stream-", ""),
    fc.stringMatching(/^[A-Z][a-z]{2,8}(-[A-Z][a-z]{1,6})?$/),
  ).map(([prefix, name]) => prefix + name).filter((name) =>
    !KNOWN_HEADERS.has(name.toLowerCase()) && !HTTP_HEADERS.test(name)
  ),
  fc.stringMatching(/^[!-~]([ -~]{0,10}[!-~])?$/),
  { minKeys: 1, maxKeys: 3 },
);

const parametersArb: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.stringMatching(/^[a-z][a-z_]{0,7}$/).filter((name) => !KNOWN_PARAMETERS.has(name)),
  fc.string({ maxLength: 8 }),
  { minKeys: 1, maxKeys: 3 },
);

type Op =
  | { readonly kind: "append"; readonly size: number }
  | { readonly kind: "read"; readonly offset: number; readonly limit?: number }
  | { readonly kind: "head" }
  | { readonly kind: "poll" }
  | { readonly kind: "close" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.integer({ min: 1, max: 3 }).map((size) => ({ kind: "append" as const, size })),
  fc.record({
    kind: fc.constant("read" as const),
    offset: fc.nat(),
    limit: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  }),
  fc.constant({ kind: "head" as const }),
  fc.constant({ kind: "poll" as const }),
  fc.constant({ kind: "close" as const }),
);

const extrasArb = fc.record({ headers: headersArb, query: parametersArb });

/** Checks of versioning.md §3 (forward compatibility). */
export const versioningForwardCompatibilityChecks: readonly Check[] = [
  defineCheck({
    id: "versioning.forward.unknown-headers-and-parameters",
    title:
      "requests carrying unknown headers and query parameters are answered as they are without them",
    section: "versioning.md §3",
    requirements: ["VER-FWD-1"],
    async run(t) {
      await t.property(
        fc.record({
          create: extrasArb,
          ops: fc.array(fc.tuple(opArb, extrasArb), { minLength: 1, maxLength: 6 }),
        }),
        async ({ create, ops }, run) => {
          const plain = run.streamUrl(run.stream("plain"));
          const decorated = run.streamUrl(run.stream("decorated"));
          await twice(
            run,
            "create",
            sender(run, plain)("PUT", "", { headers: JSON_TYPE }),
            sender(run, decorated, create)("PUT", "", { headers: JSON_TYPE }),
          );
          let tail = 0;
          for (const [op, extras] of ops) {
            const a = sender(run, plain);
            const b = sender(run, decorated, extras);
            switch (op.kind) {
              case "append": {
                const body = Array.from({ length: op.size }, (_, i) => ({ n: tail + i }));
                const [reply] = await twice(
                  run,
                  "append",
                  a("POST", "", { body }),
                  b("POST", "", { body }),
                );
                if (reply.status < 300) tail += op.size;
                break;
              }
              case "read": {
                const query = `?offset=${String(op.offset % (tail + 1)).padStart(16, "0")}${
                  op.limit === undefined ? "" : `&limit=${op.limit}`
                }`;
                await twice(run, "read", a("GET", query), b("GET", query));
                break;
              }
              case "head":
                await twice(run, "HEAD", a("HEAD", ""), b("HEAD", ""));
                break;
              case "poll": {
                // Only where messages wait, so that no long-poll waits.
                if (tail === 0 || !run.features.has("long-poll")) break;
                const query = "?offset=-1&live=long-poll";
                await twice(run, "long-poll", a("GET", query), b("GET", query));
                break;
              }
              case "close": {
                const closing = { headers: { "Stream-Closed": "true" } };
                await twice(run, "close", a("POST", "", closing), b("POST", "", closing));
                break;
              }
            }
          }
        },
        { numRuns: 10 },
      );
    },
  }),
  defineCheck({
    id: "versioning.forward.unknown-frame-members",
    title: "WebSocket frames carrying unknown members are processed as they are without them",
    section: "versioning.md §3",
    requirements: ["VER-FWD-1"],
    features: ["websocket"],
    async run(t) {
      const path = t.stream();
      const url = t.streamUrl(path);
      const created = await t.http.request("PUT", url, {
        headers: { "Content-Type": "application/json" },
      });
      if (created.status !== 201) {
        throw new Error(`setup: creating ${url} answered ${created.status}`);
      }
      const ws = await t.ws();
      const wait = Math.min(t.timeoutMs, 3000);
      ws.send({
        type: "hello",
        version: "1.0",
        client: { name: "conformance", version: "1", build: { n: 7 } },
        resumeToken: "future-member",
        features: ["future"],
      });
      const welcome = await ws.nextMatching((f) => f.type !== "ping", wait);
      t.expectEqual(
        "VER-FWD-1",
        welcome?.type,
        "welcome",
        "the answer to a hello with unknown members",
      );
      ws.send({
        type: "append",
        req: "r1",
        path,
        messages: [{ n: 0 }],
        priority: 3,
        trace: { id: "x" },
      });
      const appended = await ws.nextMatching((f) => f.req === "r1", wait);
      t.expectEqual(
        "VER-FWD-1",
        appended?.type,
        "appended",
        "the answer to an append with unknown members",
      );
      ws.send({ type: "subscribe", sub: "s1", path, offset: "-1", filter: "future", batch: 2 });
      const subscribed = await ws.nextMatching((f) => f.sub === "s1", wait);
      t.expectEqual(
        "VER-FWD-1",
        subscribed?.type,
        "subscribed",
        "the answer to a subscribe with unknown members",
      );
      const data = await ws.nextMatching((f) => f.sub === "s1" && f.type === "data", wait);
      t.expectEqual(
        "VER-FWD-1",
        data?.messages,
        [{ n: 0 }],
        "the messages a subscribe with unknown members delivers",
      );
      ws.close();
    },
  }),
];

function withQuery(url: string, query: Record<string, string>): string {
  const extra = new URLSearchParams(query).toString();
  if (!extra) return url;
  return url + (url.includes("?") ? "&" : "?") + extra;
}

const JSON_TYPE = { "Content-Type": "application/json" };

type Send = (
  method: string,
  query: string,
  options?: { body?: unknown; headers?: Record<string, string> },
) => () => Promise<HttpReply>;

/** Requests to `url`, carrying `extras` (unknown headers and parameters) when given. */
function sender(
  t: CheckContext,
  url: string,
  extras?: { headers: Record<string, string>; query: Record<string, string> },
): Send {
  return (method, query, options = {}) => () =>
    t.http.request(method, withQuery(url + query, extras?.query ?? {}), {
      headers: {
        ...extras?.headers,
        ...options.headers,
        ...(options.body === undefined ? {} : JSON_TYPE),
      },
      body: options.body === undefined ? undefined : { json: options.body },
    });
}

/** Sends the plain request, then the decorated one, and compares what matters of the answers. */
async function twice(
  t: CheckContext,
  what: string,
  plain: () => Promise<HttpReply>,
  decorated: () => Promise<HttpReply>,
): Promise<[HttpReply, HttpReply]> {
  const a = await plain();
  const b = await decorated();
  // Only reads answer with messages; other bodies may name the stream, which differs.
  const read = what === "read" || what === "long-poll";
  t.expectEqual(
    "VER-FWD-1",
    summary(b, read),
    summary(a, read),
    `the ${what} with unknown headers and parameters`,
  );
  return [a, b];
}

function summary(reply: HttpReply, withBody: boolean): unknown {
  const header = (name: string) => reply.headers.get(name);
  const body = reply.json as { type?: unknown } | undefined;
  return {
    status: reply.status,
    nextOffset: header("stream-next-offset"),
    upToDate: header("stream-up-to-date"),
    closed: header("stream-closed"),
    kind: header("agent-stream-kind"),
    contentType: header("content-type")?.split(";")[0],
    body: reply.status >= 400 ? body?.type : withBody ? reply.json : undefined,
  };
}
