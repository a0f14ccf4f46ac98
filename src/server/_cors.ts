// Cross-origin access for browsers (spec/v1/http.md §11). Streams carry no
// cookies or credentials of this server's making, so any origin may read
// them; what an application needs beyond that belongs in front of it.

/** Response headers a script may read (HTTP-CORS-1). */
export const EXPOSED_HEADERS: readonly string[] = Object.freeze([
  "Agent-Stream-Version",
  "Agent-Stream-Kind",
  "Stream-Next-Offset",
  "Stream-Up-To-Date",
  "Stream-Closed",
  "Stream-Cursor",
  "Stream-TTL",
  "Stream-Expires-At",
  "Stream-SSE-Data-Encoding",
  "Producer-Epoch",
  "Producer-Seq",
  "Producer-Expected-Seq",
  "Producer-Received-Seq",
  "ETag",
  "Location",
  "Retry-After",
  "Allow",
]);

/** Request headers a script may send. */
export const ALLOWED_HEADERS: readonly string[] = Object.freeze([
  "Content-Type",
  "Agent-Stream-Version",
  "Agent-Stream-Kind",
  "Stream-Closed",
  "Stream-TTL",
  "Stream-Expires-At",
  "Stream-Seq",
  "Stream-Forked-From",
  "Stream-Fork-Offset",
  "Stream-Fork-Sub-Offset",
  "Producer-Id",
  "Producer-Epoch",
  "Producer-Seq",
  "If-None-Match",
  "Last-Event-ID",
]);

const EXPOSED = EXPOSED_HEADERS.join(", ");

/** Adds the headers every response carries for browsers (HTTP-CORS-1/2, DISC-GET-7). */
export function applyBrowserHeaders(headers: Headers): void {
  headers.set("access-control-allow-origin", "*");
  headers.set("access-control-expose-headers", EXPOSED);
  headers.set("x-content-type-options", "nosniff");
  // Durable Streams §12.7: fetch() from other origins is the intended use.
  headers.set("cross-origin-resource-policy", "cross-origin");
}

/** The answer to an OPTIONS request (a CORS preflight) on a resource allowing `allow`. */
export function preflightResponse(request: Request, allow: readonly string[]): Response {
  const methods = allow.join(", ");
  const requested = request.headers.get("access-control-request-headers");
  return new Response(null, {
    status: 204,
    headers: {
      "allow": methods,
      "access-control-allow-methods": methods,
      // Echoing keeps headers of later minor versions working (VER-FWD-1).
      "access-control-allow-headers": requested ?? ALLOWED_HEADERS.join(", "),
      "access-control-max-age": "86400",
      "vary": "Access-Control-Request-Headers",
    },
  });
}
