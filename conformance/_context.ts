// The implementation of CheckContext the runners hand to checks.

import type { Discovery } from "../src/protocol/discovery.ts";
import type { CheckContext } from "./check.ts";
import { HttpProbe, type HttpReply } from "./http_probe.ts";
import { ContextBase, show } from "./_suite_context.ts";
import { Violation } from "./violation.ts";
import { WsProbe } from "./ws_probe.ts";

export { PropertyFailure } from "./_suite_context.ts";

/** Settings shared by every context of one run. */
export interface ContextSettings {
  readonly baseUrl: string;
  readonly discovery: Discovery;
  readonly features: ReadonlySet<string>;
  readonly maxWaitMs: number;
  readonly timeoutMs: number;
  /** Runs of a property unless the check says otherwise. */
  readonly numRuns: number;
  /** fast-check seed of every property in the run. */
  readonly seed: number;
  /** Replay path of the one check being replayed (see PropertySettings). */
  readonly path?: string;
  /** Shrink counterexamples (default true). */
  readonly shrink?: boolean;
  /** Prefix of every stream the run creates. */
  readonly streamPrefix: string;
}

export class RunContext extends ContextBase<CheckContext> implements CheckContext {
  readonly baseUrl: string;
  readonly discovery: Discovery;
  readonly features: ReadonlySet<string>;
  readonly http: HttpProbe;
  readonly timeoutMs: number;
  readonly #settings: ContextSettings;
  readonly #checkId: string;
  readonly #counter: { n: number };
  readonly #sockets: WsProbe[] = [];

  constructor(settings: ContextSettings, checkId: string, counter = { n: 0 }) {
    super(settings);
    this.#settings = settings;
    this.#checkId = checkId;
    this.#counter = counter;
    this.baseUrl = settings.baseUrl.replace(/\/+$/, "");
    this.discovery = settings.discovery;
    this.features = settings.features;
    this.timeoutMs = settings.timeoutMs;
    this.http = new HttpProbe(this.baseUrl, this.transcript, settings.timeoutMs);
  }

  stream(label = "s"): string {
    this.#counter.n += 1;
    return `${this.#settings.streamPrefix}/${this.#checkId}/${label}-${this.#counter.n}`;
  }

  streamUrl(path: string, query?: Record<string, string>): string {
    const prefix = this.discovery.bindings?.http?.streamPrefix ?? "/v1/stream/";
    const encoded = path.split("/").map((segment) => encodeURIComponent(segment)).join("/");
    const search = query ? `?${new URLSearchParams(query)}` : "";
    return prefix + encoded + search;
  }

  async createStream(
    path: string = this.stream(),
    options: { headers?: Record<string, string>; requirement?: string } = {},
  ): Promise<string> {
    const url = this.streamUrl(path);
    const reply = await this.http.request("PUT", url, {
      headers: { "Content-Type": "application/json", ...options.headers },
    });
    this.expectStatus(options.requirement ?? "HTTP-CREATE-1", reply, 201);
    return url;
  }

  async ws(protocols?: readonly string[]): Promise<WsProbe> {
    const binding = this.discovery.bindings?.websocket;
    if (!binding?.path) this.skip("the server advertises no WebSocket binding");
    const url = new URL(binding.path, this.baseUrl);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const probe = await WsProbe.open(
      url.href,
      protocols ?? binding.subprotocols ?? ["agent-stream.v1"],
      this.transcript,
      this.timeoutMs,
    );
    this.#sockets.push(probe);
    return probe;
  }

  async wsSession(): Promise<{ ws: WsProbe; welcome: Record<string, unknown> }> {
    const ws = await this.ws();
    this.expect("WS-HANDSHAKE-2", ws.isOpen, "the WebSocket handshake did not complete");
    ws.send({
      type: "hello",
      version: "1.0",
      client: { name: "agent-stream-conformance", version: "1" },
    });
    const welcome = await ws.nextMatching(() => true, this.timeoutMs);
    this.expect(
      "WS-HELLO-3",
      welcome?.type === "welcome",
      "the first frame after hello is not welcome",
      {
        expected: "welcome",
        actual: welcome?.type,
      },
    );
    return { ws, welcome: welcome! };
  }

  expectStatus(
    requirement: string,
    reply: HttpReply | { status: number },
    status: number | readonly number[],
  ): void {
    const allowed = typeof status === "number" ? [status] : status;
    if (!allowed.includes(reply.status)) {
      throw new Violation(
        requirement,
        `status ${reply.status}, expected ${allowed.join(" or ")}`,
        { expected: status, actual: reply.status },
      );
    }
  }

  expectProblem(requirement: string, reply: HttpReply, status: number, slug: string): void {
    this.expectStatus(requirement, reply, status);
    const type = (reply.json as { type?: unknown } | undefined)?.type;
    const expected = `https://agent-stream.dev/problems/${slug}`;
    this.expect(
      requirement,
      type === expected,
      `problem type ${show(type)}, expected ${expected}`,
      {
        expected,
        actual: type,
      },
    );
    const contentType = reply.headers.get("content-type") ?? "";
    this.expect(
      requirement,
      contentType.split(";")[0].trim().toLowerCase() === "application/problem+json",
      `problem served as ${show(contentType)}, expected application/problem+json`,
    );
  }

  protected fork(): RunContext {
    return new RunContext(this.#settings, this.#checkId, this.#counter);
  }

  /** Closes the sockets the check left open. */
  dispose(): void {
    for (const socket of this.#sockets) socket.close();
  }
}
