import * as v from "valibot";

// A type literal rather than an interface so that it is assignable to
// `ProblemError`, whose index signature admits extension members.
/**
 * One reason a value failed validation.
 *
 * @example
 * ```ts
 * import type { ValidationError } from "@agent-stream/agent-stream/protocol";
 * const e: ValidationError = { path: "/2/type", message: "Expected a string" };
 * ```
 */
export type ValidationError = {
  /** RFC 6901 JSON Pointer to the offending member; `""` is the whole value. */
  path: string;
  /** Human-readable description, at most a few hundred characters. */
  message: string;
};

/**
 * The outcome of {@linkcode validate}.
 *
 * @example
 * ```ts
 * import { validate, EnvelopeSchema, type ValidationResult, type Envelope } from "@agent-stream/agent-stream/protocol";
 * const result: ValidationResult<Envelope> = validate(EnvelopeSchema, { type: "run.started" });
 * ```
 */
export type ValidationResult<T> =
  | { ok: true; value: T }
  | { ok: false; errors: ValidationError[] };

// Issue messages embed the received value; a multi-megabyte string must not
// come back in an error body.
const MAX_MESSAGE_LENGTH = 300;

/**
 * Checks a value against a protocol schema. On success the value is returned
 * as given, not as valibot rebuilt it: rebuilding reorders members, and a
 * server must store messages exactly as appended. On failure every violation
 * is listed with a JSON Pointer into the value, ready for a problem's
 * `errors`.
 *
 * @example
 * ```ts
 * import { AgentAppendSchema, validate } from "@agent-stream/agent-stream/protocol";
 * const result = validate(AgentAppendSchema, [{ type: "run.started" }, { type: 7 }]);
 * if (!result.ok) console.log(result.errors[0].path); // "/1/type"
 * ```
 */
export function validate<T>(
  schema: v.GenericSchema<unknown, T>,
  value: unknown,
): ValidationResult<T> {
  const result = v.safeParse(schema, value);
  if (result.success) return { ok: true, value: value as T };
  return {
    ok: false,
    errors: result.issues.map((issue) => ({
      path: toJsonPointer(issue.path),
      message: truncate(issue.message),
    })),
  };
}

function toJsonPointer(path: readonly { key: unknown }[] | undefined): string {
  if (path === undefined) return "";
  return path
    .map((item) => "/" + String(item.key).replaceAll("~", "~0").replaceAll("/", "~1"))
    .join("");
}

function truncate(message: string): string {
  return message.length <= MAX_MESSAGE_LENGTH
    ? message
    : message.slice(0, MAX_MESSAGE_LENGTH - 1) + "…";
}
