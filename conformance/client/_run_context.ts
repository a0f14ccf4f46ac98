// The implementation of ClientCheckContext the client suite hands to checks:
// one adapter process per check (shared by the runs of its properties), the
// scripted server's records reset for every run.

import { ContextBase, type PropertySettings } from "../_suite_context.ts";
import type {
  AdapterBinding,
  AdapterLiveMode,
  AdapterReady,
  RetryHints,
} from "./adapter_protocol.ts";
import { AdapterProcess, AdapterProtocolError, type CommandHandle } from "./adapter_process.ts";
import { type ClientCheckContext, DEFAULT_RETRY_HINTS } from "./client_context.ts";
import type { FaultScript } from "./fault_script.ts";
import type { ScriptedHost } from "./scripted_host.ts";
import type { ScriptedServer } from "./scripted_server.ts";

/** Settings shared by every context of one client run. */
export interface ClientSettings extends PropertySettings {
  readonly host: ScriptedHost;
  readonly adapter: string | readonly string[];
  readonly capabilities: AdapterReady;
  readonly timeoutMs: number;
  /** Prefix of every stream the run creates. */
  readonly streamPrefix: string;
}

// The adapter of one check, shared by the runs of its properties.
interface AdapterSlot {
  process: AdapterProcess | undefined;
}

/** The implementation of {@linkcode ClientCheckContext}. */
export class ClientRunContext extends ContextBase<ClientCheckContext>
  implements ClientCheckContext {
  readonly server: ScriptedServer;
  readonly capabilities: AdapterReady;
  readonly modes: readonly AdapterLiveMode[];
  readonly timeoutMs: number;
  readonly #settings: ClientSettings;
  readonly #checkId: string;
  readonly #counter: { n: number };
  readonly #slot: AdapterSlot;
  readonly #parent: ClientRunContext | undefined;
  readonly #reads: CommandHandle[] = [];

  constructor(
    settings: ClientSettings,
    checkId: string,
    counter: { n: number },
    parent?: { slot: AdapterSlot; context: ClientRunContext },
  ) {
    super(settings);
    this.#settings = settings;
    this.#checkId = checkId;
    this.#counter = counter;
    this.#slot = parent?.slot ?? { process: undefined };
    this.#parent = parent?.context;
    this.server = settings.host.server;
    this.capabilities = settings.capabilities;
    const reads = Array.isArray(settings.capabilities.reads) ? settings.capabilities.reads : [];
    this.modes = (["sse", "long-poll", "websocket"] as const).filter((m) => reads.includes(m));
    this.timeoutMs = settings.timeoutMs;
    this.server.begin({}, this.transcript);
    if (this.#slot.process) this.#slot.process.transcript = this.transcript;
  }

  get url(): string {
    return this.#settings.host.url;
  }

  stream(label = "s"): string {
    this.#counter.n += 1;
    return `${this.#settings.streamPrefix}/${this.#checkId}/${label}-${this.#counter.n}`;
  }

  script(script: FaultScript): void {
    this.server.script = script;
  }

  async createStream(
    options: { path?: string; kind?: "json" | "agent"; messages?: readonly unknown[] } = {},
  ): Promise<string> {
    const path = options.path ?? this.stream();
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.kind === "agent") headers["agent-stream-kind"] = "agent";
    const response = await this.server.direct("PUT", path, {
      headers,
      body: options.messages === undefined ? undefined : JSON.stringify(options.messages),
    });
    await response.body?.cancel();
    if (response.status !== 201) throw new Error(`creating ${path} answered ${response.status}`);
    this.note(
      `created ${path}${options.messages ? ` with ${options.messages.length} messages` : ""}`,
    );
    return path;
  }

  async append(stream: string, messages: readonly unknown[]): Promise<number> {
    const response = await this.server.direct("POST", stream, {
      headers: { "content-type": "application/json" },
      body: JSON.stringify(messages),
    });
    await response.body?.cancel();
    if (response.status !== 204 && response.status !== 200) {
      throw new Error(`appending to ${stream} answered ${response.status}`);
    }
    const tail = Number(response.headers.get("stream-next-offset"));
    this.note(`appended ${messages.length} to ${stream}; tail ${tail}`);
    return tail;
  }

  async closeStream(stream: string): Promise<number> {
    const response = await this.server.direct("POST", stream, {
      headers: { "stream-closed": "true" },
    });
    await response.body?.cancel();
    if (response.status !== 204 && response.status !== 200) {
      throw new Error(`closing ${stream} answered ${response.status}`);
    }
    const tail = Number(response.headers.get("stream-next-offset"));
    this.note(`closed ${stream} at ${tail}`);
    return tail;
  }

  async read(
    stream: string,
    options: { live: AdapterLiveMode; offset?: string; window?: number; retry?: RetryHints },
  ): Promise<CommandHandle> {
    const adapter = await this.#adapter();
    const read = adapter.send({
      cmd: "read",
      url: this.url,
      path: stream,
      offset: options.offset ?? "-1",
      live: options.live,
      ...(options.window !== undefined ? { window: options.window } : {}),
      retry: options.retry ?? DEFAULT_RETRY_HINTS,
    });
    this.#reads.push(read);
    return read;
  }

  async appendThroughClient(
    stream: string,
    options: {
      via: AdapterBinding;
      messages: readonly unknown[];
      close?: boolean;
      producer?: { id: string; epoch: number; seq: number };
      retry?: RetryHints;
    },
  ): Promise<CommandHandle> {
    const adapter = await this.#adapter();
    return adapter.send({
      cmd: "append",
      url: this.url,
      path: stream,
      via: options.via,
      messages: options.messages,
      ...(options.close ? { close: true } : {}),
      ...(options.producer ? { producer: options.producer } : {}),
      retry: options.retry ?? DEFAULT_RETRY_HINTS,
    });
  }

  async closeRead(read: CommandHandle, ms = this.timeoutMs): Promise<CommandHandle> {
    const adapter = await this.#adapter();
    const close = adapter.send({ cmd: "close", read: read.id });
    await close.settled(ms);
    return close;
  }

  async waitUntil(condition: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!condition()) {
      if (Date.now() >= deadline) return false;
      await this.sleep(10);
    }
    return true;
  }

  restart(gapMs?: number): Promise<void> {
    this.note(
      `restarting the server${gapMs !== undefined ? ` (${gapMs} ms without listener)` : ""}`,
    );
    return this.#settings.host.restart(gapMs);
  }

  async restartAdapter(): Promise<void> {
    const process = this.#slot.process;
    this.#slot.process = undefined;
    this.#reads.length = 0;
    await process?.stop();
  }

  protected fork(): ClientRunContext {
    return new ClientRunContext(this.#settings, this.#checkId, this.#counter, {
      slot: this.#slot,
      context: this,
    });
  }

  async dispose(): Promise<void> {
    const process = this.#slot.process;
    if (this.#parent !== undefined) {
      // A property run: end its reads, so that the next run starts clean.
      const open = this.#reads.filter((read) => read.final === undefined);
      if (process !== undefined && !process.failed) {
        for (const read of open) process.send({ cmd: "close", read: read.id });
        await Promise.all(open.map((read) => read.settled(1_000).catch(() => undefined)));
      }
      this.server.begin({}, this.#parent.transcript);
      if (process) process.transcript = this.#parent.transcript;
      return;
    }
    this.#slot.process = undefined;
    await process?.stop();
    this.server.begin({}, undefined);
  }

  async #adapter(): Promise<AdapterProcess> {
    if (this.#slot.process?.failed) {
      throw new AdapterProtocolError(`the adapter is gone${this.#slot.process.stderrTail()}`);
    }
    if (this.#slot.process === undefined) {
      this.#slot.process = await AdapterProcess.start(
        this.#settings.adapter,
        this.timeoutMs,
        this.transcript,
      );
    }
    return this.#slot.process;
  }
}
