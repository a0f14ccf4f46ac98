// Runs a generated operation list against a server (over http.md) and the
// model of log.md side by side. Every answer is judged as it arrives, and a
// difference fails the requirement it breaks.

import type { CheckContext } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import { arrayBody, compactJson } from "./_log_json.ts";
import {
  checkRead,
  concurrentAppends,
  expectRefusal,
  flag,
  getAt,
  nextOffset,
  offsetText,
  post,
  problemSlug,
  putStream,
  stated,
} from "./_log_http.ts";
import {
  type Decision,
  LogModel,
  type ModelAppend,
  type ModelStream,
  type ProducerId,
} from "./_log_model.ts";
import { fcOps, type Op, type OpMix, type ProducerPick } from "./_log_ops.ts";

export { engineRequirements, type OpMix } from "./_log_ops.ts";

/** Runs operations against a server and the model; see {@linkcode fcOps}. */
export class ModelRun {
  /** What the server should hold. */
  readonly model = new LogModel();
  /** Stream labels operations pick from: the two first streams, then forks. */
  readonly labels: string[] = ["a", "b"];
  readonly #urls = new Map<string, string>();
  readonly #t: CheckContext;
  #messages = 0;
  #forks = 0;

  /** An engine whose requests and verdicts go through `t`. */
  constructor(t: CheckContext) {
    this.#t = t;
  }

  /** The URL of the stream a label names in this run. */
  url(label: string): string {
    let url = this.#urls.get(label);
    if (url === undefined) {
      url = this.#t.streamUrl(this.#t.stream(label));
      this.#urls.set(label, url);
    }
    return url;
  }

  /** Creates the two streams every run starts with. */
  async setup(): Promise<void> {
    for (const label of this.labels) {
      const reply = await putStream(this.#t, this.url(label));
      this.#t.expectStatus("LOG-STREAM-2", reply, 201);
      this.model.create(label, [], false);
    }
  }

  /** A fresh message carrying `payload`; every message of a run is distinct. */
  message(payload: string): string {
    return `{"n":${++this.#messages},"v":${payload}}`;
  }

  /** Runs one operation and judges the answer. */
  async apply(op: Op): Promise<void> {
    const label = this.labels[op.target % this.labels.length];
    const stream = this.model.streams.get(label);
    switch (op.kind) {
      case "create":
        return await this.#create(label, stream, op);
      case "append":
      case "close":
        return await this.#append(label, stream, op);
      case "concurrent":
        return await this.#concurrent(label, stream, op.batches);
      case "read":
        return await this.#read(label, stream, op.offset, op.limit);
      case "head":
        return await this.#head(label, stream);
      case "fork":
        return await this.#fork(label, stream, op.offset);
      case "delete":
        return await this.#delete(label, stream);
    }
  }

  /** Reads every live stream from the start and compares it with the model. */
  async finish(): Promise<void> {
    for (const [label, stream] of this.model.streams) {
      if (stream.soft) continue;
      await this.#read(label, stream, "-1", undefined);
    }
  }

  /** A missing stream answers stream-not-found, a soft-deleted one stream-gone (LOG-DELETE-1). */
  #absent(reply: HttpReply, stream: ModelStream | undefined, head = false): boolean {
    if (stream !== undefined && !stream.soft) return false;
    const slug = stream ? "stream-gone" : "stream-not-found";
    expectRefusal(this.#t, "LOG-DELETE-1", reply, slug, head);
    return true;
  }

  async #create(label: string, stream: ModelStream | undefined, op: Op & { kind: "create" }) {
    const t = this.#t;
    const messages = op.values.map((v) => this.message(v));
    const reply = await putStream(t, this.url(label), {
      closed: op.closed,
      body: messages.length > 0 ? arrayBody(messages) : undefined,
    });
    if (stream === undefined) {
      const id = this.model.deleted.has(label) ? "LOG-DELETE-1" : "LOG-STREAM-2";
      t.expectStatus(id, reply, 201);
      t.expectEqual("LOG-OFFSET-1", nextOffset(t, reply), messages.length, "tail of a new stream");
      this.model.create(label, messages.map((m) => compactJson(m)!), op.closed);
    } else if (stream.soft) {
      t.expect(
        "LOG-DELETE-1",
        reply.status >= 400,
        `a create at a gone stream's path answered ${reply.status}`,
      );
    } else {
      t.expect("LOG-STREAM-2", reply.status !== 201, "a create at an existing stream answered 201");
    }
  }

  #producer(stream: ModelStream, pick: ProducerPick | undefined): ProducerId | undefined {
    if (pick === undefined || !this.#t.features.has("idempotent-producer")) return undefined;
    const id = `p${pick.id}`;
    const state = stream.producers.get(id);
    const n = pick.pick;
    if (state === undefined) {
      return pick.intent === "gap" || pick.intent === "bump-bad"
        ? { id, epoch: 0, seq: 1 + (n % 3) }
        : { id, epoch: n % 2, seq: 0 };
    }
    const { epoch: e, seq: s } = state;
    switch (pick.intent) {
      case "next":
        return { id, epoch: e, seq: s + 1 };
      case "dup":
        return { id, epoch: e, seq: s - (n % (s + 1)) };
      case "gap":
        return { id, epoch: e, seq: s + 2 + (n % 3) };
      case "bump":
        return { id, epoch: e + 1 + (n % 2), seq: 0 };
      case "bump-bad":
        return { id, epoch: e + 1, seq: 1 + (n % 3) };
      case "stale":
        return e > 0 ? { id, epoch: n % e, seq: n % 4 } : { id, epoch: e, seq: s + 1 };
    }
  }

  async #append(
    label: string,
    stream: ModelStream | undefined,
    op: Op & { kind: "append" | "close" },
  ): Promise<void> {
    const t = this.#t;
    const close = op.kind === "close";
    const form = op.kind === "append" ? op.form : op.values.length > 0 ? "batch" : "close-only";
    const empty = form === "empty-array" || form === "empty-body";
    const values = empty ? [] : form === "single" ? op.values.slice(0, 1) : op.values;
    const messages = values.map((v) => this.message(v));
    const body = form === "batch"
      ? arrayBody(messages, messages.length % 2 === 0 ? "" : "\n ")
      : form === "single"
      ? messages[0]
      : form === "empty-array"
      ? (op.values.length % 2 === 0 ? "[]" : "[ ]")
      : undefined;
    const producer = stream && !empty ? this.#producer(stream, op.producer) : undefined;
    const seq = op.kind === "append" && !empty && !producer && t.features.has("stream-seq")
      ? op.seq
      : undefined;
    const headers: Record<string, string> = {};
    if (close) headers["Stream-Closed"] = "true";
    if (producer) {
      headers["Producer-Id"] = producer.id;
      headers["Producer-Epoch"] = String(producer.epoch);
      headers["Producer-Seq"] = String(producer.seq);
    }
    if (seq !== undefined) headers["Stream-Seq"] = seq;
    const reply = await post(t, this.url(label), body, headers);
    if (this.#absent(reply, stream)) return;
    const request: ModelAppend = {
      messages: messages.map((m) => compactJson(m)!),
      close,
      producer,
      seq,
      empty,
    };
    const decision = this.model.decide(stream!, request);
    this.judgeAppend(reply, stream!, request, decision);
    if (decision.type === "stored") this.model.apply(stream!, request);
    if (decision.type === "refused" && close && !stream!.closed) {
      // A refused close leaves the stream as it was: open, at the same tail.
      const now = await getAt(t, this.url(label), "now");
      t.expect("LOG-CLOSE-2", !flag(now, "stream-closed"), "a refused close closed the stream");
      t.expectEqual(
        "LOG-CLOSE-2",
        nextOffset(t, now),
        stream!.content.length,
        "tail after a refused close",
      );
    }
  }

  /** Judges the answer to an append against the model's decision. */
  judgeAppend(reply: HttpReply, s: ModelStream, a: ModelAppend, d: Decision): void {
    const t = this.#t;
    if (d.type === "refused") {
      const slug = problemSlug(reply);
      const expected = d.slugs.includes(slug ?? "") ? slug! : d.slugs[0];
      expectRefusal(t, d.requirement, reply, expected);
      if (expected === "producer-stale-epoch") {
        stated(t, "LOG-PRODUCER-3", reply, [["producer-epoch", "producerEpoch", d.state!.epoch]]);
      }
      if (expected === "producer-seq-gap") {
        stated(t, "LOG-PRODUCER-4", reply, [
          ["producer-expected-seq", "expectedSeq", d.state!.seq],
          ["producer-received-seq", "receivedSeq", a.producer!.seq],
        ]);
      }
      return;
    }
    t.expectStatus(d.requirement, reply, [200, 204]);
    const tail = s.content.length + (d.type === "stored" ? a.messages.length : 0);
    t.expectEqual(d.requirement, nextOffset(t, reply), tail, "the tail reported by the append");
    if (a.producer && a.messages.length > 0 && t.features.has("idempotent-producer")) {
      const duplicate = d.type === "unchanged" && d.duplicate;
      t.expectEqual(
        "LOG-PRODUCER-2",
        reply.status,
        duplicate ? 204 : 200,
        duplicate ? "status of a duplicate producer append" : "status of a new producer append",
      );
    }
  }

  async #concurrent(label: string, stream: ModelStream | undefined, batches: string[][]) {
    if (stream === undefined || stream.soft || stream.closed) return;
    const sent = batches.map((values) => values.map((v) => compactJson(this.message(v))!));
    await concurrentAppends(this.#t, this.url(label), stream.content, sent);
  }

  #blame(stream: ModelStream): (index: number, got?: string) => string | undefined {
    return (index, got) => {
      const fork = stream.fork;
      if (fork && index < fork.offset) return fork.source.soft ? "LOG-DELETE-2" : "LOG-FORK-1";
      if (got === undefined) return undefined;
      if (fork && fork.source.content[index] === got) return "LOG-FORK-2";
      const leaked = this.model.forksOf(stream).some((f) =>
        index >= f.fork!.offset && f.content[index] === got
      );
      return leaked ? "LOG-FORK-2" : undefined;
    };
  }

  async #read(
    label: string,
    stream: ModelStream | undefined,
    offset: "-1" | "now" | number,
    limit: number | undefined,
  ) {
    const t = this.#t;
    const tail = stream?.content.length ?? 0;
    const at = typeof offset === "number" ? offset % (tail + 3) : offset;
    const requested = typeof at === "number" ? offsetText(at) : at;
    const reply = await getAt(t, this.url(label), requested, limit);
    if (this.#absent(reply, stream)) return;
    if (typeof at === "number" && at > tail) {
      expectRefusal(t, "LOG-OFFSET-4", reply, "offset-out-of-range");
      return;
    }
    if (reply.status !== 200) {
      const id = stream!.fork?.source.soft
        ? "LOG-DELETE-2"
        : stream!.closed
        ? "LOG-CLOSE-4"
        : typeof at === "number"
        ? "LOG-READ-1"
        : "LOG-OFFSET-2";
      t.expectStatus(id, reply, 200);
    }
    checkRead(t, reply, {
      content: stream!.content,
      closed: stream!.closed,
      requested,
      limit,
      blame: this.#blame(stream!),
    });
  }

  async #head(label: string, stream: ModelStream | undefined) {
    const t = this.#t;
    const reply = await t.http.request("HEAD", this.url(label));
    if (this.#absent(reply, stream, true)) return;
    t.expectStatus("LOG-STREAM-1", reply, 200);
    t.expectEqual("LOG-OFFSET-1", nextOffset(t, reply), stream!.content.length, "tail by HEAD");
    const type = (reply.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    t.expectEqual("LOG-STREAM-1", type, "application/json", "content type by HEAD");
    t.expectEqual("LOG-STREAM-1", reply.headers.get("agent-stream-kind"), "json", "kind by HEAD");
  }

  async #fork(label: string, source: ModelStream | undefined, pick: number | undefined) {
    const t = this.#t;
    if (!t.features.has("fork")) return;
    const tail = source?.content.length ?? 0;
    const offset = pick === undefined ? undefined : pick % (tail + 2);
    const forkLabel = `f${++this.#forks}`;
    const sourceUrl = this.url(label);
    const headers: Record<string, string> = {
      "Stream-Forked-From": sourceUrl.slice(t.streamUrl("").length),
    };
    if (offset !== undefined) headers["Stream-Fork-Offset"] = offsetText(offset);
    const reply = await t.http.request("PUT", this.url(forkLabel), { headers });
    if (source === undefined) {
      expectRefusal(t, "LOG-FORK-4", reply, "stream-not-found");
      return;
    }
    if (source.soft) {
      t.expect(
        "LOG-DELETE-1",
        reply.status >= 400,
        `a fork of a gone stream answered ${reply.status}`,
      );
      return;
    }
    if (offset !== undefined && offset > tail) {
      expectRefusal(t, "LOG-FORK-4", reply, "offset-out-of-range");
      return;
    }
    const id = offset === undefined ? "LOG-FORK-5" : "LOG-FORK-1";
    t.expectStatus(id, reply, 201);
    const at = offset ?? tail;
    t.expectEqual(id, nextOffset(t, reply), at, "the tail of a new fork");
    this.model.create(forkLabel, source.content.slice(0, at), false, { source, offset: at });
    this.labels.push(forkLabel);
  }

  async #delete(label: string, stream: ModelStream | undefined) {
    const reply = await this.#t.http.request("DELETE", this.url(label));
    if (this.#absent(reply, stream)) return;
    this.#t.expectStatus("LOG-DELETE-1", reply, [200, 204]);
    this.model.delete(stream!);
  }
}

/** Runs a property of generated operation lists against the server and the model. */
export function runModel(
  t: CheckContext,
  mix: OpMix,
  numRuns?: number,
): Promise<void> {
  return t.property(fcOps(mix), async (ops, run) => {
    const engine = new ModelRun(run);
    await engine.setup();
    for (const op of ops) await engine.apply(op);
    await engine.finish();
  }, numRuns === undefined ? {} : { numRuns });
}
