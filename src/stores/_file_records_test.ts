import fc from "fast-check";
import assert from "node:assert/strict";
import process from "node:process";
import { describe, it } from "node:test";
import {
  commitLine,
  crc32,
  CRC_INIT,
  entryData,
  entryLine,
  parseCommitLine,
  parseEntryPrefix,
} from "./_file_records.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const params = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns: Number(process.env.FC_NUM_RUNS ?? numRuns),
  ...(seed !== undefined ? { seed } : {}),
});

function joined(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const anyData = fc.oneof(
  fc.json().map((s) => encoder.encode(s)),
  fc.string({ unit: "binary" }).map((s) => encoder.encode(s)),
  fc.uint8Array({ maxLength: 64 }),
  fc.constantFrom("{\n}", " 1 ", "\ufeff1", "", "1\r", "\u2028").map((s) => encoder.encode(s)),
);

describe("stream file records", () => {
  it("give back every entry's bytes exactly, on one line of JSON", () => {
    fc.assert(
      fc.property(anyData, fc.nat(), fc.boolean(), (data, offset, json) => {
        const line = joined(entryLine({ offset, data }, json));
        assert.equal(line.indexOf(0x0a), line.length - 1, "one line");
        const parsed = JSON.parse(decoder.decode(line));
        assert.equal(parsed.o, offset);
        const entry = parseEntryPrefix(line);
        assert.ok(entry);
        assert.equal(entry.offset, offset);
        assert.deepEqual(entryData(line, entry), data);
      }),
      params(2000),
    );
  });

  it("keep a one-line JSON message verbatim, other text as a string, other bytes as base64", () => {
    const line = (text: string | Uint8Array, json = true) =>
      decoder.decode(
        joined(
          entryLine(
            { offset: 3, data: typeof text === "string" ? encoder.encode(text) : text },
            json,
          ),
        ),
      );
    assert.equal(
      line('{"n":1.50,"big":123456789012345678901}'),
      '{"o":3,"m":{"n":1.50,"big":123456789012345678901}}\n',
    );
    assert.equal(line('{\n"a":1}'), '{"o":3,"t":"{\\n\\"a\\":1}"}\n');
    assert.equal(line("not json"), '{"o":3,"t":"not json"}\n');
    assert.equal(line("42", false), '{"o":3,"t":"42"}\n');
    assert.equal(line(new Uint8Array([0xff, 0x00])), '{"o":3,"b":"/wA="}\n');
  });

  it("tell an intact commit line from any change to the bytes it covers", () => {
    fc.assert(
      fc.property(
        fc.array(anyData, { maxLength: 4 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (messages, tail, at, flip) => {
          const lines = messages.map((data, i) => joined(entryLine({ offset: i, data }, true)));
          let crc = CRC_INIT;
          for (const l of lines) crc = crc32(l, crc);
          const commit = commitLine({ commit: "append", tail, close: true }, crc);
          assert.deepEqual(parseCommitLine(commit, crc), { commit: "append", tail, close: true });
          JSON.parse(decoder.decode(commit));

          // One flipped byte anywhere in the change breaks it.
          const change = joined([...lines, commit]);
          const i = at % (change.length - 1);
          change[i] ^= flip;
          const commitStart = change.length - commit.length;
          let again = CRC_INIT;
          for (let start = 0, k = 0; k < lines.length; k++) {
            again = crc32(change.subarray(start, start + lines[k].length), again);
            start += lines[k].length;
          }
          assert.equal(parseCommitLine(change.subarray(commitStart), again), undefined);
        },
      ),
      params(2000),
    );
  });
});
