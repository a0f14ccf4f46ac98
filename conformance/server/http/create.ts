// http.md §4: creating a stream with PUT (forks are in create_fork.ts).

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import type { CheckContext } from "../../check.ts";
import {
  appendJson,
  type Batch,
  fcBatch,
  fcHeaderText,
  flag,
  messagesOf,
  offset16,
  offsetOf,
  snapshot,
} from "./_support.ts";

const JSON_TYPE = "application/json";

/** The media types the server lists besides JSON (byte streams). */
export function byteTypes(t: CheckContext): string[] {
  return (t.discovery.contentTypes ?? [JSON_TYPE])
    .map((c) => c.split(";")[0].trim().toLowerCase())
    .filter((c) => c !== JSON_TYPE);
}

interface Config {
  readonly contentType: string;
  readonly kind?: "json" | "agent";
  readonly ttl?: string;
  readonly expiresAt?: string;
  readonly closed: boolean;
}

function configHeaders(c: Config): Record<string, string> {
  const h: Record<string, string> = { "Content-Type": c.contentType };
  if (c.kind) h["Agent-Stream-Kind"] = c.kind;
  if (c.ttl) h["Stream-TTL"] = c.ttl;
  if (c.expiresAt) h["Stream-Expires-At"] = c.expiresAt;
  if (c.closed) h["Stream-Closed"] = "true";
  return h;
}

function sameConfig(a: Config, b: Config): boolean {
  return a.contentType === b.contentType && (a.kind ?? "json") === (b.kind ?? "json") &&
    a.ttl === b.ttl && a.expiresAt === b.expiresAt && a.closed === b.closed;
}

function fcConfig(t: CheckContext): fc.Arbitrary<Config> {
  const types = [JSON_TYPE, ...byteTypes(t).slice(0, 1)];
  const kinds: ("json" | "agent" | undefined)[] = [undefined, "json"];
  if (t.features.has("agent")) kinds.push("agent");
  const lifetimes: { ttl?: string; expiresAt?: string }[] = [{}];
  if (t.features.has("ttl")) {
    lifetimes.push({ ttl: "3600" }, { ttl: "7200" }, { expiresAt: "2099-01-01T00:00:00Z" });
  }
  return fc.record({
    contentType: fc.constantFrom(...types),
    kind: fc.constantFrom(...kinds),
    lifetime: fc.constantFrom(...lifetimes),
    closed: fc.boolean(),
  }).map(({ contentType, kind, lifetime, closed }) => ({
    contentType,
    kind: contentType === JSON_TYPE ? kind : undefined,
    ...lifetime,
    closed,
  }));
}

const BAD_TTL = ["+3600", "03600", "3600.0", "3.6e3", "-1", "abc", "0x10", "", "1_000", "00"];
const BAD_INSTANT = [
  "tomorrow",
  "",
  "2099-01-01",
  "2099-01-01T00:00:00",
  "2099-13-01T00:00:00Z",
  "2099-02-30T00:00:00Z",
  "2099-01-01T25:00:00Z",
  "2099-01-01T00:61:00Z",
  "99-01-01T00:00:00Z",
  "2099-01-01T00:00:00+0100",
  "4070908800",
  "2099-01-01T00:00:00Zjunk",
  "Thu, 01 Jan 2099 00:00:00 GMT",
];

/** A valid envelope of an agent stream. */
const ENVELOPE = { type: "conformance.note" };
const NOT_ENVELOPES: unknown[] = [
  {},
  { type: "x" },
  { type: "Bad.Type" },
  { type: "a.b", id: "" },
  { type: "a.b", meta: [] },
  { type: 5 },
  5,
  "text",
  null,
  [ENVELOPE],
];

/** Checks of http.md §4 (create). */
export const httpCreateChecks: readonly Check[] = [
  defineCheck({
    id: "http.create.created",
    title: "a create answers 201 with Stream-Next-Offset at the tail after its initial messages",
    section: "http.md §4",
    requirements: ["HTTP-CREATE-1"],
    async run(t) {
      await t.property(
        fc.option(fc.oneof(fcBatch(), fc.constant<Batch>({ body: "[]", messages: [] }))),
        async (batch, run) => {
          const url = run.streamUrl(run.stream());
          const reply = await run.http.request("PUT", url, {
            headers: { "Content-Type": JSON_TYPE },
            body: batch?.body,
          });
          run.expectStatus("HTTP-CREATE-1", reply, 201);
          const count = batch?.messages.length ?? 0;
          run.expectEqual(
            "HTTP-CREATE-1",
            reply.headers.get("stream-next-offset"),
            offset16(count),
            "Stream-Next-Offset of the create",
          );
          const head = await run.http.request("HEAD", url);
          run.expectEqual("HTTP-CREATE-1", offsetOf(head), count, "tail after the create");
        },
        { numRuns: 12 },
      );
    },
  }),
  defineCheck({
    id: "http.create.idempotent-or-conflict",
    title:
      "a create of an existing stream answers 200 when its configuration is the same, 409 stream-exists otherwise, changing nothing",
    section: "http.md §4",
    requirements: ["HTTP-CREATE-1", "HTTP-CREATE-2", "HTTP-CREATE-3"],
    async run(t) {
      await t.property(
        fc.record({ a: fcConfig(t), b: fcConfig(t), sameAsA: fc.boolean() }),
        async ({ a, b: other, sameAsA }, run) => {
          // The same configuration, sometimes with the default kind spelled out.
          const spelled = a.contentType === JSON_TYPE && other.kind !== undefined;
          const b = sameAsA
            ? { ...a, kind: a.kind ?? (spelled ? "json" as const : undefined) }
            : other;
          const url = run.streamUrl(run.stream());
          const first = await run.http.request("PUT", url, { headers: configHeaders(a) });
          run.expectStatus("HTTP-CREATE-1", first, 201);
          const before = await snapshot(run, url);
          const body = b.contentType === JSON_TYPE ? JSON.stringify([ENVELOPE]) : "bytes";
          const second = await run.http.request("PUT", url, { headers: configHeaders(b), body });
          const after = await snapshot(run, url);
          if (sameConfig(a, b)) {
            run.expectStatus("HTTP-CREATE-2", second, 200);
            run.expectEqual("HTTP-CREATE-2", after, before, "the stream after the repeated create");
          } else {
            run.expectProblem("HTTP-CREATE-3", second, 409, "stream-exists");
            run.expectEqual("HTTP-CREATE-3", after, before, "the stream after the refused create");
          }
        },
        { numRuns: 20 },
      );
    },
  }),
  defineCheck({
    id: "http.create.closed",
    title:
      "a create with Stream-Closed: true stores its initial messages and leaves the stream closed",
    section: "http.md §4",
    requirements: ["HTTP-CREATE-4"],
    async run(t) {
      await t.property(
        fc.record({
          batch: fc.option(fcBatch()),
          value: fc.constantFrom("true", "TRUE", "True", "tRuE"),
        }),
        async ({ batch, value }, run) => {
          const url = run.streamUrl(run.stream());
          const reply = await run.http.request("PUT", url, {
            headers: { "Content-Type": JSON_TYPE, "Stream-Closed": value },
            body: batch?.body,
          });
          run.expectStatus("HTTP-CREATE-4", reply, 201);
          const messages = batch?.messages ?? [];
          const head = await run.http.request("HEAD", url);
          run.expect("HTTP-CREATE-4", flag(head, "stream-closed"), "HEAD: the stream is open");
          run.expectEqual("HTTP-CREATE-4", offsetOf(head), messages.length, "tail");
          const read = await run.http.request("GET", `${url}?offset=-1`);
          run.expectEqual("HTTP-CREATE-4", messagesOf(read), messages, "initial messages");
          run.expect("HTTP-CREATE-4", flag(read, "stream-closed"), "read: the stream is open");
          const append = await appendJson(run, url, ["late"]);
          run.expectStatus("HTTP-CREATE-4", append, 409);
        },
        { numRuns: 8 },
      );
    },
  }),
  defineCheck({
    id: "http.create.bad-lifetime",
    title:
      "a malformed Stream-TTL or Stream-Expires-At answers 400 invalid-header and creates nothing",
    section: "http.md §4",
    requirements: ["HTTP-CREATE-5", "HTTP-ERR-2"],
    features: ["ttl"],
    async run(t) {
      await t.property(
        fc.oneof(
          fc.oneof(
            fc.constantFrom(...BAD_TTL),
            fc.nat().map((n) => `0${n}`),
            fcHeaderText(8).filter((s) => !/^(0|[1-9][0-9]*)$/.test(s) && !/^[0-9]+$/.test(s)),
          ).map((v) => ({ "Stream-TTL": v })),
          fc.constantFrom(...BAD_INSTANT).map((v) => ({ "Stream-Expires-At": v })),
        ),
        async (headers, run) => {
          const url = run.streamUrl(run.stream());
          const reply = await run.http.request("PUT", url, {
            headers: { "Content-Type": JSON_TYPE, ...headers },
          });
          run.expectProblem("HTTP-CREATE-5", reply, 400, "invalid-header");
          run.expectStatus("HTTP-ERR-2", await run.http.request("HEAD", url), 404);
        },
        { numRuns: 15 },
      );
    },
  }),
  defineCheck({
    id: "http.create.kind",
    title:
      "Agent-Stream-Kind other than json or agent answers 400 invalid-header; without it the stream is json",
    section: "http.md §4",
    requirements: ["HTTP-CREATE-6", "HTTP-ERR-2"],
    async run(t) {
      const plain = await t.createStream();
      const head = await t.http.request("HEAD", plain);
      t.expectEqual("HTTP-CREATE-6", head.headers.get("agent-stream-kind"), "json", "kind");
      await t.property(
        fc.oneof(
          fc.constantFrom("JSON", "Agent", "", "text", "json,agent", "agent-v2", "bytes"),
          fcHeaderText(10),
        ).filter((k) => k !== "json" && k !== "agent"),
        async (kind, run) => {
          const url = run.streamUrl(run.stream());
          const reply = await run.http.request("PUT", url, {
            headers: { "Content-Type": JSON_TYPE, "Agent-Stream-Kind": kind },
          });
          run.expectProblem("HTTP-CREATE-6", reply, 400, "invalid-header");
          run.expectStatus("HTTP-ERR-2", await run.http.request("HEAD", url), 404);
        },
        { numRuns: 10 },
      );
    },
  }),
  defineCheck({
    id: "http.create.unsupported-type",
    title:
      "a create with a content type the server does not list answers 415 unsupported-media-type",
    section: "http.md §4",
    requirements: ["HTTP-CREATE-7", "HTTP-ERR-2"],
    async run(t) {
      const listed = new Set([JSON_TYPE, ...byteTypes(t)]);
      await t.property(
        fc.oneof(
          fc.constantFrom(
            "text/html",
            "application/xml",
            "image/jpeg",
            "video/mp4",
            "application/json-patch+json",
            "application/jsonx",
            "multipart/form-data",
          ),
          fc.stringMatching(/^x-[a-z]{1,8}\/[a-z][a-z0-9.+-]{0,8}$/),
        ).filter((type) => !listed.has(type)),
        async (type, run) => {
          const url = run.streamUrl(run.stream());
          const reply = await run.http.request("PUT", url, { headers: { "Content-Type": type } });
          run.expectProblem("HTTP-CREATE-7", reply, 415, "unsupported-media-type");
          run.expectStatus("HTTP-ERR-2", await run.http.request("HEAD", url), 404);
        },
        { numRuns: 8 },
      );
    },
  }),
  defineCheck({
    id: "http.create.agent-needs-json",
    title:
      "Agent-Stream-Kind: agent with a content type other than JSON answers 400 invalid-header",
    section: "http.md §4",
    requirements: ["HTTP-CREATE-10", "HTTP-ERR-2"],
    features: ["agent"],
    async run(t) {
      const types = byteTypes(t);
      if (types.length === 0) t.skip("the server lists no content type besides application/json");
      for (const type of types) {
        const url = t.streamUrl(t.stream());
        const reply = await t.http.request("PUT", url, {
          headers: { "Content-Type": type, "Agent-Stream-Kind": "agent" },
        });
        t.expectProblem("HTTP-CREATE-10", reply, 400, "invalid-header");
        t.expectStatus("HTTP-ERR-2", await t.http.request("HEAD", url), 404);
      }
    },
  }),
  defineCheck({
    id: "http.create.agent-initial-messages",
    title:
      "an agent stream's initial messages are validated like an append: one invalid envelope creates nothing",
    section: "http.md §4",
    requirements: ["HTTP-CREATE-8"],
    features: ["agent"],
    async run(t) {
      await t.property(
        fc.record({
          size: fc.integer({ min: 1, max: 5 }),
          bad: fc.option(fc.record({ at: fc.nat(4), value: fc.constantFrom(...NOT_ENVELOPES) })),
        }),
        async ({ size, bad }, run) => {
          const body: unknown[] = Array.from({ length: size }, (_, i) => ({ ...ENVELOPE, n: i }));
          if (bad) body[bad.at % size] = bad.value;
          const url = run.streamUrl(run.stream());
          const reply = await run.http.request("PUT", url, {
            headers: { "Content-Type": JSON_TYPE, "Agent-Stream-Kind": "agent" },
            body: JSON.stringify(body),
          });
          if (!bad) {
            run.expectStatus("HTTP-CREATE-8", reply, 201);
            run.expectEqual("HTTP-CREATE-8", offsetOf(reply), size, "tail of the valid create");
            return;
          }
          run.expectProblem("HTTP-CREATE-8", reply, 400, "invalid-envelope");
          run.expectStatus("HTTP-CREATE-8", await run.http.request("HEAD", url), 404);
        },
        { numRuns: 10 },
      );
    },
  }),
  defineCheck({
    id: "http.create.location",
    title: "a 201 names the created stream in Location",
    section: "http.md §4",
    requirements: ["HTTP-CREATE-9"],
    async run(t) {
      const url = t.streamUrl(t.stream("loc"));
      const reply = await t.http.request("PUT", url, {
        headers: { "Content-Type": JSON_TYPE },
        body: "[1,2]",
      });
      t.expectStatus("HTTP-CREATE-9", reply, 201);
      const location = reply.headers.get("location");
      t.expect("HTTP-CREATE-9", location, "no Location in the 201");
      const resolved = new URL(location!, t.http.url(url));
      t.expectEqual(
        "HTTP-CREATE-9",
        decodeURIComponent(resolved.pathname),
        decodeURIComponent(new URL(t.http.url(url)).pathname),
        "the path Location names",
      );
      const head = await t.http.request("HEAD", resolved.href);
      t.expectEqual("HTTP-CREATE-9", offsetOf(head), 2, "tail of the stream Location names");
    },
  }),
];
