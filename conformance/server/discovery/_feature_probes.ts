// How each feature of discovery.md §5 shows that it works: a short exchange
// whose outcome only a server implementing the feature produces.

import type { CheckContext } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import { catalogueSlug, problemOf } from "../errors/_problems.ts";
import { encodedPath } from "../errors/_bad_request_kit.ts";
import { offset16, seedStream, setupRequest } from "../errors/_setup.ts";

/**
 * What a feature's request led to: `refused` (400 `invalid-header`, as for an
 * unlisted feature), `works` (the feature's effect was seen), or `ignored`
 * (accepted without the effect), with what was seen.
 */
export type Outcome =
  | { readonly kind: "refused"; readonly reply: HttpReply }
  | { readonly kind: "works" }
  | { readonly kind: "ignored"; readonly seen: string };

/** A feature whose use over HTTP is a request header. */
export interface HeaderFeature {
  readonly token: string;
  /** The headers that use it, for messages. */
  readonly headers: string;
  /** Uses the feature once and reports what happened. */
  readonly probe: (t: CheckContext) => Promise<Outcome>;
}

const JSON_TYPE = { "Content-Type": "application/json" };

/** Whether a reply is the refusal an unlisted feature's header gets: 400 `invalid-header`. */
export function refusedWithInvalidHeader(reply: HttpReply): boolean {
  return reply.status === 400 && catalogueSlug(problemOf(reply)?.type) === "invalid-header";
}

async function readAll(t: CheckContext, url: string): Promise<unknown> {
  const read = await setupRequest(t, "GET", `${url}?offset=-1`, {}, [200], "reading a stream");
  return read.json;
}

/** The features used through request headers, each with its probe. */
export const HEADER_FEATURES: readonly HeaderFeature[] = [
  {
    token: "idempotent-producer",
    headers: "Producer-Id, Producer-Epoch, Producer-Seq",
    async probe(t) {
      const s = await seedStream(t);
      const headers = {
        ...JSON_TYPE,
        "Producer-Id": "p",
        "Producer-Epoch": "0",
        "Producer-Seq": "0",
      };
      const first = await t.http.request("POST", s.url, { headers, body: "[1]" });
      if (first.status >= 400) return { kind: "refused", reply: first };
      await t.http.request("POST", s.url, { headers, body: "[1]" });
      const messages = await readAll(t, s.url);
      return Array.isArray(messages) && messages.length === 1 ? { kind: "works" } : {
        kind: "ignored",
        seen: `a repeated producer append stored ${JSON.stringify(messages)}`,
      };
    },
  },
  {
    token: "stream-seq",
    headers: "Stream-Seq",
    async probe(t) {
      const s = await seedStream(t);
      const first = await t.http.request("POST", s.url, {
        headers: { ...JSON_TYPE, "Stream-Seq": "b" },
        body: "[1]",
      });
      if (first.status >= 400) return { kind: "refused", reply: first };
      const second = await t.http.request("POST", s.url, {
        headers: { ...JSON_TYPE, "Stream-Seq": "a" },
        body: "[2]",
      });
      return second.status === 409
        ? { kind: "works" }
        : { kind: "ignored", seen: `Stream-Seq a after b answered ${second.status}` };
    },
  },
  {
    token: "ttl",
    headers: "Stream-TTL",
    async probe(t) {
      const url = t.streamUrl(t.stream());
      const created = await t.http.request("PUT", url, {
        headers: { ...JSON_TYPE, "Stream-TTL": "3600" },
      });
      if (created.status >= 400) return { kind: "refused", reply: created };
      const head = await setupRequest(t, "HEAD", url, {}, [200], "reading the stream's metadata");
      // HTTP-HEAD-1: a stream with a TTL reports it.
      return head.headers.has("stream-ttl") || head.headers.has("stream-expires-at")
        ? { kind: "works" }
        : { kind: "ignored", seen: "HEAD reports neither Stream-TTL nor Stream-Expires-At" };
    },
  },
  {
    token: "fork",
    headers: "Stream-Forked-From, Stream-Fork-Offset",
    async probe(t) {
      const source = await seedStream(t, { messages: 2 });
      const url = t.streamUrl(t.stream("fork"));
      const created = await t.http.request("PUT", url, {
        headers: {
          ...JSON_TYPE,
          "Stream-Forked-From": encodedPath(source.path),
          "Stream-Fork-Offset": offset16(1),
        },
      });
      if (created.status >= 400) return { kind: "refused", reply: created };
      const messages = await readAll(t, url);
      return JSON.stringify(messages) === JSON.stringify([{ n: 0 }])
        ? { kind: "works" }
        : { kind: "ignored", seen: `the fork at offset 1 holds ${JSON.stringify(messages)}` };
    },
  },
  {
    token: "agent",
    headers: "Agent-Stream-Kind: agent",
    async probe(t) {
      const url = t.streamUrl(t.stream());
      const created = await t.http.request("PUT", url, {
        headers: { ...JSON_TYPE, "Agent-Stream-Kind": "agent" },
      });
      if (created.status >= 400) return { kind: "refused", reply: created };
      const invalid = await t.http.request("POST", url, { body: { json: [{ x: 1 }] } });
      return catalogueSlug(problemOf(invalid)?.type) === "invalid-envelope"
        ? { kind: "works" }
        : { kind: "ignored", seen: `an append of {"x":1} answered ${invalid.status}` };
    },
  },
];
