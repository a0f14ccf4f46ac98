// Refused reads and appends (http.md §5, §8, §9; log.md §3–§7).

import fc from "fast-check";
import { arrayBodyOfSize, messageOfSize } from "./_bodies.ts";
import {
  type BadRequestKind,
  fcMalformedOffset,
  JSON_HEADERS,
  kind,
  parses,
  type ReadMode,
  readModes,
  readName,
  readQuery,
  request,
} from "./_bad_request_kit.ts";
import { offset16, seedStream, setupRequest } from "./_setup.ts";

/** Refused reads. */
export const readKinds: readonly BadRequestKind[] = [
  kind({
    kind: "read-malformed-offset",
    params: (t) =>
      fc.record({ offset: fcMalformedOffset(), mode: fc.constantFrom(...readModes(t)) }),
    async send(t, { offset, mode }) {
      const s = await seedStream(t, { messages: 1 });
      const url = t.streamUrl(s.path, readQuery(mode, { offset }));
      return {
        what: `${readName(mode)} from a malformed offset`,
        reply: await request(t, "GET", url, { mode }),
        slugs: ["invalid-offset"],
      };
    },
  }),
  kind({
    kind: "read-beyond-tail",
    params: (t) =>
      fc.record({
        messages: fc.integer({ min: 0, max: 3 }),
        beyond: fc.integer({ min: 1, max: 1_000_000_000 }),
        mode: fc.constantFrom(...readModes(t)),
      }),
    async send(t, { messages, beyond, mode }) {
      const s = await seedStream(t, { messages });
      const url = t.streamUrl(s.path, readQuery(mode, { offset: offset16(messages + beyond) }));
      return {
        what: `${readName(mode)} from beyond the tail`,
        reply: await request(t, "GET", url, { mode }),
        slugs: ["offset-out-of-range"],
      };
    },
  }),
  kind({
    kind: "read-malformed-limit",
    params: () =>
      fc.oneof(
        fc.constantFrom("0", "00", "-1", "abc", "1.5", "1e2", "0x10", "+1", "", "one"),
        fc.string({ maxLength: 6 }),
      ).filter((text) => !/^[0-9]*[1-9][0-9]*$/.test(text)),
    async send(t, limit) {
      const s = await seedStream(t, { messages: 1 });
      return {
        what: "a read with a malformed limit",
        reply: await request(t, "GET", t.streamUrl(s.path, { offset: "-1", limit })),
        slugs: ["invalid-parameter"],
      };
    },
  }),
  kind({
    kind: "read-unknown-live-mode",
    params: () =>
      fc.oneof(
        fc.constantFrom("true", "1", "poll", "SSE", "long_poll", "websocket", "Long-Poll"),
        fc.stringMatching(/^[a-z-]{1,10}$/),
      ).filter((mode) => mode !== "long-poll" && mode !== "sse"),
    async send(t, live) {
      const s = await seedStream(t, { messages: 1 });
      return {
        what: "a read with an unknown live mode",
        reply: await request(t, "GET", t.streamUrl(s.path, { offset: "-1", live })),
        slugs: ["invalid-parameter"],
      };
    },
  }),
  kind({
    kind: "live-read-without-offset",
    applies: (t) => readModes(t).length > 1,
    params: (t) => fc.constantFrom(...readModes(t).filter((mode) => mode !== "catch-up")),
    async send(t, mode) {
      const s = await seedStream(t, { messages: 1 });
      return {
        what: `${readName(mode)} without offset`,
        reply: await request(t, "GET", t.streamUrl(s.path, { live: mode }), { mode }),
        slugs: ["invalid-offset"],
      };
    },
  }),
  kind({
    kind: "missing-stream",
    params: (t) =>
      fc.constantFrom<string>("POST", "DELETE", ...readModes(t).map((mode) => `GET ${mode}`)),
    async send(t, operation) {
      const [method, mode] = operation.split(" ") as [string, ReadMode | undefined];
      const url = t.streamUrl(t.stream("missing"), mode ? readQuery(mode, { offset: "-1" }) : {});
      return {
        what: `${operation} on a stream that does not exist`,
        reply: await request(t, method, url, {
          mode,
          ...(method === "POST" ? { body: { json: [1] } } : {}),
        }),
        slugs: ["stream-not-found"],
      };
    },
  }),
  kind({
    kind: "deleted-stream",
    params: () => fc.constantFrom("GET", "POST", "DELETE"),
    async send(t, method) {
      const s = await seedStream(t, { messages: 1 });
      await setupRequest(t, "DELETE", s.url, {}, [204], "deleting a stream");
      return {
        what: `${method} on a deleted stream`,
        reply: await request(t, method, s.url, method === "POST" ? { body: { json: [1] } } : {}),
        slugs: ["stream-not-found"],
      };
    },
  }),
];

/** Refused appends. */
export const appendKinds: readonly BadRequestKind[] = [
  kind({
    kind: "append-malformed-json",
    params: () =>
      fc.oneof(
        fc.constantFrom(
          "{",
          "[1,",
          "[1,]",
          "tru",
          '{"a":}',
          "[1] [2]",
          "'x'",
          "NaN",
          "{a:1}",
          '["a" "b"]',
          "01",
          "[.5]",
          '"open',
          "[1]]",
        ),
        fc.string({ minLength: 1, maxLength: 16 }),
      ).filter((text) => text.trim() !== "" && !parses(text)),
    async send(t, text) {
      const s = await seedStream(t);
      return {
        what: "an append of malformed JSON",
        reply: await request(t, "POST", s.url, { headers: JSON_HEADERS, body: text }),
        slugs: ["invalid-json"],
      };
    },
  }),
  kind({
    kind: "append-nothing",
    params: () => fc.constantFrom("[]", "[ ]", " [] ", "\n[]\n", ""),
    async send(t, text) {
      const s = await seedStream(t, { messages: 1 });
      return {
        what: text === "" ? "an append with an empty body" : "an append of an empty array",
        reply: await request(t, "POST", s.url, { headers: JSON_HEADERS, body: text }),
        slugs: ["empty-append"],
      };
    },
  }),
  kind({
    kind: "append-without-content-type",
    params: () => fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
    async send(t, values) {
      const s = await seedStream(t);
      const bytes = new TextEncoder().encode(JSON.stringify(values));
      return {
        what: "an append without Content-Type",
        reply: await request(t, "POST", s.url, { body: bytes }),
        slugs: ["invalid-header"],
      };
    },
  }),
  kind({
    kind: "append-other-content-type",
    params: () =>
      fc.constantFrom("text/plain", "application/octet-stream", "application/x-ndjson", "text/csv"),
    async send(t, type) {
      const s = await seedStream(t);
      return {
        what: `an append of ${type} to a JSON stream`,
        reply: await request(t, "POST", s.url, {
          headers: { "Content-Type": type },
          body: new TextEncoder().encode("[1]"),
        }),
        slugs: ["content-type-mismatch"],
      };
    },
  }),
  kind({
    kind: "append-to-closed-stream",
    params: () =>
      fc.record({
        messages: fc.integer({ min: 0, max: 3 }),
        values: fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
      }),
    async send(t, { messages, values }) {
      const s = await seedStream(t, { messages, closed: true });
      return {
        what: "an append to a closed stream",
        reply: await request(t, "POST", s.url, { body: { json: values } }),
        slugs: ["stream-closed"],
        body: values,
      };
    },
  }),
  kind({
    kind: "append-malformed-producer",
    params: () =>
      fc.oneof(
        fc.subarray(["Producer-Id", "Producer-Epoch", "Producer-Seq"], {
          minLength: 1,
          maxLength: 2,
        }).map((names) =>
          Object.fromEntries(names.map((n) => [n, n === "Producer-Id" ? "p" : "0"]))
        ),
        fc.record({
          name: fc.constantFrom("Producer-Epoch", "Producer-Seq"),
          value: fc.constantFrom(
            "-1",
            "1.5",
            "abc",
            "9007199254740992",
            "99999999999999999999",
            "0x1",
            "+1",
            "1e3",
            "",
          ),
        }).map(({ name, value }) => ({
          "Producer-Id": "p",
          "Producer-Epoch": "0",
          "Producer-Seq": "0",
          [name]: value,
        })),
        fc.constant({ "Producer-Id": "", "Producer-Epoch": "0", "Producer-Seq": "0" }),
      ),
    async send(t, headers: Record<string, string>) {
      const s = await seedStream(t);
      return {
        what: "an append with malformed producer headers",
        reply: await request(t, "POST", s.url, {
          headers: { ...JSON_HEADERS, ...headers },
          body: "[1]",
        }),
        slugs: ["invalid-header"],
      };
    },
  }),
  kind({
    kind: "append-oversized-message",
    applies: (t) =>
      t.discovery.limits.maxMessageBytes <= 256 * 1024 &&
      t.discovery.limits.maxMessageBytes + 80 <= t.discovery.limits.maxBodyBytes,
    params: () => fc.record({ extra: fc.integer({ min: 1, max: 64 }), before: fc.nat(2) }),
    async send(t, { extra, before }) {
      const s = await seedStream(t);
      const big = messageOfSize(t.discovery.limits.maxMessageBytes + extra);
      const body = `[${[...Array(before).fill("1"), big].join(",")}]`;
      return {
        what: "an append of a message beyond maxMessageBytes",
        reply: await request(t, "POST", s.url, { headers: JSON_HEADERS, body }),
        slugs: ["payload-too-large"],
      };
    },
  }),
  kind({
    kind: "append-oversized-body",
    applies: (t) =>
      t.discovery.limits.maxBodyBytes <= 1024 * 1024 &&
      arrayBodyOfSize(
          t.discovery.limits.maxBodyBytes + 1,
          Math.min(t.discovery.limits.maxMessageBytes, 1024),
        ) !== undefined,
    params: () => fc.integer({ min: 1, max: 512 }),
    async send(t, extra) {
      const s = await seedStream(t);
      const { maxBodyBytes, maxMessageBytes } = t.discovery.limits;
      const body = arrayBodyOfSize(maxBodyBytes + extra, Math.min(maxMessageBytes, 1024))!;
      return {
        what: "an append whose body exceeds maxBodyBytes",
        reply: await request(t, "POST", s.url, { headers: JSON_HEADERS, body }),
        slugs: ["payload-too-large"],
      };
    },
  }),
];
