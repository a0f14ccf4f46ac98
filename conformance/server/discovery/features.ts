// discovery.md §5: the features listed are the features implemented.

import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import { WsProbe } from "../../ws_probe.ts";
import { problemOf, show } from "../errors/_problems.ts";
import { offset16, seedStream, setupRequest, tryRequest } from "../errors/_setup.ts";
import {
  HEADER_FEATURES,
  type HeaderFeature,
  refusedWithInvalidHeader,
} from "./_feature_probes.ts";
import { wsMemberChecks } from "./_feature_ws_members.ts";

function listed(t: CheckContext, token: string): boolean {
  return t.discovery.features.includes(token);
}

function skipIfListed(t: CheckContext, token: string): void {
  if (listed(t, token)) t.skip(`the server lists ${token}`);
}

/**
 * A long-poll at the tail of an empty stream, with a message appended while
 * it waits: a server implementing long-poll answers 200 with it.
 */
async function longPollAcrossAppend(t: CheckContext): Promise<HttpReply | undefined> {
  const s = await seedStream(t);
  const timeout = t.discovery.bindings.longPoll?.timeoutMs ?? 30_000;
  const pending = tryRequest(
    t,
    "GET",
    t.streamUrl(s.path, { offset: offset16(0), live: "long-poll" }),
    {
      timeoutMs: Math.min(timeout + 2_000, t.timeoutMs),
    },
  );
  await t.sleep(Math.min(100, timeout / 4));
  await setupRequest(t, "POST", s.url, { body: { json: [1] } }, [200, 204], "appending");
  return await pending;
}

function deliveredLive(reply: HttpReply | undefined): boolean {
  return reply?.status === 200 && Array.isArray(reply.json) && reply.json.length > 0;
}

/** An SSE read of a stream holding one message: whether an event stream with a data event came. */
async function sseDelivers(t: CheckContext): Promise<{ streamed: boolean; refusal?: HttpReply }> {
  const s = await seedStream(t, { messages: 1 });
  const url = t.streamUrl(s.path, { offset: "-1", live: "sse" });
  const sse = await t.http.openSse(url);
  try {
    const eventStream = sse.status === 200 &&
      (sse.headers.get("content-type") ?? "").startsWith("text/event-stream");
    if (!eventStream) {
      await sse.close();
      return { streamed: false, refusal: await tryRequest(t, "GET", url, { timeoutMs: 2_000 }) };
    }
    const items = await sse.collect(
      (item) => item.kind === "event" && item.event === "data",
      2_000,
    );
    return { streamed: items.some((item) => item.kind === "event" && item.event === "data") };
  } finally {
    await sse.close();
  }
}

/** Whether the connection is open and answers hello with welcome. */
async function websocketWorks(ws: WsProbe): Promise<boolean> {
  if (!ws.isOpen) return false;
  ws.send({ type: "hello", version: "1.0" });
  const welcome = await ws.nextMatching(() => true, 2_000);
  return welcome?.type === "welcome";
}

function listedHeaderFeature(feature: HeaderFeature): Check {
  return defineCheck({
    id: `discovery.features.works.${feature.token}`,
    title: `the listed feature ${feature.token} works`,
    section: "discovery.md §5",
    requirements: ["DISC-FEATURE-2"],
    features: [feature.token],
    async run(t) {
      const outcome = await feature.probe(t);
      t.expect(
        "DISC-FEATURE-2",
        outcome.kind === "works",
        outcome.kind === "refused"
          ? `${feature.headers} answered ${outcome.reply.status} ${
            show(problemOf(outcome.reply)?.type)
          }`
          : `${feature.token} has no effect: ${outcome.kind === "ignored" ? outcome.seen : ""}`,
      );
    },
  });
}

function unlistedHeaderFeature(feature: HeaderFeature): Check {
  return defineCheck({
    id: `discovery.features.unlisted.${feature.token}`,
    title: `${feature.headers} is refused with invalid-header unless ${feature.token} is listed`,
    section: "discovery.md §5",
    requirements: ["DISC-FEATURE-1", "DISC-FEATURE-3"],
    async run(t) {
      skipIfListed(t, feature.token);
      const outcome = await feature.probe(t);
      t.expect(
        "DISC-FEATURE-1",
        outcome.kind !== "works",
        `the server implements ${feature.token} but does not list it`,
      );
      t.expect(
        "DISC-FEATURE-3",
        outcome.kind === "refused" && refusedWithInvalidHeader(outcome.reply),
        outcome.kind === "refused"
          ? `${feature.headers} answered ${outcome.reply.status} ${
            show(problemOf(outcome.reply)?.type)
          }, expected 400 invalid-header`
          : `${feature.headers} was accepted and ignored: ${
            outcome.kind === "ignored" ? outcome.seen : ""
          }`,
      );
    },
  });
}

/** Checks of discovery.md §5 (features). */
export const discoveryFeaturesChecks: readonly Check[] = [
  defineCheck({
    id: "discovery.features.works.long-poll",
    title: "the listed feature long-poll works: a waiting read gets the message appended meanwhile",
    section: "discovery.md §5",
    requirements: ["DISC-FEATURE-2"],
    features: ["long-poll"],
    async run(t) {
      const reply = await longPollAcrossAppend(t);
      t.expect(
        "DISC-FEATURE-2",
        deliveredLive(reply),
        `a long-poll across an append answered ${reply?.status} ${show(reply?.json)}`,
      );
    },
  }),
  defineCheck({
    id: "discovery.features.works.sse",
    title: "the listed feature sse works: a live read streams the stream's message",
    section: "discovery.md §5",
    requirements: ["DISC-FEATURE-2"],
    features: ["sse"],
    async run(t) {
      const { streamed, refusal } = await sseDelivers(t);
      t.expect(
        "DISC-FEATURE-2",
        streamed,
        refusal ? `live=sse answered ${refusal.status}` : "live=sse streamed no data event",
      );
    },
  }),
  defineCheck({
    id: "discovery.features.works.websocket",
    title: "the listed feature websocket works: hello is answered with welcome",
    section: "discovery.md §5",
    requirements: ["DISC-FEATURE-2"],
    features: ["websocket"],
    async run(t) {
      const ws = await t.ws();
      t.expect(
        "DISC-FEATURE-2",
        await websocketWorks(ws),
        "no WebSocket conversation at the advertised endpoint",
      );
    },
  }),
  ...HEADER_FEATURES.map(listedHeaderFeature),
  ...HEADER_FEATURES.map(unlistedHeaderFeature),
  defineCheck({
    id: "discovery.features.unlisted.long-poll",
    title: "live=long-poll is refused with invalid-parameter unless long-poll is listed",
    section: "discovery.md §5",
    requirements: ["DISC-FEATURE-1", "DISC-FEATURE-4"],
    async run(t) {
      skipIfListed(t, "long-poll");
      const reply = await longPollAcrossAppend(t);
      t.expect(
        "DISC-FEATURE-1",
        !deliveredLive(reply) && reply?.status !== 204,
        "the server implements long-poll but does not list it",
      );
      t.expect("DISC-FEATURE-4", reply !== undefined, "live=long-poll got no answer");
      t.expectProblem("DISC-FEATURE-4", reply!, 400, "invalid-parameter");
    },
  }),
  defineCheck({
    id: "discovery.features.unlisted.sse",
    title: "live=sse is refused with invalid-parameter unless sse is listed",
    section: "discovery.md §5",
    requirements: ["DISC-FEATURE-1", "DISC-FEATURE-4"],
    async run(t) {
      skipIfListed(t, "sse");
      const { streamed, refusal } = await sseDelivers(t);
      t.expect("DISC-FEATURE-1", !streamed, "the server implements sse but does not list it");
      t.expect("DISC-FEATURE-4", refusal !== undefined, "live=sse got no refusal");
      t.expectProblem("DISC-FEATURE-4", refusal!, 400, "invalid-parameter");
    },
  }),
  defineCheck({
    id: "discovery.features.unlisted.websocket",
    title: "no WebSocket conversation at /v1/ws unless websocket is listed",
    section: "discovery.md §5",
    requirements: ["DISC-FEATURE-1"],
    async run(t) {
      skipIfListed(t, "websocket");
      const url = new URL(`${t.baseUrl}/v1/ws`);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      const ws = await WsProbe.open(url.href, ["agent-stream.v1"], t.transcript, 2_000);
      try {
        t.expect(
          "DISC-FEATURE-1",
          !(await websocketWorks(ws)),
          "the server speaks the WebSocket binding at /v1/ws but does not list websocket",
        );
      } finally {
        ws.close();
      }
    },
  }),
  ...wsMemberChecks,
];
