// What the checks of errors.md know about problem documents: the catalogue,
// schema validation with readable issues, and the bodies of HTTP replies.

import * as v from "valibot";
import {
  PROBLEM_TYPE_BASE,
  PROBLEM_TYPES,
  ProblemSchema,
  type ProblemSlug,
} from "../../../src/protocol/problem.ts";
import type { HttpReply } from "../../http_probe.ts";

/** The catalogue entry of a `type` URI under the protocol's namespace, if any. */
export function catalogueSlug(type: unknown): ProblemSlug | undefined {
  if (typeof type !== "string" || !type.startsWith(PROBLEM_TYPE_BASE)) return undefined;
  const slug = type.slice(PROBLEM_TYPE_BASE.length);
  return Object.hasOwn(PROBLEM_TYPES, slug) ? slug as ProblemSlug : undefined;
}

/** Whether `type` is a URI under `https://agent-stream.dev/problems/`. */
export function inProtocolNamespace(type: unknown): boolean {
  return typeof type === "string" && type.startsWith(PROBLEM_TYPE_BASE);
}

/** The status the catalogue gives a slug. */
export function catalogueStatus(slug: ProblemSlug): number {
  return PROBLEM_TYPES[slug].status;
}

/** The type URI of a slug. */
export function typeOf(slug: ProblemSlug): string {
  return PROBLEM_TYPE_BASE + slug;
}

/** Why `value` is not a problem valid against the schema, or `undefined` when it is. */
export function problemIssues(value: unknown): string | undefined {
  const result = v.safeParse(ProblemSchema, value);
  if (result.success) return undefined;
  return result.issues.map((issue) => `${v.getDotPath(issue) ?? "(root)"}: ${issue.message}`)
    .join("; ");
}

/** The reply's media type, lower-cased, without parameters. */
export function mediaType(reply: { headers: Headers }): string {
  return (reply.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
}

/** The body of a reply as a JSON object, or `undefined`. */
export function problemOf(reply: HttpReply): Record<string, unknown> | undefined {
  const json = reply.json;
  return typeof json === "object" && json !== null && !Array.isArray(json)
    ? json as Record<string, unknown>
    : undefined;
}

/** Short text of a value for messages. */
export function show(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return String(value);
  }
}
