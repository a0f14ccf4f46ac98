// Generators of envelopes for the checks of envelope.md: valid ones of types
// no reader knows, and invalid ones that say where their defects are.

import fc from "fast-check";
import { RESERVED_NAMESPACES } from "../../../src/protocol/envelope.ts";
import type { CheckContext } from "../../check.ts";

type Json = unknown;
type Envelope = Record<string, Json>;

const ENVELOPE_MEMBERS = ["type", "id", "time", "runId", "meta"];

const segment = fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/);

/** A type name outside the reserved namespaces: no server can know it. */
export const unknownTypeArb: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(
    fc.constantFrom("com", "org", "dev", "io"),
    segment,
    fc.array(segment, { minLength: 1, maxLength: 2 }),
  )
    .map(([tld, domain, rest]) => [tld, domain, ...rest].join(".")),
  fc.tuple(
    segment.filter((s) => !RESERVED_NAMESPACES.includes(s)),
    fc.array(segment, { minLength: 1, maxLength: 2 }),
  )
    .map(([namespace, rest]) => [namespace, ...rest].join(".")),
);

const smallJson: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 2 }).filter((value) =>
  JSON.stringify(value).length <= 200
);

const timeArb = fc.date({
  min: new Date("2000-01-01T00:00:00Z"),
  max: new Date("2099-12-31T23:59:59Z"),
  noInvalidDate: true,
}).map((date) => date.toISOString());

/**
 * A valid envelope of an unknown type, with optional envelope members and
 * members no version defines, in a random order after `type`.
 */
export const unknownEnvelopeArb: fc.Arbitrary<Envelope> = fc.record({
  type: unknownTypeArb,
  known: fc.record({
    id: fc.string({ minLength: 1, maxLength: 12 }),
    time: timeArb,
    runId: fc.string({ minLength: 1, maxLength: 12 }),
    meta: fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), smallJson, { maxKeys: 3 }),
  }, { requiredKeys: [] }),
  unknown: fc.dictionary(
    fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,8}$/).filter((name) =>
      !ENVELOPE_MEMBERS.includes(name)
    ),
    smallJson,
    { maxKeys: 4 },
  ),
}).map(({ type, known, unknown }) => ({ type, ...unknown, ...known }));

/** An invalid message and the JSON Pointers (relative to it) at which its defects sit. */
export interface BadMessage {
  /** The message. */
  readonly message: Json;
  /** A violation reported at one of these pointers, or below one, locates a defect. */
  readonly pointers: readonly string[];
}

const defects: readonly fc.Arbitrary<(e: Envelope) => BadMessage>[] = [
  fc.constant((e: Envelope) => {
    const { type: _, ...rest } = e;
    return { message: rest, pointers: ["/type", ""] };
  }),
  fc.constantFrom<Json>(5, null, true, {}, ["a.b"]).map((type) => (e: Envelope) => ({
    message: { ...e, type },
    pointers: ["/type"],
  })),
  fc.constantFrom(
    "Run.started",
    "run",
    "run.",
    ".run",
    "a..b",
    "text.Delta",
    "1a.b",
    "a b.c",
    "ab",
    "a.b!",
    "é.b",
    "a.".padEnd(130, "b"),
  ).map((type) => (e: Envelope) => ({ message: { ...e, type }, pointers: ["/type"] })),
  member("id", ["", "x".repeat(257), 5, null, {}]),
  member("time", [
    "2024-01-01t00:00:00z",
    "yesterday",
    5,
    "2024-13-01T00:00:00Z",
    "2024-01-01T00:00:00",
    "",
  ]),
  member("runId", ["", "r".repeat(257), [], false]),
  member("meta", [[], "x", 5, null, true]),
];

function member(name: string, values: readonly Json[]): fc.Arbitrary<(e: Envelope) => BadMessage> {
  return fc.constantFrom(...values).map((value) => (e: Envelope) => ({
    message: { ...e, [name]: value },
    pointers: [`/${name}`],
  }));
}

/** A message that is not an envelope: an object with one or two defects, or no object at all. */
export function badMessageArb(options: { inBatch: boolean }): fc.Arbitrary<BadMessage> {
  const notObject = fc.constantFrom<Json>(
    5,
    "text.delta",
    null,
    true,
    ...(options.inBatch ? [[{ type: "com.example.nested" }]] : []),
  ).map((message) => ({ message, pointers: [""] }));
  const defective = fc.tuple(
    unknownEnvelopeArb,
    fc.oneof(...defects),
    fc.option(fc.oneof(...defects), { nil: undefined }),
  )
    .map(([envelope, first, second]) => {
      const a = first(envelope);
      if (!second || typeof a.message !== "object" || a.message === null) return a;
      const b = second(a.message as Envelope);
      return { message: b.message, pointers: [...a.pointers, ...b.pointers] };
    });
  return fc.oneof({ weight: 1, arbitrary: notObject }, { weight: 4, arbitrary: defective });
}

/** One item of an append body: a valid envelope, or an invalid message. */
export type BodyItem =
  | { readonly valid: true; readonly message: Envelope }
  | ({ readonly valid: false } & BadMessage);

/** An append body with at least one invalid message: a batch, or one message on its own. */
export const badBodyArb: fc.Arbitrary<
  { readonly batch: boolean; readonly items: readonly BodyItem[] }
> = fc
  .oneof(
    fc.array(
      fc.oneof(
        unknownEnvelopeArb.map((message): BodyItem => ({ valid: true, message })),
        badMessageArb({ inBatch: true }).map((bad): BodyItem => ({ valid: false, ...bad })),
      ),
      { minLength: 1, maxLength: 5 },
    ).filter((items) => items.some((item) => !item.valid)).map((items) => ({ batch: true, items })),
    badMessageArb({ inBatch: false }).map((bad) => ({
      batch: false,
      items: [{ valid: false as const, ...bad }],
    })),
  );

/** The JSON text of an append body made of `items`. */
export function bodyText(body: { batch: boolean; items: readonly BodyItem[] }): string {
  const messages = body.items.map((item) => item.message);
  return JSON.stringify(body.batch ? messages : messages[0]);
}

/**
 * Checks the `errors` of an `invalid-envelope` problem: an entry for each
 * invalid message, each entry a string `message` and a `path` that points
 * at a defect. Fails with `requirement`.
 */
export function expectPointers(
  t: CheckContext,
  requirement: string,
  problem: unknown,
  body: { batch: boolean; items: readonly BodyItem[] },
): void {
  const errors = (problem as { errors?: unknown } | undefined)?.errors;
  t.expect(
    requirement,
    Array.isArray(errors) && errors.length > 0,
    `errors is ${JSON.stringify(errors)}`,
  );
  const entries = errors as { path?: unknown; message?: unknown }[];
  const defects = body.items.flatMap((item, index) =>
    item.valid ? [] : [item.pointers.map((p) => (body.batch ? `/${index}` : "") + p)]
  );
  for (const entry of entries) {
    t.expect(
      requirement,
      typeof entry?.message === "string",
      `an entry without a message: ${JSON.stringify(entry)}`,
    );
    const path = entry?.path;
    t.expect(
      requirement,
      typeof path === "string" &&
        defects.some((ps) => ps.some((p) => path === p || path.startsWith(`${p}/`))),
      `an entry's path ${JSON.stringify(path)} points at no defect; the defects are at ${
        JSON.stringify(defects)
      }`,
    );
  }
  for (const pointers of defects) {
    t.expect(
      requirement,
      entries.some((entry) =>
        typeof entry?.path === "string" &&
        pointers.some((p) => entry.path === p || (entry.path as string).startsWith(`${p}/`))
      ),
      `no entry points at the defect at ${pointers.join(" or ")}: ${JSON.stringify(errors)}`,
    );
  }
}

/**
 * Creates a stream of `kind` for a check and returns its request path; a
 * refusal is an error of the setup, not a finding.
 */
export async function freshStream(
  t: CheckContext,
  kind: "agent" | "json",
  path: string = t.stream(kind),
): Promise<string> {
  const url = t.streamUrl(path);
  const reply = await t.http.request("PUT", url, {
    headers: { "Content-Type": "application/json", "Agent-Stream-Kind": kind },
  });
  if (reply.status !== 201) throw new Error(`setup: creating ${url} answered ${reply.status}`);
  return url;
}

/** The stream's messages, read from the start (as JSON text of the array, member order kept). */
export async function readAll(t: CheckContext, url: string): Promise<string> {
  const reply = await t.http.request("GET", `${url}?offset=-1`);
  if (reply.status !== 200) throw new Error(`setup: reading ${url} answered ${reply.status}`);
  return JSON.stringify(reply.json);
}
