// discovery.md §6: the limits the document lists are enforced, with the
// problems the spec names, and requests within them are not refused for size.

import fc from "fast-check";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import { arrayBodyOfSize, messageText, utf8Length } from "../errors/_bodies.ts";
import { catalogueSlug, problemOf, show } from "../errors/_problems.ts";
import { seedStream, setupRequest } from "../errors/_setup.ts";
import { discoveryCountLimitChecks } from "./_limits_counts.ts";
import { discoveryReadLimitChecks } from "./_limits_reads.ts";

/** Bodies beyond this many bytes are not sent; the check is skipped instead. */
const MAX_SENT_BYTES = 16 * 1024 * 1024;

async function messageCount(t: CheckContext, url: string): Promise<number> {
  const read = await setupRequest(t, "GET", `${url}?offset=-1`, {}, [200], "reading a stream");
  return Array.isArray(read.json) ? read.json.length : -1;
}

async function appendRaw(t: CheckContext, url: string, body: string): Promise<HttpReply> {
  return await t.http.request("POST", url, {
    headers: { "Content-Type": "application/json" },
    body,
  });
}

/** A refusal that is not for size: 2xx, or a problem other than payload-too-large. */
function notRefusedForSize(reply: HttpReply): boolean {
  return reply.status !== 413 && catalogueSlug(problemOf(reply)?.type) !== "payload-too-large";
}

const fcChar = () => fc.constantFrom("x", "é", "€", "😀");

/** Checks of discovery.md §6 (limits). */
export const discoveryLimitsChecks: readonly Check[] = [
  defineCheck({
    id: "discovery.limits.message-bytes",
    title: "an append holding a message larger than maxMessageBytes is refused with 413 " +
      "payload-too-large and stores nothing",
    section: "discovery.md §6",
    requirements: ["DISC-LIMIT-1"],
    async run(t) {
      const { maxMessageBytes } = t.discovery.limits;
      if (maxMessageBytes > MAX_SENT_BYTES) {
        t.skip(`maxMessageBytes (${maxMessageBytes}) is beyond what this check sends`);
      }
      await t.property(
        fc.record({
          extra: fc.integer({ min: 1, max: 64 }),
          char: fcChar(),
          before: fc.nat(2),
          after: fc.nat(2),
          stored: fc.nat(2),
        }),
        async ({ extra, char, before, after, stored }, run) => {
          const s = await seedStream(run, { messages: stored });
          const big = messageText(maxMessageBytes + extra, char);
          const body = `[${
            [...Array(before).fill("1"), big, ...Array(after).fill("2")].join(",")
          }]`;
          const reply = await appendRaw(run, s.url, body);
          run.expectProblem("DISC-LIMIT-1", reply, 413, "payload-too-large");
          run.expectEqual(
            "DISC-LIMIT-1",
            await messageCount(run, s.url),
            stored,
            "messages stored",
          );
        },
        { numRuns: 5 },
      );
    },
  }),
  defineCheck({
    id: "discovery.limits.body-bytes",
    title:
      "a body larger than maxBodyBytes is refused with 413 payload-too-large and stores nothing",
    section: "discovery.md §6",
    requirements: ["DISC-LIMIT-2"],
    async run(t) {
      const { maxBodyBytes, maxMessageBytes } = t.discovery.limits;
      if (maxBodyBytes > MAX_SENT_BYTES) {
        t.skip(`maxBodyBytes (${maxBodyBytes}) is beyond what this check sends`);
      }
      if (arrayBodyOfSize(maxBodyBytes + 1, maxMessageBytes) === undefined) {
        t.skip("no body just beyond maxBodyBytes fits maxMessageBytes");
      }
      await t.property(
        fc.integer({ min: 1, max: 512 }),
        async (extra, run) => {
          const body = arrayBodyOfSize(maxBodyBytes + extra, maxMessageBytes)!;
          const s = await seedStream(run, { messages: 1 });
          const reply = await appendRaw(run, s.url, body);
          run.expectProblem("DISC-LIMIT-2", reply, 413, "payload-too-large");
          run.expectEqual("DISC-LIMIT-2", await messageCount(run, s.url), 1, "messages stored");
        },
        { numRuns: 3 },
      );
    },
  }),
  defineCheck({
    id: "discovery.limits.within",
    title:
      "a message of exactly maxMessageBytes and a body of exactly maxBodyBytes are not refused for size",
    section: "discovery.md §6",
    requirements: ["DISC-LIMIT-3"],
    async run(t) {
      const { maxBodyBytes, maxMessageBytes } = t.discovery.limits;
      if (maxBodyBytes > MAX_SENT_BYTES) {
        t.skip(`maxBodyBytes (${maxBodyBytes}) is beyond what this check sends`);
      }
      await t.property(
        fc.record({ char: fcChar(), whole: fc.boolean(), less: fc.nat(16) }),
        async ({ char, whole, less }, run) => {
          let body: string;
          if (whole) {
            body = arrayBodyOfSize(maxBodyBytes - less, maxMessageBytes) ?? "[1]";
          } else {
            const size = Math.min(maxMessageBytes, maxBodyBytes - 2) - less;
            if (size < 2) return;
            body = `[${messageText(size, char)}]`;
          }
          const s = await seedStream(run);
          const reply = await appendRaw(run, s.url, body);
          run.expect(
            "DISC-LIMIT-3",
            notRefusedForSize(reply),
            `a body of ${
              utf8Length(body)
            } bytes, messages within maxMessageBytes ${maxMessageBytes}, ` +
              `was answered ${reply.status} ${show(problemOf(reply)?.type)}`,
          );
        },
        { numRuns: 4 },
      );
    },
  }),
  ...discoveryReadLimitChecks,
  defineCheck({
    id: "discovery.limits.path-bytes",
    title:
      "a stream path longer than maxStreamPathBytes in UTF-8 is refused with 400 invalid-stream-name",
    section: "discovery.md §6",
    requirements: ["DISC-LIMIT-5"],
    async run(t) {
      const max = t.discovery.limits.maxStreamPathBytes;
      if (max > 16 * 1024) t.skip(`maxStreamPathBytes (${max}) makes URLs too long to send`);
      await t.property(
        fc.record({
          over: fc.integer({ min: 1, max: 40 }),
          char: fcChar(),
          method: fc.constantFrom("PUT", "GET", "POST", "DELETE"),
        }),
        async ({ over, char, method }, run) => {
          const base = run.stream();
          const head = utf8Length(base) + 1 < max ? `${base}/` : "";
          const path = head + pathFiller(max + over - utf8Length(head), char);
          const reply = await run.http.request(method, run.streamUrl(path), {
            headers: { "Content-Type": "application/json" },
            ...(method === "POST" ? { body: "[1]" } : {}),
          });
          run.expectProblem("DISC-LIMIT-5", reply, 400, "invalid-stream-name");
        },
        { numRuns: 6 },
      );
    },
  }),
  ...discoveryCountLimitChecks,
];

/** Segments of `char` (padded with `x`) that make exactly `bytes` UTF-8 bytes. */
function pathFiller(bytes: number, char: string): string {
  const width = utf8Length(char);
  let text = "";
  let used = 0;
  let inSegment = 0;
  while (used < bytes) {
    if (inSegment === 32 && bytes - used >= 2) {
      text += "/";
      used += 1;
      inSegment = 0;
      continue;
    }
    const next = bytes - used >= width ? char : "x";
    text += next;
    used += utf8Length(next);
    inSegment += 1;
  }
  return text;
}
