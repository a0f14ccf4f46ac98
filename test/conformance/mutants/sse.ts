// Mutants of the SSE binding: most rewrite the text/event-stream body, one
// event block at a time, the way a careless server would write it.

import { mapHttp, type Mutant } from "../mutant.ts";

/** Mutants that break one requirement of sse.md each. */
export const sseMutants: readonly Mutant[] = [
  {
    name: "ignores Last-Event-ID and serves the offset parameter",
    breaks: "SSE-RESUME-1",
    wrap: mapHttp((request, next) => {
      const headers = new Headers(request.headers);
      headers.delete("last-event-id");
      return next(new Request(request, { headers }));
    }),
  },
  {
    name: "resumes after the Last-Event-ID instead of at it",
    breaks: "SSE-RESUME-1",
    wrap: mapHttp((request, next) => {
      const id = request.headers.get("last-event-id");
      if (id === null || !/^[0-9]{16}$/.test(id)) return next(request);
      const headers = new Headers(request.headers);
      headers.set("last-event-id", String(Number(id) + 1).padStart(16, "0"));
      return next(new Request(request, { headers }));
    }),
  },
  {
    name: "answers a resumption at a closed stream's final tail with an event stream",
    breaks: "SSE-RESUME-3",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      const id = request.headers.get("last-event-id");
      if (response.status !== 204 || id === null || request.method !== "GET") return response;
      const url = new URL(request.url);
      url.searchParams.set("offset", id);
      const headers = new Headers(request.headers);
      headers.delete("last-event-id");
      return next(new Request(url, { headers }));
    }),
  },
  {
    name: "starts a live read without an offset at the beginning",
    breaks: "SSE-EVENT-6",
    wrap: mapHttp((request, next) => {
      const url = new URL(request.url);
      if (
        url.searchParams.get("live") !== "sse" || url.searchParams.has("offset") ||
        request.headers.has("last-event-id")
      ) return next(request);
      url.searchParams.set("offset", "-1");
      return next(new Request(url, request));
    }),
  },
  {
    name: "sends no control event when a read starts at the tail",
    breaks: "SSE-EVENT-4",
    wrap: mapEvents(() => {
      let first = true;
      return (block) => {
        const was = first;
        if (eventOf(block) !== undefined) first = false;
        const control = controlOf(block);
        return was && control?.upToDate === true && control.streamClosed !== true ? [] : [block];
      };
    }),
  },
  {
    name: "says upToDate on every control event",
    breaks: "SSE-EVENT-3",
    wrap: mapEvents(() => (block) => {
      const control = controlOf(block);
      return control ? [withData(block, { ...control, upToDate: true })] : [block];
    }),
  },
  {
    name: "omits streamCursor from control events",
    breaks: "SSE-EVENT-5",
    wrap: mapEvents(() => (block) => {
      const control = controlOf(block);
      if (!control) return [block];
      const { streamCursor: _, ...rest } = control;
      return [withData(block, rest)];
    }),
  },
  {
    name: "gives a data event the offset of its first message as id",
    breaks: "SSE-ID-1",
    wrap: mapEvents(() => (block) => {
      if (eventOf(block) !== "data") return [block];
      const count = (JSON.parse(dataOf(block)) as unknown[]).length;
      return [block.replace(/^id: ?([0-9]{16})$/m, (_, id: string) => {
        return `id: ${String(Number(id) - count).padStart(16, "0")}`;
      })];
    }),
  },
  {
    name: "writes no heartbeats",
    breaks: "SSE-HEARTBEAT-1",
    wrap: mapEvents(() => (block) =>
      block.split("\n").every((l) => l.startsWith(":")) ? [] : [block]
    ),
  },
  {
    name: "sends no retry field",
    breaks: "SSE-HEARTBEAT-2",
    wrap: mapEvents(() => (block) => /^retry:/m.test(block) ? [] : [block]),
  },
  {
    name: "rotates right after a data event, losing its control event",
    breaks: "SSE-ROTATE-1",
    wrap: mapEvents(() => {
      let held: string | undefined;
      return (block, end) => {
        const out = held === undefined ? [] : [held];
        held = undefined;
        if (end) return controlOf(out[0] ?? "")?.streamClosed === true ? out : [];
        if (controlOf(block)) held = block;
        else out.push(block);
        return out;
      };
    }),
  },
  {
    name: "keeps the response open after streamClosed",
    breaks: "SSE-CLOSE-1",
    wrap: mapEvents(() => {
      let closed = false;
      return (block, end) => {
        if (controlOf(block)?.streamClosed === true) closed = true;
        return end ? (closed ? KEEP_OPEN : []) : [block];
      };
    }),
  },
  {
    name: "keeps following a deleted stream",
    breaks: "SSE-CLOSE-3",
    wrap: (server) => {
      const deleted = new Set<string>();
      return mapEvents((request) => {
        const path = new URL(request.url).pathname;
        if (request.method === "DELETE") deleted.add(path);
        return (block, end) => (end && deleted.has(path) ? KEEP_OPEN : [block]);
      })(server);
    },
  },
  {
    name: "answers an SSE read of a missing stream with a not-found problem",
    breaks: "SSE-ERR-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (new URL(request.url).searchParams.get("live") !== "sse" || response.status !== 404) {
        return response;
      }
      const problem = await response.json();
      problem.type = "https://agent-stream.dev/problems/not-found";
      const headers = new Headers(response.headers);
      headers.delete("content-length");
      return new Response(JSON.stringify(problem), { status: 404, headers });
    }),
  },
];

/** Returned at the end of the body: write heartbeats instead of ending, until the reader leaves. */
const KEEP_OPEN = ["(keep open)"];

type BlockMap = (block: string, end: boolean) => readonly string[];

/**
 * A variant whose text/event-stream bodies pass through a map made per
 * request: it sees each event block (without its blank line), then once more
 * with `end` when the body ends.
 */
function mapEvents(make: (request: Request) => BlockMap): NonNullable<Mutant["wrap"]> {
  return mapHttp(async (request, next) => {
    const map = make(request);
    const response = await next(request);
    if (!response.body || !response.headers.get("content-type")?.startsWith("text/event-stream")) {
      return response;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const encoder = new TextEncoder();
    let buffer = "";
    let timer: ReturnType<typeof setInterval> | undefined;
    let ended = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        // Pull again until something is written: a pull that writes nothing is not repeated.
        while (!ended) {
          const { done, value } = await reader.read();
          if (done) {
            ended = true;
            const out = map("", true);
            if (out === KEEP_OPEN) {
              timer = setInterval(() => controller.enqueue(encoder.encode(":\n\n")), 100);
              return;
            }
            for (const block of out) controller.enqueue(encoder.encode(`${block}\n\n`));
            controller.close();
            return;
          }
          buffer += decoder.decode(value, { stream: true });
          const blocks = buffer.split("\n\n");
          buffer = blocks.pop()!;
          let wrote = false;
          for (const block of blocks) {
            for (const out of map(block, false)) {
              controller.enqueue(encoder.encode(`${out}\n\n`));
              wrote = true;
            }
          }
          if (wrote) return;
        }
      },
      cancel(reason) {
        clearInterval(timer);
        return reader.cancel(reason);
      },
    });
    return new Response(body, response);
  });
}

function eventOf(block: string): string | undefined {
  return /^event: ?(.*)$/m.exec(block)?.[1];
}

function dataOf(block: string): string {
  return block.split("\n").filter((l) => l.startsWith("data:")).map((l) =>
    l.slice(5).replace(/^ /, "")
  ).join("\n");
}

function controlOf(block: string): Record<string, unknown> | undefined {
  return eventOf(block) === "control" ? JSON.parse(dataOf(block)) : undefined;
}

function withData(block: string, data: unknown): string {
  const lines = block.split("\n").filter((l) => !l.startsWith("data:"));
  return [...lines, `data: ${JSON.stringify(data)}`].join("\n");
}
