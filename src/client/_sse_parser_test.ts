import fc from "fast-check";
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type SseItem, sseItems, SseParser } from "./_sse_parser.ts";

const encoder = new TextEncoder();

function parseChunks(chunks: Uint8Array[]): SseItem[] {
  const parser = new SseParser();
  const out: SseItem[] = [];
  for (const chunk of chunks) parser.feed(chunk, out);
  parser.end(out);
  return out;
}

function parseText(text: string): SseItem[] {
  return parseChunks([encoder.encode(text)]);
}

function events(items: SseItem[]): { event: string; data: string; id: string }[] {
  return items.flatMap((item) =>
    item.kind === "event" ? [{ event: item.event, data: item.data, id: item.lastEventId }] : []
  );
}

describe("SseParser: the HTML standard's examples and edge cases", () => {
  test("a plain data event is a 'message' event", () => {
    assert.deepEqual(events(parseText("data: hello\n\n")), [
      { event: "message", data: "hello", id: "" },
    ]);
  });

  test("multi-line data is joined with LF, one leading space stripped per line", () => {
    assert.deepEqual(events(parseText("data:first\ndata:  second\ndata\n\n")), [
      { event: "message", data: "first\n second\n", id: "" },
    ]);
  });

  test("CR, LF and CRLF all end lines, also mixed", () => {
    const text = "event: a\rdata: 1\r\n\r" + "event: b\ndata: 2\r\n\n" + "data: 3\r\r";
    assert.deepEqual(events(parseText(text)), [
      { event: "a", data: "1", id: "" },
      { event: "b", data: "2", id: "" },
      { event: "message", data: "3", id: "" },
    ]);
  });

  test("a CR at the end of a chunk and an LF at the start of the next are one line end", () => {
    const items = parseChunks([encoder.encode("data: x\r"), encoder.encode("\ndata: y\r\n\r\n")]);
    assert.deepEqual(events(items), [{ event: "message", data: "x\ny", id: "" }]);
  });

  test("an event without a closing blank line is discarded at the end of the stream", () => {
    assert.deepEqual(events(parseText("data: kept\n\ndata: lost\n")), [
      { event: "message", data: "kept", id: "" },
    ]);
    assert.deepEqual(events(parseText("data: kept\n\ndata: lost")), [
      { event: "message", data: "kept", id: "" },
    ]);
  });

  test("the last event ID persists across events; an id with NUL is ignored", () => {
    const text = "id: 7\ndata: a\n\ndata: b\n\nid: x\0y\ndata: c\n\nid\ndata: d\n\n";
    assert.deepEqual(events(parseText(text)), [
      { event: "message", data: "a", id: "7" },
      { event: "message", data: "b", id: "7" },
      { event: "message", data: "c", id: "7" },
      { event: "message", data: "d", id: "" },
    ]);
  });

  test("an id-only block dispatches nothing but sets the last event ID", () => {
    assert.deepEqual(events(parseText("id: 5\n\ndata: z\n\n")), [
      { event: "message", data: "z", id: "5" },
    ]);
  });

  test("an event type without data is reset by the blank line", () => {
    assert.deepEqual(events(parseText("event: control\n\ndata: z\n\n")), [
      { event: "message", data: "z", id: "" },
    ]);
  });

  test("retry takes only ASCII digits; comments are reported; unknown fields ignored", () => {
    const items = parseText("retry: 2000\nretry: 1e3\nretry:\n: keep-alive\nfoo: bar\ndata: x\n\n");
    assert.deepEqual(items, [
      { kind: "retry", ms: 2000 },
      { kind: "comment", text: " keep-alive" },
      { kind: "event", event: "message", data: "x", lastEventId: "", hasId: false },
    ]);
  });

  test("one leading BOM is stripped, a second one is not", () => {
    const bom = "\uFEFF";
    assert.deepEqual(events(parseText(`${bom}data: a\n\n`)), [
      { event: "message", data: "a", id: "" },
    ]);
    // The second BOM makes the field name "\uFEFFdata", an unknown field.
    assert.deepEqual(events(parseText(`${bom}${bom}data: a\n\n`)), []);
  });

  test("field names are case-sensitive", () => {
    assert.deepEqual(events(parseText("Data: a\n\n")), []);
  });

  test("sseItems yields the items of a byte stream, then the error of a dropped one", async () => {
    const good = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(encoder.encode("event: data\nid: 0000000000000001\nda"));
        c.enqueue(encoder.encode("ta: [1]\n\n"));
        c.close();
      },
    });
    const items: SseItem[] = [];
    for await (const item of sseItems(good)) items.push(item);
    assert.deepEqual(events(items), [{ event: "data", data: "[1]", id: "0000000000000001" }]);

    let pulls = 0;
    const broken = new ReadableStream<Uint8Array>({
      pull(c) {
        if (pulls++ === 0) c.enqueue(encoder.encode("data: a\n\n"));
        else c.error(new TypeError("connection reset"));
      },
    });
    const seen: SseItem[] = [];
    await assert.rejects(async () => {
      for await (const item of sseItems(broken)) seen.push(item);
    }, /connection reset/);
    assert.equal(events(seen).length, 1);
  });
});

// --- Property: random event sequences, serialised with random line endings,
// split at random byte boundaries, parse to exactly what was serialised.

interface GenEvent {
  readonly comment?: string;
  readonly retry?: number;
  readonly event?: string;
  readonly data: string[];
  readonly id?: string;
  readonly unknownField: boolean;
}

const lineText = fc.string({ unit: "grapheme", maxLength: 12 }).map((s) =>
  s.replace(/[\r\n]/g, "")
);
const genEvent: fc.Arbitrary<GenEvent> = fc.record({
  comment: fc.option(lineText, { nil: undefined }),
  retry: fc.option(fc.nat(100_000), { nil: undefined }),
  event: fc.option(lineText, { nil: undefined }),
  data: fc.array(lineText, { maxLength: 4 }),
  id: fc.option(lineText.map((s) => s.replace(/\0/g, "")), { nil: undefined }),
  unknownField: fc.boolean(),
});
const terminators = ["\n", "\r", "\r\n"] as const;

function field(name: string, value: string, style: number): string {
  if (value === "" && style === 0) return name;
  // Without the space, a value that starts with a space would lose it.
  if (style === 1 && !value.startsWith(" ")) return `${name}:${value}`;
  return `${name}: ${value}`;
}

function serialise(
  gen: GenEvent[],
  endings: number[],
  styles: number[],
  bom: boolean,
): { text: string; expected: SseItem[] } {
  let text = bom ? "\uFEFF" : "";
  let k = 0;
  let previous = "";
  const line = (content: string): void => {
    let end = terminators[endings[k++ % endings.length]];
    // "\r" then an empty line ended by "\n" would read as one CRLF.
    if (previous === "\r" && content === "" && end === "\n") end = "\r\n";
    text += content + end;
    previous = end;
  };
  const expected: SseItem[] = [];
  let lastId = "";
  for (const e of gen) {
    const style = styles[k % styles.length];
    if (e.comment !== undefined) {
      line(`:${e.comment}`);
      expected.push({ kind: "comment", text: e.comment });
    }
    if (e.retry !== undefined) {
      line(`retry: ${e.retry}`);
      expected.push({ kind: "retry", ms: e.retry });
    }
    if (e.event !== undefined) line(field("event", e.event, style));
    for (const d of e.data) line(field("data", d, style));
    if (e.unknownField) line("x-later: ignored");
    if (e.id !== undefined) {
      line(field("id", e.id, style));
      lastId = e.id;
    }
    line("");
    if (e.data.length > 0) {
      expected.push({
        kind: "event",
        event: e.event === undefined || e.event === "" ? "message" : e.event,
        data: e.data.join("\n"),
        lastEventId: lastId,
        hasId: e.id !== undefined,
      });
    }
  }
  return { text, expected };
}

function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

test("SseParser: random events split at random byte boundaries parse identically", () => {
  fc.assert(
    fc.property(
      fc.array(genEvent, { maxLength: 8 }),
      fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 16 }),
      fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 4 }),
      fc.boolean(),
      fc.array(fc.nat(), { maxLength: 24 }),
      (gen, endings, styles, bom, cuts) => {
        const { text, expected } = serialise(gen, endings, styles, bom);
        const bytes = encoder.encode(text);
        assert.deepEqual(parseChunks([bytes]), expected);
        assert.deepEqual(parseChunks(split(bytes, cuts)), expected);
        // One byte at a time is the harshest split of all.
        assert.deepEqual(parseChunks(split(bytes, [...bytes.keys()])), expected);
      },
    ),
    { numRuns: 300 },
  );
});
