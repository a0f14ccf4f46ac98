// fast-check arbitraries for the differential schema test: documents valid by
// construction for each schema (boundary lengths, astral characters, optional
// members present or absent, unknown members), and mutations of them.

import fc from "fast-check";
import { anyEvent, EVENT_MEMBER_NAMES, nearMissEvent } from "./_event_arbitraries.ts";

const EMOJI = "\u{1F600}";
const LOWER = [..."abcdefghijklmnopqrstuvwxyz"];
const DIGITS = [..."0123456789"];
const TOKEN_CHARS = [
  ...LOWER,
  ...LOWER.map((c) => c.toUpperCase()),
  ...DIGITS,
  ...".-_:~",
];

type Json = unknown;
type Obj = Record<string, Json>;

/** Code points, as JSON Schema counts string length. */
export function codePoints(text: string): number {
  return [...text].length;
}

/** Any string of `min`..`max` code points, biased towards both bounds. */
export function boundedString(min: number, max: number): fc.Arbitrary<string> {
  const any = fc.string({ unit: "binary", minLength: min, maxLength: max });
  return fc.oneof(
    fc.string({ unit: "grapheme-ascii", minLength: min, maxLength: Math.min(max, min + 8) }),
    fc.string({ unit: "binary", minLength: min, maxLength: Math.min(max, min + 8) }),
    // At the upper bound; "binary" code points are mostly astral, so these
    // strings are up to twice as long in UTF-16 units.
    fc.string({ unit: "binary", minLength: max, maxLength: max }),
    any,
  );
}

/** Adds 0..3 members whose names no schema defines, holding any JSON. */
function withUnknownMembers<T extends Obj>(
  arb: fc.Arbitrary<T>,
): fc.Arbitrary<T> {
  const extras = fc.dictionary(
    fc.string({ minLength: 1, maxLength: 8 }).map((key) => `x-${key}`),
    fc.jsonValue({ maxDepth: 2 }),
    { maxKeys: 3 },
  );
  return fc.tuple(arb, extras).map(([doc, more]) => ({ ...more, ...doc }));
}

/** An object from optional entries: each member present or absent. */
function optionalRecord<T extends Record<string, fc.Arbitrary<unknown>>>(
  model: T,
  required: (keyof T)[],
): fc.Arbitrary<Obj> {
  return fc.record(model, { requiredKeys: required as never }) as fc.Arbitrary<
    Obj
  >;
}

// ---------------------------------------------------------------- common

export const offset: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("0000000000000000", "9999999999999999"),
  fc.maxSafeNat().map((n) => String(n).padStart(16, "0")),
  fc.string({ unit: fc.constantFrom(...DIGITS), minLength: 16, maxLength: 16 }),
);

export const requestOffset: fc.Arbitrary<string> = fc.oneof(
  offset,
  fc.constantFrom("-1", "now"),
);

const pad2 = (n: number) => String(n).padStart(2, "0");
export const timestamp: fc.Arbitrary<string> = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 60 }),
    fraction: fc.option(
      fc.string({ unit: fc.constantFrom(...DIGITS), minLength: 1, maxLength: 9 }),
    ),
    zone: fc.oneof(
      fc.constant("Z"),
      fc.tuple(
        fc.constantFrom("+", "-"),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
      ).map(([sign, h, m]) => `${sign}${pad2(h)}:${pad2(m)}`),
    ),
  })
  .map((t) =>
    `${String(t.year).padStart(4, "0")}-${pad2(t.month)}-${pad2(t.day)}T${pad2(t.hour)}:${
      pad2(t.minute)
    }:${pad2(t.second)}${t.fraction === null ? "" : "." + t.fraction}${t.zone}`
  );

export const token: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 12 }),
  fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 128, maxLength: 128 }),
);

// Characters allowed in a path segment, weighted towards the interesting ones:
// dots, separators that `.` in a regex does not cross, astral and lone
// surrogate code units.
const segmentChar = fc.oneof(
  fc.constantFrom("a", "z", "0", ".", "-", "_", "~", " ", "%", "\u00e9", "\u65e5", EMOJI),
  fc.constantFrom("\u2028", "\u2029", "\u0085", "\u00a0", "\ud800", "\udfff"),
  fc.string({ unit: "binary", minLength: 1, maxLength: 1 }).filter((c) =>
    c > "\u001f" && c !== "\u007f" && c !== "\\" && c !== "/"
  ),
);
const segment = fc
  .string({ unit: segmentChar, minLength: 1, maxLength: 10 })
  .filter((s) => s !== "." && s !== "..");

export const streamPath: fc.Arbitrary<string> = fc.oneof(
  fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => s.join("/")),
  // Exactly 1024 code points: a generated path padded with one character.
  fc.tuple(
    fc.array(segment, { minLength: 1, maxLength: 6 }),
    fc.constantFrom("p", EMOJI, "\u00e9"),
  ).map(([segments, fill]) => {
    const path = segments.join("/");
    return path + fill.repeat(1024 - codePoints(path));
  }),
);

export const nonNegativeInteger: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, Number.MAX_SAFE_INTEGER),
  fc.nat(),
  fc.maxSafeNat(),
);

export const protocolVersion: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("1.0", "1.00"),
  fc.nat({ max: 999 }).map((minor) => `1.${minor}`),
);

const positiveInteger = fc.oneof(
  fc.constant(1),
  fc.integer({ min: 1, max: 2 ** 31 }),
  fc.maxSafeNat().map((n) => n + 1),
);

// -------------------------------------------------------------- envelope

const typeSegment = fc
  .tuple(
    fc.constantFrom(...LOWER),
    fc.string({ unit: fc.constantFrom(...LOWER, ...DIGITS, "_", "-"), maxLength: 8 }),
  )
  .map(([head, tail]) => head + tail);

export const envelopeType: fc.Arbitrary<string> = fc.oneof(
  fc.array(typeSegment, { minLength: 2, maxLength: 5 }).map((s) => s.join(".")),
  fc.constant("a.b"),
  // Exactly 128 characters.
  fc.array(typeSegment, { minLength: 2, maxLength: 5 }).map((s) => {
    const type = s.join(".");
    return type + "x".repeat(128 - type.length);
  }),
);

const jsonObject = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), {
  maxKeys: 4,
});

export const envelope: fc.Arbitrary<Obj> = withUnknownMembers(
  optionalRecord(
    {
      type: envelopeType,
      id: boundedString(1, 256),
      time: timestamp,
      runId: boundedString(1, 256),
      meta: jsonObject,
    },
    ["type"],
  ),
);

export const agentAppend: fc.Arbitrary<Json> = fc.oneof(
  envelope,
  fc.array(envelope, { minLength: 1, maxLength: 4 }),
);

// --------------------------------------------------------------- problem

const jsonPointer = fc
  .array(
    fc.oneof(
      fc.nat({ max: 20 }).map(String),
      fc.string({ unit: "binary", maxLength: 6 }).map((key) =>
        key.replaceAll("~", "~0").replaceAll("/", "~1")
      ),
    ),
    { maxLength: 4 },
  )
  .map((keys) => keys.map((key) => "/" + key).join(""));

const problemType = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...LOWER),
      fc.string({ unit: fc.constantFrom(...LOWER, ...DIGITS, "-"), maxLength: 20 }),
    )
    .map(([a, b]) => `https://agent-stream.dev/problems/${a}${b}`),
  fc.webUrl(),
  fc.constantFrom("about:blank", "urn:example:quota", "tag:acme.com,2025:x"),
);

export const problem: fc.Arbitrary<Obj> = withUnknownMembers(
  optionalRecord(
    {
      type: problemType,
      title: boundedString(1, 40),
      status: fc.integer({ min: 400, max: 599 }),
      detail: fc.string(),
      instance: fc.string(),
      errors: fc.array(
        withUnknownMembers(fc.record({ path: jsonPointer, message: boundedString(1, 30) })),
        { maxLength: 3 },
      ),
      supported: fc.array(fc.string(), { maxLength: 3 }),
      retryAfterMs: nonNegativeInteger,
      offset,
      producerEpoch: nonNegativeInteger,
      expectedSeq: nonNegativeInteger,
      receivedSeq: nonNegativeInteger,
    },
    ["type", "title", "status"],
  ),
);

// ------------------------------------------------------------- discovery

const featureToken = fc.oneof(
  fc.constantFrom(
    "long-poll",
    "sse",
    "websocket",
    "idempotent-producer",
    "stream-seq",
    "ttl",
    "fork",
    "agent",
  ),
  fc
    .tuple(
      fc.constantFrom(...LOWER),
      fc.string({ unit: fc.constantFrom(...LOWER, ...DIGITS, "-"), maxLength: 10 }),
    )
    .map(([a, b]) => a + b),
);

const noSpace = fc.string({ unit: "binary", maxLength: 8 }).filter((s) => !/\s/u.test(s));

export const discovery: fc.Arbitrary<Obj> = withUnknownMembers(
  optionalRecord(
    {
      protocol: fc.constant("agent-stream"),
      versions: fc.uniqueArray(protocolVersion, { minLength: 1, maxLength: 3 }),
      server: withUnknownMembers(fc.record({ name: fc.string(), version: fc.string() })),
      bindings: withUnknownMembers(
        optionalRecord(
          {
            http: withUnknownMembers(
              fc.record({
                streamPrefix: fc.oneof(
                  fc.constantFrom("/", "/v1/stream/"),
                  noSpace.map((s) => `/${s}/`),
                ),
              }),
            ),
            longPoll: withUnknownMembers(optionalRecord({ timeoutMs: positiveInteger }, [])),
            sse: withUnknownMembers(
              optionalRecord({
                heartbeatMs: positiveInteger,
                rotationMs: positiveInteger,
                retryMs: nonNegativeInteger,
              }, []),
            ),
            websocket: withUnknownMembers(
              optionalRecord({
                path: noSpace.map((s) => `/${s}`),
                subprotocols: fc.array(fc.string(), { minLength: 1, maxLength: 3 }),
                heartbeatMs: positiveInteger,
                maxSubscriptions: positiveInteger,
              }, []),
            ),
          },
          ["http"],
        ),
      ),
      limits: withUnknownMembers(
        optionalRecord(
          {
            maxMessageBytes: positiveInteger,
            maxBodyBytes: positiveInteger,
            maxReadMessages: positiveInteger,
            maxStreamPathBytes: positiveInteger,
            maxStreams: positiveInteger,
            maxSubscribersPerStream: positiveInteger,
            maxSubscribers: positiveInteger,
            maxWsFrameBytes: positiveInteger,
            subscriberBufferMessages: positiveInteger,
          },
          ["maxMessageBytes", "maxBodyBytes", "maxReadMessages", "maxStreamPathBytes"],
        ),
      ),
      features: fc.uniqueArray(featureToken, { maxLength: 5 }),
      contentTypes: fc
        .tuple(fc.array(fc.string(), { maxLength: 2 }), fc.nat())
        .map(([others, at]) => {
          const types = [...others];
          types.splice(at % (types.length + 1), 0, "application/json");
          return types;
        }),
    },
    ["protocol", "versions", "bindings", "limits", "features"],
  ),
);

// ----------------------------------------------------------- sse-control

export const sseControl: fc.Arbitrary<Obj> = withUnknownMembers(
  fc.oneof(
    optionalRecord(
      {
        streamNextOffset: offset,
        streamCursor: fc.string(),
        upToDate: fc.boolean(),
        streamClosed: fc.boolean(),
      },
      ["streamNextOffset", "streamCursor"],
    ),
    optionalRecord(
      {
        streamNextOffset: offset,
        streamCursor: fc.string(),
        upToDate: fc.boolean(),
        streamClosed: fc.constant(true),
      },
      ["streamNextOffset", "streamClosed"],
    ),
  ),
);

// ---------------------------------------------------------------- frames

const nonce = { nonce: fc.string() };
const ping = optionalRecord({ type: fc.constant("ping"), ...nonce }, ["type"]);
const pong = optionalRecord({ type: fc.constant("pong"), ...nonce }, ["type"]);

// A type no version-1.0 frame uses: receivers ignore it, the schemas accept it.
function unknownFrame(known: readonly string[]): fc.Arbitrary<Obj> {
  return fc
    .record({
      type: fc.oneof(fc.string(), fc.constantFrom("Hello", "data ", "resume")),
      payload: fc.jsonValue({ maxDepth: 2 }),
    })
    .filter((frame) => !known.includes(frame.type as string));
}

const CLIENT_TYPES = ["hello", "subscribe", "unsubscribe", "ack", "append", "ping", "pong"];
const SERVER_TYPES = [
  "welcome",
  "subscribed",
  "data",
  "appended",
  "unsubscribed",
  "error",
  "ping",
  "pong",
  "goodbye",
];

const messages = fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 4 });

export const wsClientFrame: fc.Arbitrary<Obj> = withUnknownMembers(
  fc.oneof(
    optionalRecord({
      type: fc.constant("hello"),
      version: protocolVersion,
      client: withUnknownMembers(optionalRecord({ name: fc.string(), version: fc.string() }, [])),
    }, ["type", "version"]),
    optionalRecord({
      type: fc.constant("subscribe"),
      sub: token,
      path: streamPath,
      offset: requestOffset,
      window: positiveInteger,
    }, ["type", "sub", "path"]),
    fc.record({ type: fc.constant("unsubscribe"), sub: token }),
    fc.record({ type: fc.constant("ack"), sub: token, offset }),
    fc.oneof(
      optionalRecord({
        type: fc.constant("append"),
        req: token,
        path: streamPath,
        messages,
        close: fc.boolean(),
        producer: withUnknownMembers(
          fc.record({
            id: boundedString(1, 256),
            epoch: nonNegativeInteger,
            seq: nonNegativeInteger,
          }),
        ),
        streamSeq: boundedString(1, 20),
      }, ["type", "req", "path", "messages"]),
      optionalRecord({
        type: fc.constant("append"),
        req: token,
        path: streamPath,
        close: fc.constant(true),
      }, ["type", "req", "path", "close"]),
    ),
    ping,
    pong,
    unknownFrame(CLIENT_TYPES),
  ),
);

export const wsServerFrame: fc.Arbitrary<Obj> = withUnknownMembers(
  fc.oneof(
    optionalRecord({
      type: fc.constant("welcome"),
      version: protocolVersion,
      session: token,
      heartbeatMs: positiveInteger,
      limits: jsonObject,
    }, ["type", "version", "session", "heartbeatMs"]),
    optionalRecord({
      type: fc.constant("subscribed"),
      sub: token,
      path: streamPath,
      offset,
      kind: fc.constantFrom("json", "agent"),
    }, ["type", "sub", "path", "offset"]),
    optionalRecord({
      type: fc.constant("data"),
      sub: token,
      messages,
      nextOffset: offset,
      upToDate: fc.boolean(),
      closed: fc.boolean(),
    }, ["type", "sub", "messages", "nextOffset"]),
    fc.tuple(
      optionalRecord({
        type: fc.constant("data"),
        sub: token,
        messages: fc.constant([]),
        nextOffset: offset,
        upToDate: fc.boolean(),
        closed: fc.boolean(),
      }, ["type", "sub", "messages", "nextOffset"]),
      fc.constantFrom("upToDate", "closed"),
    ).map(([frame, flag]) => ({ ...frame, [flag]: true })),
    optionalRecord({
      type: fc.constant("appended"),
      req: token,
      nextOffset: offset,
      duplicate: fc.boolean(),
      closed: fc.boolean(),
      producer: withUnknownMembers(
        fc.record({ epoch: nonNegativeInteger, seq: nonNegativeInteger }),
      ),
    }, ["type", "req", "nextOffset"]),
    optionalRecord({
      type: fc.constant("unsubscribed"),
      sub: token,
      reason: fc.constantFrom("client", "closed", "deleted"),
    }, ["type", "sub"]),
    optionalRecord({
      type: fc.constant("error"),
      req: token,
      sub: token,
      problem,
      resumeOffset: offset,
    }, ["type", "problem"]),
    ping,
    pong,
    optionalRecord({
      type: fc.constant("goodbye"),
      reconnect: fc.boolean(),
      retryAfterMs: nonNegativeInteger,
      problem,
    }, ["type", "reconnect"]),
    unknownFrame(SERVER_TYPES),
  ),
);

/** Valid-by-construction documents per target name (see TARGETS). */
export const VALID: Readonly<Record<string, fc.Arbitrary<Json>>> = {
  "envelope": envelope,
  "agent-append": agentAppend,
  "problem": problem,
  "discovery": discovery,
  "sse-control": sseControl,
  "ws-client-frame": wsClientFrame,
  "ws-server-frame": wsServerFrame,
  "events": anyEvent,
  "common/offset": offset,
  "common/requestOffset": requestOffset,
  "common/timestamp": timestamp,
  "common/token": token,
  "common/streamPath": streamPath,
  "common/nonNegativeInteger": nonNegativeInteger,
  "common/protocolVersion": protocolVersion,
};

// ------------------------------------------------------------- mutations

// Member names the schemas define: adding one with an odd value is the
// likeliest way to hit a conditional or a type check.
export const KNOWN_MEMBERS: readonly string[] = [
  ..."type id time runId meta title status detail instance errors path message supported"
    .split(" "),
  ..."retryAfterMs offset protocol versions server bindings limits features contentTypes"
    .split(" "),
  ..."streamNextOffset streamCursor upToDate streamClosed version client sub window req"
    .split(" "),
  ..."messages close producer streamSeq nonce session heartbeatMs kind nextOffset closed"
    .split(" "),
  ..."duplicate reason problem resumeOffset reconnect epoch seq http streamPrefix".split(" "),
  ..."producerEpoch expectedSeq receivedSeq".split(" "),
  ...EVENT_MEMBER_NAMES,
];

const INTERESTING: readonly Json[] = [
  null,
  true,
  false,
  0,
  -0,
  1,
  -1,
  1.5,
  399,
  400,
  599,
  600,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 1,
  1e21,
  "",
  "-1",
  "now",
  "0000000000000000",
  "000000000000001",
  "00000000000000001",
  "1.0",
  "2.0",
  "a",
  "a.b",
  "A.b",
  "/",
  "a//b",
  "..",
  "a b",
  "\u2028",
  EMOJI,
  "application/json",
  "https://agent-stream.dev/problems/x",
  "agent-stream",
  "hello",
  "append",
  "data",
  "ping",
  [],
  [1],
  [{}],
  [[]],
  {},
  { type: "run.started" },
  "assistant",
  "move",
  "/a",
  "~",
  "x".repeat(256),
  "\u{1F600}".repeat(256),
];

// Characters that sit on the edge of some pattern.
const EDGE_CHARS: readonly string[] = [
  "a",
  "Z",
  "0",
  ".",
  "-",
  "_",
  "/",
  "~",
  ":",
  " ",
  "\n",
  "\u0000",
  "\u001f",
  "\u007f",
  "\\",
  "\u2028",
  "\u00e9",
  EMOJI,
  "\ud800",
  "T",
  "t",
  "Z",
  "z",
  "+",
];

/** One random edit; the numbers pick where and how, so they shrink well. */
export interface Mutation {
  where: number;
  op: number;
  at: number;
  key: string;
  value: Json;
  char: string;
}

export const mutation: fc.Arbitrary<Mutation> = fc.record({
  where: fc.nat(),
  op: fc.nat(),
  at: fc.nat(),
  key: fc.oneof(fc.constantFrom(...KNOWN_MEMBERS), fc.string({ maxLength: 4 })),
  value: fc.oneof(fc.constantFrom(...INTERESTING), fc.jsonValue({ maxDepth: 2 })),
  char: fc.constantFrom(...EDGE_CHARS),
});

type Path = (string | number)[];

function locations(doc: Json, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(doc)) {
    doc.forEach((item, i) => locations(item, [...path, i], out));
  } else if (doc !== null && typeof doc === "object") {
    for (const [key, value] of Object.entries(doc)) {
      locations(value, [...path, key], out);
    }
  }
  return out;
}

function get(doc: Json, path: Path): Json {
  return path.reduce<Json>((node, key) => (node as Obj)[key as string], doc);
}

function set(doc: Json, path: Path, value: Json): Json {
  if (path.length === 0) return value;
  const parent = get(doc, path.slice(0, -1)) as Obj;
  parent[path[path.length - 1] as string] = value;
  return doc;
}

function remove(doc: Json, path: Path): Json {
  if (path.length === 0) return undefined;
  const parent = get(doc, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete (parent as Obj)[key as string];
  return doc;
}

function editString(text: string, m: Mutation): string {
  const units = [...text];
  const i = units.length === 0 ? 0 : m.at % (units.length + 1);
  switch (m.op % 8) {
    case 0:
      return text + m.char;
    case 1:
      return m.char + text;
    case 2:
      return units.slice(0, -1).join("");
    case 3:
      return units.slice(1).join("");
    case 4:
      return [...units.slice(0, i), m.char, ...units.slice(i)].join("");
    case 5:
      return [...units.slice(0, i), m.char, ...units.slice(i + 1)].join("");
    case 6:
      return text.toUpperCase();
    default:
      return text + text;
  }
}

function editNumber(n: number, m: Mutation): number {
  return [n + 1, n - 1, -n, n + 0.5, -0, n * 1e6, 0, n / 2][m.op % 8];
}

function editArray(items: Json[], m: Mutation): Json[] {
  switch (m.op % 5) {
    case 0:
      return [...items, m.value];
    case 1:
      return items.slice(0, -1);
    case 2:
      return [];
    case 3:
      return items.length === 0 ? [m.value] : [...items, items[m.at % items.length]];
    default:
      return items.map((item, i) => (i === m.at % items.length ? [item] : item));
  }
}

/** Applies one mutation to a (cloned) document. */
export function mutate(doc: Json, m: Mutation): Json {
  const places = locations(doc);
  const path = places[m.where % places.length];
  const node = get(doc, path);
  // Generic edits apply anywhere; the type-specific ones only where they fit.
  switch (m.op % 6) {
    case 0:
      return path.length === 0 ? m.value : remove(doc, path);
    case 1:
      return set(doc, path, m.value);
    case 2:
      return set(doc, path, [node]);
    default:
      break;
  }
  if (typeof node === "string") return set(doc, path, editString(node, m));
  if (typeof node === "number") return set(doc, path, editNumber(node, m));
  if (typeof node === "boolean") return set(doc, path, !node);
  if (Array.isArray(node)) return set(doc, path, editArray(node, m));
  if (node !== null && typeof node === "object") {
    (node as Obj)[m.key] = m.op % 2 === 0 ? m.value : m.op % 4 === 1;
    return doc;
  }
  return set(doc, path, m.value);
}

/** A valid document with 1 to 3 mutations applied. */
export function mutated(valid: fc.Arbitrary<Json>): fc.Arbitrary<Json> {
  return fc
    .tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([doc, steps]) =>
      steps.reduce<Json>((current, step) => {
        const next = mutate(structuredClone(current), step);
        // Removing the root leaves nothing to validate; keep the prior doc.
        return next === undefined ? current : next;
      }, doc)
    );
}

// Documents on both sides of a conditional or a bound, built directly
// because random mutations reach them too rarely. Their validity is not
// known in advance; only agreement is checked.
export const NEAR_MISS: Readonly<Record<string, fc.Arbitrary<Json>>> = {
  "events": nearMissEvent,
  "envelope": fc.record({
    type: fc.string({ unit: fc.constantFrom("a", "B", "0", "_", "-", "."), maxLength: 8 }),
  }),
  "sse-control": optionalRecord({
    streamNextOffset: offset,
    streamCursor: fc.string({ maxLength: 3 }),
    upToDate: fc.boolean(),
    streamClosed: fc.boolean(),
  }, ["streamNextOffset"]),
  "ws-client-frame": optionalRecord({
    type: fc.constant("append"),
    req: token,
    path: streamPath,
    messages: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }),
    close: fc.boolean(),
  }, ["type", "req", "path"]),
  "ws-server-frame": optionalRecord({
    type: fc.constant("data"),
    sub: token,
    messages: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 1 }),
    nextOffset: offset,
    upToDate: fc.boolean(),
    closed: fc.boolean(),
  }, ["type", "sub", "messages", "nextOffset"]),
  "discovery": fc.record({
    protocol: fc.constant("agent-stream"),
    versions: fc.array(fc.constantFrom("1.0", "1.1", "2.0"), { maxLength: 3 }),
    bindings: fc.constant({ http: { streamPrefix: "/v1/stream/" } }),
    limits: fc.record({
      maxMessageBytes: fc.integer({ min: -1, max: 2 }),
      maxBodyBytes: fc.constant(1),
      maxReadMessages: fc.constant(1),
      maxStreamPathBytes: fc.constant(1),
    }),
    features: fc.array(fc.constantFrom("sse", "ttl", "Fork", "x-y"), { maxLength: 3 }),
    contentTypes: fc.array(fc.constantFrom("application/json", "text/plain"), { maxLength: 2 }),
  }),
  "problem": fc.record({
    type: fc.constantFrom("https://agent-stream.dev/problems/x", "x", "a b:c", "1:x", "a:"),
    title: fc.string({ maxLength: 1 }),
    status: fc.integer({ min: 398, max: 601 }),
  }),
  "common/offset": fc.string({ unit: fc.constantFrom(...DIGITS), minLength: 14, maxLength: 18 }),
  "common/streamPath": fc
    .tuple(
      fc.constantFrom("", "/"),
      fc.array(fc.oneof(segment, fc.constantFrom(".", "..", "", "\u2028", "a\u2029")), {
        minLength: 1,
        maxLength: 5,
      }),
      fc.constantFrom("", "/"),
    )
    .map(([head, segments, tail]) => head + segments.join("/") + tail),
};

/** What the differential property validates, tagged with where it came from. */
export interface Sample {
  origin: "valid" | "mutant" | "near-miss" | "random";
  doc: Json;
}

/** Mostly mutants, some valid documents, near misses, and arbitrary JSON. */
export function samples(name: string): fc.Arbitrary<Sample> {
  const valid = VALID[name];
  const nearMiss = NEAR_MISS[name] ?? mutated(valid);
  return fc.oneof(
    { weight: 2, arbitrary: valid.map((doc): Sample => ({ origin: "valid", doc })) },
    { weight: 5, arbitrary: mutated(valid).map((doc): Sample => ({ origin: "mutant", doc })) },
    { weight: 1, arbitrary: nearMiss.map((doc): Sample => ({ origin: "near-miss", doc })) },
    {
      weight: 1,
      arbitrary: fc.jsonValue().map((doc): Sample => ({ origin: "random", doc })),
    },
  );
}
