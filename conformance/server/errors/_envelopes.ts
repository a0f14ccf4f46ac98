// Valid and invalid envelopes (envelope.md §1), and the JSON Pointer tests
// of an `invalid-envelope` problem (errors.md §3.1).

import fc from "fast-check";
import type { CheckContext } from "../../check.ts";
import { show } from "./_problems.ts";

/** A message that breaks the envelope schema, and the member it breaks (`""`: the whole value). */
export interface InvalidEnvelope {
  readonly value: unknown;
  readonly member: string;
}

const VALID_TYPES = ["com.example.note", "text.delta", "org.acme.deploy.started", "run.started"];

/** Envelopes valid against the schema, of random known and unknown types. */
export function fcValidEnvelope(): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      type: fc.constantFrom(...VALID_TYPES),
      id: fc.nat().map((n) => `evt_${n}`),
      runId: fc.nat(99).map((n) => `run_${n}`),
      note: fc.string({ maxLength: 8 }),
    },
    { requiredKeys: ["type"] },
  );
}

/** Messages that are not envelopes, each with the member at fault. */
export function fcInvalidEnvelope(): fc.Arbitrary<InvalidEnvelope> {
  const broken = (member: string, values: fc.Arbitrary<unknown>) =>
    fc.tuple(fcValidEnvelope(), values).map(([valid, bad]): InvalidEnvelope => ({
      value: { ...valid, [member]: bad },
      member,
    }));
  return fc.oneof(
    fc.constantFrom<unknown>(1, "text.delta", null, true, [], [{ type: "text.delta" }])
      .map((value): InvalidEnvelope => ({ value, member: "" })),
    fcValidEnvelope().map(({ type: _type, ...rest }): InvalidEnvelope => ({
      value: rest,
      member: "type",
    })),
    broken(
      "type",
      fc.constantFrom<unknown>(
        "Text.delta",
        "text",
        "text..delta",
        "1a.b",
        ".a",
        "a.",
        "",
        7,
        null,
        "a.b c",
      ),
    ),
    broken("id", fc.constantFrom<unknown>("", 5, "x".repeat(257), null)),
    broken("runId", fc.constantFrom<unknown>("", false, "r".repeat(257))),
    broken(
      "time",
      fc.constantFrom<unknown>("yesterday", "2024-01-01t00:00:00z", "2024-13-01T00:00:00Z", 0),
    ),
    broken("meta", fc.constantFrom<unknown>("m", 3, [1], null)),
  );
}

/** A batch of envelopes with at least one invalid among them, and the indexes of the invalid ones. */
export function fcEnvelopeBatch(): fc.Arbitrary<{ messages: unknown[]; invalid: number[] }> {
  return fc.array(
    fc.oneof(
      fcValidEnvelope().map((value) => ({ value, bad: false })),
      fcInvalidEnvelope().map(({ value }) => ({ value, bad: true })),
    ),
    { minLength: 1, maxLength: 5 },
  ).filter((items) => items.some((item) => item.bad)).map((items) => ({
    messages: items.map((item) => item.value),
    invalid: items.flatMap((item, index) => (item.bad ? [index] : [])),
  }));
}

/** The value a JSON Pointer (RFC 6901) selects in `document`, or `undefined`. */
export function resolvePointer(document: unknown, pointer: string): unknown {
  if (pointer === "") return document;
  if (!pointer.startsWith("/")) return undefined;
  let current: unknown = document;
  for (const raw of pointer.slice(1).split("/")) {
    const token = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      current = current[Number(token)];
    } else if (typeof current === "object" && current !== null) {
      current = Object.hasOwn(current, token)
        ? (current as Record<string, unknown>)[token]
        : undefined;
    } else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** The first reference token of a pointer (`/2/type` → `2`), or `undefined` for `""`. */
export function firstToken(pointer: string): string | undefined {
  if (!pointer.startsWith("/")) return undefined;
  return pointer.slice(1).split("/")[0].replaceAll("~1", "/").replaceAll("~0", "~");
}

/**
 * Whether `pointer` locates a place in `document`: it resolves, or its parent
 * resolves to an object (a missing member, such as `/2/type`).
 */
export function pointerLocates(document: unknown, pointer: string): boolean {
  if (resolvePointer(document, pointer) !== undefined) return true;
  const cut = pointer.lastIndexOf("/");
  if (cut < 0) return false;
  const parent = resolvePointer(document, pointer.slice(0, cut));
  return typeof parent === "object" && parent !== null && !Array.isArray(parent);
}

/**
 * Judges the `errors` of an `invalid-envelope` problem against the body sent:
 * at least one entry per invalid message (ERR-EXT-1); each entry's path a
 * pointer into the body that lands in an invalid message, and every invalid
 * message pointed at (ERR-EXT-2). `invalid` lists the invalid messages'
 * indexes, or is `"whole"` when the body is a single message.
 */
export function judgeEnvelopeErrors(
  t: CheckContext,
  problem: Record<string, unknown> | undefined,
  body: unknown,
  invalid: readonly number[] | "whole",
  where: string,
): void {
  const errors = problem?.errors;
  const needed = invalid === "whole" ? 1 : invalid.length;
  t.expect(
    "ERR-EXT-1",
    Array.isArray(errors) && errors.length >= needed,
    `${where}: ${needed} invalid message(s), but errors is ${show(errors)}`,
  );
  const paths = (errors as { path?: unknown }[]).map((entry) => entry?.path);
  for (const path of paths) {
    t.expect(
      "ERR-EXT-2",
      typeof path === "string" && pointerLocates(body, path),
      `${where}: errors path ${show(path)} locates nothing in the body`,
    );
    if (invalid !== "whole") {
      const token = firstToken(path as string);
      t.expect(
        "ERR-EXT-2",
        token !== undefined && invalid.includes(Number(token)),
        `${where}: errors path ${show(path)} does not point into an invalid message ${
          show(invalid)
        }`,
      );
    }
  }
  if (invalid === "whole") return;
  for (const index of invalid) {
    t.expect(
      "ERR-EXT-2",
      paths.some((path) => typeof path === "string" && firstToken(path) === String(index)),
      `${where}: no errors entry points into message ${index} (paths: ${show(paths)})`,
    );
  }
}
