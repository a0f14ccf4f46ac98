// errors.md §8: problems inside WebSocket error frames.

import fc from "fast-check";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import type { WsProbe } from "../../ws_probe.ts";
import { BAD_FRAMES, type FrameAnswer } from "./_bad_frames.ts";
import { judgeEnvelopeErrors } from "./_envelopes.ts";
import {
  catalogueSlug,
  catalogueStatus,
  inProtocolNamespace,
  problemIssues,
  show,
  typeOf,
} from "./_problems.ts";

/** A connection past `hello`/`welcome`; a failed handshake ends the check as an error. */
async function session(t: CheckContext): Promise<WsProbe> {
  const ws = await t.ws();
  if (!ws.isOpen) throw new Error("setup failed: the WebSocket handshake did not complete");
  ws.send({ type: "hello", version: "1.0" });
  const welcome = await ws.nextMatching(() => true, t.timeoutMs);
  if (welcome?.type !== "welcome") {
    throw new Error(`setup failed: hello was answered with ${show(welcome)}`);
  }
  return ws;
}

/**
 * Sends every kind of defective frame, each on a connection of its own, and
 * judges the answers; one property covers all kinds and does not shrink (see
 * `forEachBadRequest`).
 */
async function forEachBadFrame(
  t: CheckContext,
  judge: (answer: FrameAnswer, problem: Record<string, unknown>, run: CheckContext) => void,
): Promise<void> {
  const kinds = BAD_FRAMES.filter((k) => k.applies?.(t) ?? true);
  const params = Object.fromEntries(kinds.map((k) => [k.kind, k.params(t)]));
  await t.property(
    fc.noShrink(fc.record(params)),
    async (values, run) => {
      for (const k of kinds) {
        const ws = await session(run);
        const answer = await k.send(run, ws, values[k.kind]);
        ws.close();
        const expected = answer.slugs.map(typeOf).join(" or ");
        run.expect(
          "ERR-TYPE-1",
          answer.frame?.type === "error",
          `${answer.what}: answered with ${
            show(answer.frame)
          }, expected an error frame with ${expected}`,
        );
        const problem = answer.frame!.problem;
        run.expect(
          "WS-ERROR-1",
          problemIssues(problem) === undefined,
          `${answer.what}: the error frame's problem is not valid: ${problemIssues(problem)}`,
        );
        judge(answer, problem as Record<string, unknown>, run);
      }
    },
    { numRuns: 2 },
  );
}

/** Checks of errors.md §8 (problems on WebSocket). */
export const errorsWebSocketChecks: readonly Check[] = [
  defineCheck({
    id: "errors.websocket.problem-types",
    title: "error frames carry valid problems of the catalogue's type and status for the defect",
    section: "errors.md §8",
    requirements: ["WS-ERROR-1", "ERR-TYPE-1", "ERR-TYPE-2", "ERR-TYPE-3"],
    features: ["websocket"],
    async run(t) {
      await forEachBadFrame(t, ({ what, slugs }, problem, run) => {
        run.expect(
          "ERR-TYPE-3",
          !inProtocolNamespace(problem.type) || catalogueSlug(problem.type) !== undefined,
          `${what}: the type ${show(problem.type)} is not in the catalogue`,
        );
        const slug = catalogueSlug(problem.type);
        run.expect(
          "ERR-TYPE-1",
          slug !== undefined && slugs.includes(slug),
          `${what}: type ${show(problem.type)}, expected ${slugs.map(typeOf).join(" or ")}`,
        );
        run.expectEqual("ERR-TYPE-2", problem.status, catalogueStatus(slug!), `${what}: status`);
      });
    },
  }),
  defineCheck({
    id: "errors.websocket.problem-members",
    title: "problems in error frames carry the members errors.md §3 gives their type",
    section: "errors.md §8",
    requirements: ["ERR-EXT-1", "ERR-EXT-2", "ERR-EXT-4", "ERR-EXT-6", "ERR-EXT-7"],
    features: ["websocket"],
    async run(t) {
      await forEachBadFrame(t, ({ what, envelopes, tail }, problem, run) => {
        const slug = catalogueSlug(problem.type);
        if (slug === "invalid-envelope" && envelopes) {
          judgeEnvelopeErrors(run, problem, envelopes.messages, envelopes.invalid, what);
        }
        if (slug === "subscriber-limit") {
          run.expect(
            "ERR-EXT-4",
            Number.isSafeInteger(problem.retryAfterMs),
            `${what}: the subscriber-limit problem has retryAfterMs ${show(problem.retryAfterMs)}`,
          );
        }
        if (slug === "stream-closed" && tail !== undefined) {
          run.expectEqual("ERR-EXT-6", problem.offset, tail, `${what}: offset`);
        }
        if (
          slug !== undefined &&
          !["offset-out-of-range", "stream-closed", "subscriber-overflow"].includes(slug)
        ) {
          run.expect(
            "ERR-EXT-7",
            problem.offset === undefined,
            `${what}: the ${slug} problem carries offset ${show(problem.offset)}`,
          );
        }
      });
    },
  }),
  defineCheck({
    id: "errors.websocket.hello-version",
    title:
      "a hello of another major version gets an unsupported-version problem listing the discovery versions",
    section: "errors.md §8",
    requirements: ["ERR-EXT-3"],
    features: ["websocket"],
    async run(t) {
      await t.property(
        fc.constantFrom("2.0", "0.9", "1", "banana", "v1", "1.0.0"),
        async (version, run) => {
          const ws = await run.ws();
          if (!ws.isOpen) throw new Error("setup failed: the WebSocket handshake did not complete");
          ws.send({ type: "hello", version });
          const frame = await ws.nextMatching((f) => f.type === "error", 2_000);
          const problem = frame?.problem as Record<string, unknown> | undefined;
          // Other answers are the business of websocket.md's checks (WS-HELLO-6).
          if (catalogueSlug(problem?.type) !== "unsupported-version") return;
          run.expect(
            "ERR-EXT-3",
            Array.isArray(problem!.supported) &&
              [...problem!.supported].sort().join() === [...t.discovery.versions].sort().join(),
            `hello ${version}: supported is ${
              show(problem!.supported)
            }, the discovery document lists ${show(t.discovery.versions)}`,
          );
        },
        { numRuns: 3 },
      );
    },
  }),
];
