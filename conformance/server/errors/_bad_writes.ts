// Refused creates, forks and writer checks (http.md §3–§6, log.md §7–§9,
// envelope.md §4).

import fc from "fast-check";
import { fcEnvelopeBatch } from "./_envelopes.ts";
import {
  type BadRequestKind,
  encodedPath,
  fcMalformedOffset,
  JSON_HEADERS,
  kind,
  request,
} from "./_bad_request_kit.ts";
import { offset16, seedStream, setupRequest } from "./_setup.ts";

const fcProducerId = () => fc.stringMatching(/^[a-z0-9-]{1,12}$/);

async function produce(
  t: Parameters<BadRequestKind["send"]>[0],
  url: string,
  id: string,
  epoch: number,
  seq: number,
) {
  return await request(t, "POST", url, {
    headers: {
      ...JSON_HEADERS,
      "Producer-Id": id,
      "Producer-Epoch": String(epoch),
      "Producer-Seq": String(seq),
    },
    body: "[1]",
  });
}

async function produceAccepted(
  t: Parameters<BadRequestKind["send"]>[0],
  url: string,
  id: string,
  epoch: number,
) {
  const reply = await produce(t, url, id, epoch, 0);
  if (reply?.status !== 200) {
    throw new Error(`setup failed: a producer's first append answered ${reply?.status}`);
  }
}

/** Refused creates and forks. */
export const createKinds: readonly BadRequestKind[] = [
  kind({
    kind: "create-conflicting",
    params: (t) =>
      fc.constantFrom(
        "close",
        "reopen",
        ...(t.features.has("ttl") ? ["ttl"] : []),
        ...(t.features.has("agent") ? ["agent"] : []),
      ),
    async send(t, change) {
      const s = await seedStream(t, { closed: change === "reopen" });
      const headers: Record<string, string> = { ...JSON_HEADERS };
      if (change === "close") headers["Stream-Closed"] = "true";
      if (change === "ttl") headers["Stream-TTL"] = "3600";
      if (change === "agent") headers["Agent-Stream-Kind"] = "agent";
      return {
        what: `a create that differs from the existing stream (${change})`,
        reply: await request(t, "PUT", s.url, { headers }),
        slugs: ["stream-exists"],
      };
    },
  }),
  kind({
    kind: "create-malformed-lifetime",
    params: () =>
      fc.oneof(
        fc.constantFrom("-1", "01", "1.5", "abc", "+5", "1e3", "0x10", "").map((ttl) => ({
          "Stream-TTL": ttl,
        })),
        fc.constantFrom(
          "tomorrow",
          "2030-13-01T00:00:00Z",
          "2030-01-01 00:00:00Z",
          "1700000000",
          "2030-02-30T00:00:00Z",
          "2030-01-01T25:00:00Z",
          "2030-01-01",
        ).map((at) => ({ "Stream-Expires-At": at })),
        fc.constant({ "Stream-TTL": "60", "Stream-Expires-At": "2099-01-01T00:00:00Z" }),
      ),
    async send(t, headers: Record<string, string>) {
      return {
        what: "a create with a malformed or conflicting lifetime",
        reply: await request(t, "PUT", t.streamUrl(t.stream()), {
          headers: { ...JSON_HEADERS, ...headers },
        }),
        slugs: ["invalid-header"],
      };
    },
  }),
  kind({
    kind: "create-unknown-kind",
    params: () =>
      fc.oneof(
        fc.constantFrom("JSON", "Agent", "text", "agents", "bytes"),
        fc.stringMatching(/^[a-z]{1,8}$/),
      ).filter((k) => k !== "json" && k !== "agent"),
    async send(t, streamKind) {
      return {
        what: "a create with an unknown Agent-Stream-Kind",
        reply: await request(t, "PUT", t.streamUrl(t.stream()), {
          headers: { ...JSON_HEADERS, "Agent-Stream-Kind": streamKind },
        }),
        slugs: ["invalid-header"],
      };
    },
  }),
  kind({
    kind: "create-unserved-media-type",
    params: (t) =>
      fc.stringMatching(/^[a-z]{1,8}$/).map((s) => `application/x-conformance-${s}`).filter((
        type,
      ) => !(t.discovery.contentTypes ?? []).includes(type)),
    async send(t, type) {
      return {
        what: `a create of ${type}`,
        reply: await request(t, "PUT", t.streamUrl(t.stream()), {
          headers: { "Content-Type": type },
        }),
        slugs: ["unsupported-media-type"],
      };
    },
  }),
  kind({
    kind: "fork-beyond-tail",
    applies: (t) => t.features.has("fork"),
    params: () =>
      fc.record({
        messages: fc.integer({ min: 0, max: 3 }),
        beyond: fc.integer({ min: 1, max: 100_000 }),
      }),
    async send(t, { messages, beyond }) {
      const source = await seedStream(t, { messages });
      return {
        what: "a fork beyond the source's tail",
        reply: await request(t, "PUT", t.streamUrl(t.stream("fork")), {
          headers: {
            ...JSON_HEADERS,
            "Stream-Forked-From": encodedPath(source.path),
            "Stream-Fork-Offset": offset16(messages + beyond),
          },
        }),
        slugs: ["offset-out-of-range"],
      };
    },
  }),
  kind({
    kind: "fork-missing-source",
    applies: (t) => t.features.has("fork"),
    params: () => fc.boolean(),
    async send(t, withOffset) {
      return {
        what: "a fork of a stream that does not exist",
        reply: await request(t, "PUT", t.streamUrl(t.stream("fork")), {
          headers: {
            ...JSON_HEADERS,
            "Stream-Forked-From": encodedPath(t.stream("missing")),
            ...(withOffset ? { "Stream-Fork-Offset": offset16(0) } : {}),
          },
        }),
        slugs: ["stream-not-found"],
      };
    },
  }),
  kind({
    kind: "fork-malformed-offset",
    applies: (t) => t.features.has("fork"),
    params: () =>
      fcMalformedOffset().filter((text) =>
        /^[ -~]*$/.test(text) && !["-1", "now"].includes(text.trim()) &&
        !/^[0-9]{16}$/.test(text.trim())
      ),
    async send(t, offset) {
      const source = await seedStream(t, { messages: 1 });
      return {
        what: "a fork at a malformed offset",
        reply: await request(t, "PUT", t.streamUrl(t.stream("fork")), {
          headers: {
            ...JSON_HEADERS,
            "Stream-Forked-From": encodedPath(source.path),
            "Stream-Fork-Offset": offset,
          },
        }),
        slugs: ["invalid-offset"],
      };
    },
  }),
  kind({
    kind: "soft-deleted-stream",
    applies: (t) => t.features.has("fork"),
    params: () => fc.constantFrom("GET", "POST", "DELETE", "PUT"),
    async send(t, method) {
      const source = await seedStream(t, { messages: 1 });
      await setupRequest(
        t,
        "PUT",
        t.streamUrl(t.stream("fork")),
        { headers: { ...JSON_HEADERS, "Stream-Forked-From": encodedPath(source.path) } },
        [201],
        "forking a stream",
      );
      await setupRequest(t, "DELETE", source.url, {}, [204], "deleting a fork's source");
      return {
        what: `${method} on a soft-deleted stream`,
        reply: await request(t, method, source.url, {
          ...(method === "POST" ? { body: { json: [1] } } : {}),
          ...(method === "PUT" ? { headers: JSON_HEADERS } : {}),
        }),
        slugs: [method === "PUT" ? "stream-exists" : "stream-gone"],
      };
    },
  }),
];

/** Refused writer checks: Stream-Seq, producers, envelopes. */
export const writerKinds: readonly BadRequestKind[] = [
  kind({
    kind: "stream-seq-regression",
    applies: (t) => t.features.has("stream-seq"),
    params: () =>
      fc.tuple(fc.stringMatching(/^[a-z0-9]{1,8}$/), fc.stringMatching(/^[a-z0-9]{1,8}$/))
        .map(([a, b]) => (a >= b ? [a, b] : [b, a])),
    async send(t, [first, second]) {
      const s = await seedStream(t);
      await setupRequest(
        t,
        "POST",
        s.url,
        { headers: { ...JSON_HEADERS, "Stream-Seq": first }, body: "[1]" },
        [200, 204],
        "appending with Stream-Seq",
      );
      return {
        what: "an append whose Stream-Seq does not grow",
        reply: await request(t, "POST", s.url, {
          headers: { ...JSON_HEADERS, "Stream-Seq": second },
          body: "[2]",
        }),
        slugs: ["stream-seq-conflict"],
      };
    },
  }),
  kind({
    kind: "producer-stale-epoch",
    applies: (t) => t.features.has("idempotent-producer"),
    params: () =>
      fc.record({ id: fcProducerId(), epoch: fc.integer({ min: 1, max: 9 }), older: fc.nat(8) }),
    async send(t, { id, epoch, older }) {
      const s = await seedStream(t);
      await produceAccepted(t, s.url, id, epoch);
      return {
        what: "an append of a stale producer epoch",
        reply: await produce(t, s.url, id, older % epoch, 0),
        slugs: ["producer-stale-epoch"],
      };
    },
  }),
  kind({
    kind: "producer-seq-gap",
    applies: (t) => t.features.has("idempotent-producer"),
    params: () =>
      fc.record({
        id: fcProducerId(),
        epoch: fc.nat(5),
        seq: fc.integer({ min: 1, max: 50 }),
        fresh: fc.boolean(),
      }),
    async send(t, { id, epoch, seq, fresh }) {
      const s = await seedStream(t);
      if (!fresh) await produceAccepted(t, s.url, id, epoch);
      return {
        what: "an append that skips producer sequence numbers",
        reply: await produce(t, s.url, id, epoch, fresh ? seq : seq + 1),
        slugs: ["producer-seq-gap"],
      };
    },
  }),
  kind({
    kind: "producer-epoch-start",
    applies: (t) => t.features.has("idempotent-producer"),
    params: () =>
      fc.record({
        id: fcProducerId(),
        epoch: fc.nat(5),
        raise: fc.integer({ min: 1, max: 3 }),
        seq: fc.integer({ min: 1, max: 9 }),
      }),
    async send(t, { id, epoch, raise, seq }) {
      const s = await seedStream(t);
      await produceAccepted(t, s.url, id, epoch);
      return {
        what: "a new producer epoch that does not start at 0",
        reply: await produce(t, s.url, id, epoch + raise, seq),
        slugs: ["producer-epoch-start"],
      };
    },
  }),
  kind({
    kind: "append-invalid-envelope",
    applies: (t) => t.features.has("agent"),
    params: () => fcEnvelopeBatch(),
    async send(t, { messages }) {
      const s = await seedStream(t, { agent: true });
      return {
        what: "an append of invalid envelopes to an agent stream",
        reply: await request(t, "POST", s.url, { body: { json: messages } }),
        slugs: ["invalid-envelope"],
        body: messages,
      };
    },
  }),
];
