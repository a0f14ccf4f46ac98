// discovery.md §6: a client keeps its requests within the advertised limits.

import { jsonMemberText, splitJsonArray } from "../../../src/client/_json_array.ts";
import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { objectIn } from "./_documents.ts";

const LIMITS = { maxMessageBytes: 256, maxBodyBytes: 1024, maxWsFrameBytes: 2048 } as const;
const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text).byteLength;

/** What the client sent to `stream`: each request body or append frame, as text, with its messages. */
function sent(
  t: ClientCheckContext,
  stream: string,
): { what: string; body: string; frame?: string }[] {
  const http = t.server.callsFor(stream)
    .filter((call) => call.method === "POST" && call.body !== undefined && call.body !== "")
    .map((call) => ({ what: "a request body", body: call.body! }));
  const ws = t.server.connections.flatMap((c) => c.incoming)
    .filter((e) => e.frame?.type === "append" && e.frame.path === stream && e.text !== undefined)
    .map((e) => ({
      what: "an append frame",
      body: jsonMemberText(e.text!, "messages") ?? "[]",
      frame: e.text!,
    }));
  return [...http, ...ws];
}

/** Checks of discovery.md §6 (limits), client side. */
export const discoveryLimitChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.discovery.limits.appends",
    title: "appends stay within the advertised maxMessageBytes, maxBodyBytes and maxWsFrameBytes",
    section: "discovery.md §6",
    requirements: ["DISC-LIMIT-9"],
    async run(t) {
      const appends = t.capabilities.appends ?? [];
      if (appends.length === 0) return t.skip("the adapter does not append");
      for (const via of appends) {
        t.script({
          discovery: (doc) => ({ ...doc, limits: { ...objectIn(doc, "limits"), ...LIMITS } }),
        });
        // One message beyond maxMessageBytes; six within it, beyond maxBodyBytes together.
        const large = await t.createStream();
        const many = await t.createStream();
        const commands = [
          await t.appendThroughClient(large, { via, messages: [{ pad: "x".repeat(300) }] }),
          await t.appendThroughClient(many, {
            via,
            messages: Array.from({ length: 6 }, (_, n) => ({ n, pad: "y".repeat(180) })),
          }),
        ];
        await Promise.all(commands.map((c) => c.settled(t.timeoutMs)));
        for (const stream of [large, many]) {
          for (const entry of sent(t, stream)) {
            t.expect(
              "DISC-LIMIT-9",
              bytes(entry.body) <= LIMITS.maxBodyBytes,
              `over ${via}, ${entry.what} carried ${
                bytes(entry.body)
              } bytes of messages; maxBodyBytes is ${LIMITS.maxBodyBytes}`,
            );
            for (const message of splitJsonArray(entry.body)) {
              t.expect(
                "DISC-LIMIT-9",
                bytes(message) <= LIMITS.maxMessageBytes,
                `over ${via}, ${entry.what} carried a message of ${
                  bytes(message)
                } bytes; maxMessageBytes is ${LIMITS.maxMessageBytes}`,
              );
            }
            if (entry.frame !== undefined) {
              t.expect(
                "DISC-LIMIT-9",
                bytes(entry.frame) <= LIMITS.maxWsFrameBytes,
                `a frame of ${
                  bytes(entry.frame)
                } bytes; maxWsFrameBytes is ${LIMITS.maxWsFrameBytes}`,
              );
            }
          }
        }
      }
    },
  }),
];
