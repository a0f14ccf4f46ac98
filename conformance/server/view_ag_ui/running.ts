// view-ag-ui.md §4.3: a POST of a RunAgentInput appends the new user
// messages, brings the client up to date and ends once the answer is in.

import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import { AgUiClientModel } from "../../../adapters/ag-ui/ag_ui_client_model.ts";
import type { AgUiEvent } from "../../../adapters/ag-ui/ag_ui_events.ts";
import type { AgUiMessage } from "../../../adapters/ag-ui/ag_ui_messages.ts";
import { toAgUiMessages } from "../../../adapters/ag-ui/to_ag_ui_messages.ts";
import { sseEvents } from "./_view.ts";
import { CHAT } from "./_scenario.ts";
import { agentStream, appendEvents, projection, storedEvents, viewPath } from "./_view.ts";

type Event = { type: string; [key: string]: unknown };

const input = (messages: unknown[], state: unknown = {}) => ({
  threadId: "t",
  runId: "client-run",
  messages,
  state,
  tools: [],
  context: [],
  forwardedProps: {},
});

const answer = (runId: string): Event[] => [
  { type: "run.started", runId },
  { type: "text.message", runId, messageId: `${runId}-a`, role: "assistant", content: "Done" },
  { type: "state.snapshot", runId, snapshot: { answered: runId } },
  { type: "run.finished", runId, outcome: "success" },
];

/** The events of a POST's response, or the error that kept it from ending. */
async function post(t: CheckContext, path: string, body: unknown): Promise<AgUiEvent[] | Error> {
  try {
    const reply = await t.http.request("POST", viewPath(path), { body: { json: body } });
    if (reply.status !== 200) return new Error(`the POST answered ${reply.status}`);
    return sseEvents(reply.text) as AgUiEvent[];
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Waits until the stream holds `count` events. */
async function waitForTail(t: CheckContext, path: string, count: number): Promise<void> {
  const deadline = Date.now() + t.timeoutMs;
  while ((await storedEvents(t, path)).length < count) {
    if (Date.now() > deadline) throw new Error(`setup: the stream never held ${count} events`);
    await t.sleep(20);
  }
}

/** A response body read in steps, keeping a read that outlasts a step for the next. */
class BodyReader {
  text = "";
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;

  constructor(response: Response) {
    this.#reader = response.body!.getReader();
  }

  /** Reads for at most `ms`; true when the body ended. */
  async readFor(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      this.#pending ??= this.#reader.read();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), Math.max(0, deadline - Date.now()));
      });
      const next = await Promise.race([this.#pending, timeout]).finally(() => clearTimeout(timer));
      if (next === "timeout") return false;
      this.#pending = undefined;
      if (next.done) return true;
      this.text += this.#decoder.decode(next.value, { stream: true });
    }
    return false;
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}

/** Checks of view-ag-ui.md §4.3 (running). */
export const viewAgUiRunningChecks: readonly Check[] = [
  defineCheck({
    id: "view-ag-ui.post.appends",
    title:
      "a POST appends each user message the stream does not hold as a text.message, once, and nothing else",
    section: "view-ag-ui.md §4.3",
    requirements: ["VIEW-AGUI-POST-1"],
    features: ["ag-ui"],
    async run(t) {
      const path = await agentStream(t, CHAT);
      const messages = [
        { id: "u1", role: "user", content: "Weather in Oslo?" },
        { id: "sys", role: "system", content: "Be brief" },
        {
          id: "n1",
          role: "user",
          content: [{ type: "text", text: "And " }, { type: "text", text: "Bergen?" }],
        },
        { id: "n2", role: "user", content: "Thanks" },
      ];
      const pending = post(t, path, input(messages));
      await waitForTail(t, path, CHAT.length + 2);
      await appendEvents(t, path, answer("r-post"));
      const first = await pending;
      if (first instanceof Error) throw first;
      const added = (await storedEvents(t, path)).slice(CHAT.length);
      t.expectEqual("VIEW-AGUI-POST-1", added.slice(0, 2), [
        { type: "text.message", messageId: "n1", role: "user", content: "And Bergen?" },
        { type: "text.message", messageId: "n2", role: "user", content: "Thanks" },
      ], "the events the POST appended");
      const again = await post(t, path, input(messages));
      if (again instanceof Error) throw again;
      const after = await storedEvents(t, path);
      t.expectEqual(
        "VIEW-AGUI-POST-1",
        after.length,
        CHAT.length + 2 + answer("r").length,
        "the stream's length after the same POST again",
      );
    },
  }),
  defineCheck({
    id: "view-ag-ui.post.brings-client-up-to-date",
    title:
      "after a POST's response a client holds the projection, whether it held nothing, everything or an earlier part",
    section: "view-ag-ui.md §4.3",
    requirements: ["VIEW-AGUI-POST-2"],
    features: ["ag-ui"],
    async run(t) {
      const path = await agentStream(t, CHAT);
      const held = toAgUiMessages(projection(CHAT));
      const stale = held.slice(0, 2);
      const clients: [string, AgUiMessage[], unknown][] = [
        ["nothing", [], {}],
        ["the conversation", held, projection(CHAT).state],
        ["an earlier part", stale, { city: "Paris" }],
      ];
      let stored: Event[] = [...CHAT];
      for (const [i, [what, messages, state]] of clients.entries()) {
        const fresh = { id: `q${i}`, role: "user" as const, content: `Question ${i}` };
        const sent = [...messages, fresh];
        const pending = post(t, path, input(sent, state));
        await waitForTail(t, path, stored.length + 1);
        await appendEvents(t, path, answer(`r-${i}`));
        const events = await pending;
        if (events instanceof Error) throw events;
        stored = await storedEvents(t, path);
        const client = new AgUiClientModel(sent, state);
        for (const event of events) client.apply(event);
        const expected = projection(stored);
        t.expectEqual(
          "VIEW-AGUI-POST-2",
          client.messages,
          toAgUiMessages(expected),
          `the messages of a client that held ${what}`,
        );
        t.expectEqual("VIEW-AGUI-POST-2", client.state, expected.state, `its state`);
      }
    },
  }),
  defineCheck({
    id: "view-ag-ui.post.ends",
    title:
      "a POST with nothing new ends once caught up; one with a new message ends after the run that answers it, not before",
    section: "view-ag-ui.md §4.3",
    requirements: ["VIEW-AGUI-POST-3"],
    features: ["ag-ui"],
    async run(t) {
      const path = await agentStream(t, CHAT);
      const held = toAgUiMessages(projection(CHAT));
      const quiet = await post(t, path, input(held, projection(CHAT).state));
      t.expect(
        "VIEW-AGUI-POST-3",
        !(quiet instanceof Error),
        `a POST with nothing new did not end: ${String(quiet)}`,
      );
      const controller = new AbortController();
      const response = await fetch(t.http.url(viewPath(path)), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(input([...held, { id: "late", role: "user", content: "?" }])),
        signal: controller.signal,
      });
      const body = new BodyReader(response);
      try {
        await waitForTail(t, path, CHAT.length + 1);
        const early = await body.readFor(Math.min(500, t.timeoutMs));
        t.expect("VIEW-AGUI-POST-3", !early, "the POST ended before a run answered");
        await appendEvents(t, path, answer("r-late"));
        const ended = await body.readFor(t.timeoutMs);
        t.expect("VIEW-AGUI-POST-3", ended, "the POST did not end after the answering run");
        const types = sseEvents(body.text).map((e) => (e as { type?: unknown }).type);
        t.expectEqual("VIEW-AGUI-POST-3", types.at(-1), "RUN_FINISHED", "the last event");
      } finally {
        controller.abort();
        await body.cancel();
      }
    },
  }),
];
