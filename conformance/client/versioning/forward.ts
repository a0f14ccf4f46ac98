// versioning.md §3: a client ignores response headers, JSON members, SSE
// event types and WebSocket frame types it does not know.

import type { Check } from "../../check.ts";
import type { AdapterLiveMode } from "../adapter_protocol.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { expectCompleteRead, liveRead } from "../_delivery.ts";
import type { FaultScript } from "../fault_script.ts";

const LATER_HEADERS: Record<string, string> = {
  "agent-stream-replica": "eu-2",
  "stream-later-feature": "on",
  "x-conformance-later": "1",
};

/** Adds the headers of a later version to a response. */
function withHeaders(response: Response): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(LATER_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, headers });
}

/** What a later version might add to each binding, none of which a 1.0 client knows. */
function laterVersion(mode: AdapterLiveMode): FaultScript {
  if (mode === "websocket") {
    return {
      wsOut: (frame) => ({
        frames: [{ type: "x-later-frame", note: "from 1.9" }, {
          ...frame,
          "x-later": { v: "1.9" },
        }],
      }),
    };
  }
  return {
    response: (_call, response) => withHeaders(response),
    sse(unit) {
      if (unit.kind === "data") {
        // An event type of a later version, without an id: it moves no offset.
        return { before: 'event: x-later-event\ndata: {"note":"from 1.9"}\n\n' };
      }
      if (unit.kind === "control") {
        const replace = unit.text
          .replace(/^event: control\n/, "event: control\nx-later-field: 1\n")
          .replace(/^data: (.*)$/m, (_, json: string) => {
            const control = JSON.parse(json);
            return `data: ${JSON.stringify({ ...control, streamLag: 0, "x-later": { v: "1.9" } })}`;
          });
        return { replace };
      }
      return undefined;
    },
  };
}

/** Checks of versioning.md §3 (forward compatibility), client side. */
export const versioningForwardChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.versioning.forward.later-additions",
    title:
      "headers, control-event members, SSE event types and WebSocket frame types and members of a later minor version change nothing",
    section: "versioning.md §3",
    requirements: ["VER-FWD-2"],
    async run(t) {
      if (t.modes.length === 0) return t.skip("the adapter reads with no live mode");
      for (const mode of t.modes) {
        const live = await liveRead(t, mode, { script: () => laterVersion(mode) });
        expectCompleteRead(t, "VER-FWD-2", live);
      }
    },
  }),
];
