// discovery.md §5, DISC-FEATURE-5: WebSocket append members of unlisted
// features are refused with invalid-frame.

import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import type { WsProbe } from "../../ws_probe.ts";
import { catalogueSlug, show } from "../errors/_problems.ts";
import { seedStream } from "../errors/_setup.ts";

/** A member of the `append` frame that belongs to a feature, and how to see it work. */
interface FrameMember {
  readonly token: string;
  readonly member: string;
  /** The members of the first and the second append; the second shows the effect. */
  readonly first: Record<string, unknown>;
  readonly second: Record<string, unknown>;
  /** Whether the answer to the second append shows the feature at work. */
  readonly works: (second: Record<string, unknown> | undefined) => boolean;
}

const MEMBERS: readonly FrameMember[] = [
  {
    token: "stream-seq",
    member: "streamSeq",
    first: { streamSeq: "b" },
    second: { streamSeq: "a" },
    works: (second) =>
      second?.type === "error" &&
      catalogueSlug((second.problem as { type?: unknown })?.type) === "stream-seq-conflict",
  },
  {
    token: "idempotent-producer",
    member: "producer",
    first: { producer: { id: "p", epoch: 0, seq: 0 } },
    second: { producer: { id: "p", epoch: 0, seq: 0 } },
    works: (second) => second?.type === "appended" && second.duplicate === true,
  },
];

async function session(t: CheckContext): Promise<WsProbe> {
  const ws = await t.ws();
  if (!ws.isOpen) throw new Error("setup failed: the WebSocket handshake did not complete");
  ws.send({ type: "hello", version: "1.0" });
  const welcome = await ws.nextMatching(() => true, t.timeoutMs);
  if (welcome?.type !== "welcome") throw new Error(`setup failed: hello answered ${show(welcome)}`);
  return ws;
}

async function append(
  ws: WsProbe,
  req: string,
  path: string,
  members: Record<string, unknown>,
): Promise<Record<string, unknown> | undefined> {
  ws.send({ type: "append", req, path, messages: [1], ...members });
  return await ws.nextMatching(
    (f) => (f.type === "appended" || f.type === "error") && f.req === req,
    2_000,
  );
}

/** The check of DISC-FEATURE-5, with DISC-FEATURE-1 for members that do work. */
export const wsMemberChecks: readonly Check[] = [
  defineCheck({
    id: "discovery.features.unlisted.ws-append-members",
    title: "append frames using a member of an unlisted feature are answered with invalid-frame",
    section: "discovery.md §5",
    requirements: ["DISC-FEATURE-1", "DISC-FEATURE-5"],
    features: ["websocket"],
    async run(t) {
      const unlisted = MEMBERS.filter((m) => !t.discovery.features.includes(m.token));
      if (unlisted.length === 0) t.skip("the server lists every feature with append members");
      const ws = await session(t);
      for (const m of unlisted) {
        const s = await seedStream(t);
        const first = await append(ws, `${m.member}-1`, s.path, m.first);
        if (first?.type === "appended") {
          const second = await append(ws, `${m.member}-2`, s.path, m.second);
          t.expect(
            "DISC-FEATURE-1",
            !m.works(second),
            `append frames with ${m.member} work, but ${m.token} is not listed`,
          );
        }
        t.expect(
          "DISC-FEATURE-5",
          first?.type === "error" &&
            catalogueSlug((first.problem as { type?: unknown })?.type) === "invalid-frame",
          `an append with ${m.member}, whose feature ${m.token} is not listed, was answered ${
            show(first)
          }`,
        );
      }
    },
  }),
];
