// Version negotiation over HTTP (spec/v1/versioning.md §2).

import { problemResponse } from "./_problem.ts";

/** The versions this server serves, ascending (VER-NEG-3, DISC-VERSION-3). */
export const SUPPORTED_VERSIONS: readonly string[] = Object.freeze(["1.0"]);

/** The served version, or the refusal of an unsupported one. */
export type Negotiated =
  | { readonly ok: true; readonly version: string }
  | { readonly ok: false; readonly response: Response };

/**
 * The version to serve for a request's `Agent-Stream-Version`: the highest
 * minor not above the requested one, else the lowest (VER-NEG-1); another
 * major or an unparseable value is refused (VER-NEG-2).
 */
export function negotiateVersion(headers: Headers): Negotiated {
  const highest = SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.length - 1];
  const requested = headers.get("agent-stream-version");
  if (requested === null) return { ok: true, version: highest };
  const match = /^(0|[1-9][0-9]*)\.([0-9]+)$/.exec(requested.trim());
  if (match === null || match[1] !== "1") {
    return {
      ok: false,
      response: problemResponse("unsupported-version", {
        detail: `Agent-Stream-Version ${
          JSON.stringify(requested.slice(0, 40))
        } is not a version of major 1`,
        members: { supported: [...SUPPORTED_VERSIONS] },
      }),
    };
  }
  const minor = Number(match[2]);
  const served = [...SUPPORTED_VERSIONS].reverse().find((v) => Number(v.split(".")[1]) <= minor);
  return { ok: true, version: served ?? SUPPORTED_VERSIONS[0] };
}
