import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { MessageBuffer, MessageBufferError } from "./message_buffer.ts";

type Step =
  | { kind: "start"; id: string; role: string }
  | { kind: "append"; id: string; delta: string }
  | { kind: "end"; id: string };

const ids = fc.constantFrom("m1", "m2", "m3");
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("start" as const),
    id: ids,
    role: fc.constantFrom("assistant", "user"),
  }),
  fc.record({ kind: fc.constant("append" as const), id: ids, delta: fc.string({ maxLength: 4 }) }),
  fc.record({ kind: fc.constant("end" as const), id: ids }),
);

test("MessageBuffer: interleaved messages match a model; callbacks report every step; misuse throws and changes nothing", () => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
      const events: string[] = [];
      const buffer = new MessageBuffer<{ role: string }>({
        onMessageStart: (id, meta) => events.push(`start ${id} ${meta.role}`),
        onMessageChunk: (id, accumulated, delta) =>
          events.push(`chunk ${id} ${accumulated} ${delta}`),
        onMessageComplete: (id, text, meta) => events.push(`end ${id} ${text} ${meta.role}`),
      });
      const model = new Map<string, { role: string; text: string; complete: boolean }>();
      const expected: string[] = [];
      for (const s of steps) {
        const entry = model.get(s.id);
        const misuse = s.kind === "start"
          ? entry !== undefined
          : entry === undefined || entry.complete;
        const run = () => {
          if (s.kind === "start") buffer.start(s.id, { role: s.role });
          else if (s.kind === "append") buffer.append(s.id, s.delta);
          else buffer.end(s.id);
        };
        if (misuse) {
          assert.throws(run, MessageBufferError);
          continue;
        }
        run();
        if (s.kind === "start") {
          model.set(s.id, { role: s.role, text: "", complete: false });
          expected.push(`start ${s.id} ${s.role}`);
        } else if (s.kind === "append") {
          entry!.text += s.delta;
          expected.push(`chunk ${s.id} ${entry!.text} ${s.delta}`);
        } else {
          entry!.complete = true;
          expected.push(`end ${s.id} ${entry!.text} ${entry!.role}`);
        }
      }
      assert.deepEqual(events, expected);
      assert.deepEqual(
        buffer.messages(),
        [...model].map(([id, m]) => ({
          id,
          meta: { role: m.role },
          text: m.text,
          complete: m.complete,
        })),
      );
      assert.deepEqual(
        buffer.pending().map((m) => m.id),
        [...model].filter(([, m]) => !m.complete).map(([id]) => id),
      );
    }),
  );
});

test("MessageBuffer: clear forgets everything; an unknown message is undefined", () => {
  const buffer = new MessageBuffer();
  buffer.start("a");
  buffer.append("a", "x");
  buffer.clear();
  assert.equal(buffer.get("a"), undefined);
  assert.deepEqual(buffer.messages(), []);
  buffer.start("a");
  assert.equal(buffer.get("a")?.text, "");
});
