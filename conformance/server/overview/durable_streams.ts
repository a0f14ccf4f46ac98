// overview.md §3: the HTTP binding is a profile of Durable Streams, JSON mode.
// These checks speak as a Durable Streams client does: no header or
// parameter of this profile, offsets taken only from the server's answers.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import type { CheckContext } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import { fcBatch, fcInvalidJson, flag, messagesOf } from "../http/_support.ts";

const JSON_TYPE = { "Content-Type": "application/json" };

type Op =
  | { readonly op: "append"; readonly body: string; readonly messages: readonly string[] }
  | { readonly op: "read"; readonly from: number; readonly omit: boolean }
  | { readonly op: "read-tail" | "read-now" | "head" | "create-again" | "revalidate" }
  | { readonly op: "long-poll"; readonly from: number }
  | { readonly op: "refused"; readonly kind: "empty-array" | "empty-body" | "wrong-type" }
  | { readonly op: "invalid-json"; readonly body: string }
  | { readonly op: "foreign-offset"; readonly offset: string }
  | { readonly op: "sequenced"; readonly regress: boolean };

// Offsets in the forms other Durable Streams servers mint; this profile answers 400.
const FOREIGN_OFFSETS = ["0_0", "00000000_00000010", "abc", "1", "01HZX3Q9", "000000000000001"];

function fcOp(t: CheckContext): fc.Arbitrary<Op> {
  const ops: fc.Arbitrary<Op>[] = [
    fcBatch(4).map((b) => ({ op: "append" as const, body: b.body, messages: b.messages })),
    fcBatch(4).map((b) => ({ op: "append" as const, body: b.body, messages: b.messages })),
    fc.record({ op: fc.constant("read" as const), from: fc.nat(), omit: fc.boolean() }),
    fc.constantFrom(
      ...(["read-tail", "read-now", "head", "create-again", "revalidate"] as const).map((op) => ({
        op,
      })),
    ),
    fc.constantFrom("empty-array", "empty-body", "wrong-type").map((kind) => ({
      op: "refused" as const,
      kind,
    })),
    fcInvalidJson().map((body) => ({ op: "invalid-json" as const, body })),
  ];
  ops.push(
    fc.constantFrom(...FOREIGN_OFFSETS).map((offset) => ({
      op: "foreign-offset" as const,
      offset,
    })),
  );
  if (t.features.has("long-poll")) {
    ops.push(fc.nat().map((from) => ({ op: "long-poll" as const, from })));
  }
  if (t.features.has("stream-seq")) {
    ops.push(fc.boolean().map((regress) => ({ op: "sequenced" as const, regress })));
  }
  return fc.oneof(...ops);
}

/** A Durable Streams offset: an opaque token, never a sentinel, safe in a query. */
function expectOffset(t: CheckContext, reply: HttpReply, what: string): string {
  const offset = reply.headers.get("stream-next-offset");
  t.expect("GEN-DS-1", offset !== null, `${what}: no Stream-Next-Offset`);
  t.expect(
    "GEN-DS-1",
    offset !== "-1" && offset !== "now" && !/[,&=?/]/.test(offset!),
    `${what}: Stream-Next-Offset ${offset} is not a valid Durable Streams offset`,
  );
  return offset!;
}

/** Reads from `offset` (or from the start, without one) until up to date, as a client does. */
async function readToEnd(t: CheckContext, url: string, offset?: string): Promise<string[]> {
  const messages: string[] = [];
  let query = offset === undefined ? "" : `?offset=${encodeURIComponent(offset)}`;
  for (let page = 0; page < 100; page++) {
    const reply = await t.http.request("GET", url + query);
    t.expectStatus("GEN-DS-1", reply, 200);
    const type = (reply.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    t.expectEqual("GEN-DS-1", type, "application/json", "Content-Type of a read");
    t.expect("GEN-DS-1", reply.headers.get("etag"), "no ETag on a catch-up read");
    const got = messagesOf(reply);
    t.expect("GEN-DS-1", got !== undefined, "a read of a JSON stream is not a JSON array");
    messages.push(...got!);
    const next = expectOffset(t, reply, "read");
    if (flag(reply, "stream-up-to-date")) return messages;
    query = `?offset=${encodeURIComponent(next)}`;
  }
  t.expect("GEN-DS-1", false, "the reads never reached Stream-Up-To-Date");
  return messages;
}

/** Checks of overview.md §3 (relation to Durable Streams). */
export const overviewDurableStreamsChecks: readonly Check[] = [
  defineCheck({
    id: "overview.durable-streams.no-extensions-needed",
    title:
      "a Durable Streams session without any header or parameter of this profile succeeds throughout",
    section: "overview.md §3",
    requirements: ["GEN-DS-2"],
    async run(t) {
      const url = t.streamUrl(t.stream("ds"));
      const steps: [string, string, string, Record<string, string>?, string?][] = [
        ["create", "PUT", url, JSON_TYPE],
        ["create again", "PUT", url, JSON_TYPE],
        ["append one", "POST", url, JSON_TYPE, '{"event":"created"}'],
        ["append batch", "POST", url, JSON_TYPE, '[{"event":"a"},{"event":"b"}]'],
        ["read", "GET", url],
        ["read from start", "GET", `${url}?offset=-1`],
        ["read from now", "GET", `${url}?offset=now`],
        ["metadata", "HEAD", url],
      ];
      if (t.features.has("long-poll")) {
        steps.push(["long-poll", "GET", `${url}?offset=-1&live=long-poll`]);
      }
      if (t.features.has("stream-seq")) {
        steps.push([
          "sequenced append",
          "POST",
          url,
          { ...JSON_TYPE, "Stream-Seq": "0001" },
          "[1]",
        ]);
      }
      if (t.features.has("idempotent-producer")) {
        const producer = { "Producer-Id": "ds", "Producer-Epoch": "0", "Producer-Seq": "0" };
        steps.push(["producer append", "POST", url, { ...JSON_TYPE, ...producer }, "[2]"]);
      }
      if (t.features.has("ttl")) {
        const other = t.streamUrl(t.stream("ttl"));
        steps.push(["create with TTL", "PUT", other, { ...JSON_TYPE, "Stream-TTL": "3600" }]);
      }
      steps.push(["delete", "DELETE", url]);
      for (const [what, method, path, headers, body] of steps) {
        const reply = await t.http.request(method, path, { headers, body });
        t.expect(
          "GEN-DS-2",
          reply.status >= 200 && reply.status < 300,
          `${what}: ${reply.status} ${(reply.json as { type?: string } | undefined)?.type ?? ""}`,
        );
      }
    },
  }),
  defineCheck({
    id: "overview.durable-streams.json-mode",
    title: "random Durable Streams JSON-mode sessions are answered as Durable Streams specifies",
    section: "overview.md §3",
    requirements: ["GEN-DS-1"],
    async run(t) {
      await t.property(
        fc.record({
          initial: fc.option(fcBatch(4), { freq: 4 }),
          ops: fc.array(fcOp(t), { minLength: 1, maxLength: 12 }),
        }),
        async ({ initial, ops }, run) => {
          const url = run.streamUrl(run.stream("ds"));
          const created = await run.http.request("PUT", url, {
            headers: JSON_TYPE,
            body: initial?.body ?? "[]",
          });
          run.expectStatus("GEN-DS-1", created, 201);
          const model: string[] = [...(initial?.messages ?? [])];
          const seq = { last: 0 };
          // The token the server gave for each position it named (batch boundaries).
          const offsets = new Map([[model.length, expectOffset(run, created, "create")]]);
          for (const op of ops) await step(run, url, op, offsets, model, seq);
          // Without an offset, a read starts at the beginning of the stream.
          run.expectEqual(
            "GEN-DS-1",
            await readToEnd(run, url),
            model,
            "messages read from the start",
          );
          run.expectStatus("GEN-DS-1", await run.http.request("DELETE", url), 204);
          for (const method of ["GET", "HEAD", "DELETE"]) {
            run.expectStatus("GEN-DS-1", await run.http.request(method, url), 404);
          }
          const append = await run.http.request("POST", url, { headers: JSON_TYPE, body: "[1]" });
          run.expectStatus("GEN-DS-1", append, 404);
        },
        { numRuns: 12 },
      );
    },
  }),
  defineCheck({
    id: "overview.durable-streams.fork-sub-offset",
    title:
      "a Durable Streams fork point refined by Stream-Fork-Sub-Offset is the offset plus the sub-offset, bounded by the source's tail",
    section: "overview.md §3",
    requirements: ["GEN-DS-1"],
    features: ["fork"],
    async run(t) {
      const sourcePath = t.stream("src");
      const source = t.streamUrl(sourcePath);
      const created = await t.http.request("PUT", source, {
        headers: JSON_TYPE,
        body: "[0,1,2,3,4]",
      });
      t.expectStatus("GEN-DS-1", created, 201);
      const from = sourcePath.split("/").map(encodeURIComponent).join("/");
      await t.property(
        fc.record({ offset: fc.nat(5), sub: fc.nat(6) }),
        async ({ offset, sub }, run) => {
          const fork = run.streamUrl(run.stream("fork"));
          const reply = await run.http.request("PUT", fork, {
            headers: {
              "Stream-Forked-From": from,
              "Stream-Fork-Offset": String(offset).padStart(16, "0"),
              "Stream-Fork-Sub-Offset": String(sub),
            },
          });
          if (offset + sub > 5) {
            run.expectStatus("GEN-DS-1", reply, 400);
            return;
          }
          run.expectStatus("GEN-DS-1", reply, 201);
          const read = await readToEnd(run, fork);
          const expected = ["0", "1", "2", "3", "4"].slice(0, offset + sub);
          run.expectEqual("GEN-DS-1", read, expected, "messages of the fork");
        },
        { numRuns: 8 },
      );
    },
  }),
];

async function step(
  t: CheckContext,
  url: string,
  op: Op,
  offsets: Map<number, string>,
  model: string[],
  seq: { last: number },
): Promise<void> {
  const tail = () => offsets.get(model.length)!;
  switch (op.op) {
    case "append": {
      const reply = await t.http.request("POST", url, { headers: JSON_TYPE, body: op.body });
      t.expectStatus("GEN-DS-1", reply, 204);
      const next = expectOffset(t, reply, "append");
      t.expect("GEN-DS-1", next > tail(), `offset ${next} does not sort after ${tail()}`);
      model.push(...op.messages);
      offsets.set(model.length, next);
      return;
    }
    case "read": {
      const known = [...offsets.keys()];
      const from = op.omit ? 0 : known[op.from % known.length];
      const got = await readToEnd(t, url, op.omit ? undefined : offsets.get(from));
      t.expectEqual("GEN-DS-1", got, model.slice(from), `messages read from position ${from}`);
      return;
    }
    case "read-tail": {
      const reply = await t.http.request("GET", `${url}?offset=${encodeURIComponent(tail())}`);
      t.expectStatus("GEN-DS-1", reply, 200);
      t.expectEqual("GEN-DS-1", messagesOf(reply), [], "a read at the tail");
      t.expect("GEN-DS-1", flag(reply, "stream-up-to-date"), "no Stream-Up-To-Date at the tail");
      return;
    }
    case "read-now": {
      const reply = await t.http.request("GET", `${url}?offset=now`);
      t.expectStatus("GEN-DS-1", reply, 200);
      t.expectEqual("GEN-DS-1", messagesOf(reply), [], "offset=now");
      t.expectEqual("GEN-DS-1", expectOffset(t, reply, "offset=now"), tail(), "tail of offset=now");
      t.expect("GEN-DS-1", flag(reply, "stream-up-to-date"), "no Stream-Up-To-Date on offset=now");
      return;
    }
    case "head": {
      const reply = await t.http.request("HEAD", url);
      t.expectStatus("GEN-DS-1", reply, 200);
      t.expectEqual("GEN-DS-1", expectOffset(t, reply, "HEAD"), tail(), "tail of HEAD");
      const type = (reply.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
      t.expectEqual("GEN-DS-1", type, "application/json", "Content-Type of HEAD");
      return;
    }
    case "create-again": {
      const reply = await t.http.request("PUT", url, { headers: JSON_TYPE });
      t.expectStatus("GEN-DS-1", reply, 200);
      return;
    }
    case "revalidate": {
      const first = await t.http.request("GET", `${url}?offset=-1`);
      const etag = first.headers.get("etag");
      t.expect("GEN-DS-1", etag, "no ETag on a catch-up read");
      const again = await t.http.request("GET", `${url}?offset=-1`, {
        headers: { "If-None-Match": etag! },
      });
      t.expectStatus("GEN-DS-1", again, 304);
      t.expectEqual("GEN-DS-1", again.text, "", "body of a 304");
      return;
    }
    case "long-poll": {
      const known = [...offsets.keys()].filter((p) => p < model.length);
      if (known.length === 0) return;
      const start = known[op.from % known.length];
      const reply = await t.http.request(
        "GET",
        `${url}?offset=${encodeURIComponent(offsets.get(start)!)}&live=long-poll`,
      );
      t.expectStatus("GEN-DS-1", reply, 200);
      t.expect("GEN-DS-1", reply.headers.get("stream-cursor"), "no Stream-Cursor on a long-poll");
      const got = messagesOf(reply) ?? [];
      t.expect("GEN-DS-1", got.length > 0, "a long-poll with data waiting returned none");
      t.expectEqual("GEN-DS-1", got, model.slice(start, start + got.length), "long-poll data");
      return;
    }
    case "refused": {
      const init = op.kind === "empty-array"
        ? { headers: JSON_TYPE, body: "[]" }
        : op.kind === "empty-body"
        ? { headers: JSON_TYPE }
        : { headers: { "Content-Type": "text/plain" }, body: "[1]" };
      const reply = await t.http.request("POST", url, init);
      t.expectStatus("GEN-DS-1", reply, op.kind === "wrong-type" ? 409 : 400);
      return;
    }
    case "foreign-offset": {
      const reply = await t.http.request("GET", `${url}?offset=${encodeURIComponent(op.offset)}`);
      t.expectStatus("GEN-DS-1", reply, 400);
      return;
    }
    case "sequenced": {
      // Stream-Seq compares byte-wise; zero-padding keeps that order numeric.
      const value = op.regress && seq.last > 0 ? seq.last : seq.last + 1;
      const reply = await t.http.request("POST", url, {
        headers: { ...JSON_TYPE, "Stream-Seq": String(value).padStart(8, "0") },
        body: "[0]",
      });
      if (value <= seq.last) {
        t.expectStatus("GEN-DS-1", reply, 409);
        return;
      }
      t.expectStatus("GEN-DS-1", reply, 204);
      seq.last = value;
      model.push("0");
      offsets.set(model.length, expectOffset(t, reply, "sequenced append"));
      return;
    }
    case "invalid-json": {
      const reply = await t.http.request("POST", url, { headers: JSON_TYPE, body: op.body });
      t.expectStatus("GEN-DS-1", reply, 400);
      return;
    }
  }
}
