import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { defineEvent } from "./define_event.ts";
import { EventRegistry } from "./event_registry.ts";
import { EventValidationError } from "./event_validation_error.ts";

const Added = defineEvent("com.example.counter.added", {
  amount: v.number(),
  reason: v.optional(v.string()),
});
const Reset = defineEvent("com.example.counter.reset", {});
const registry = new EventRegistry([Added, Reset]);
const text = new TextEncoder();
const utf8 = new TextDecoder();

function errorsOf(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof EventValidationError, String(error));
    return [...error.errors];
  }
  assert.fail("expected an EventValidationError");
}

describe("EventRegistry.encode", () => {
  it("writes compact JSON text with members in the order given", () => {
    const bytes = registry.encode({ runId: "r1", type: "com.example.counter.added", amount: 2 });
    assert.equal(
      utf8.decode(bytes),
      '{"runId":"r1","type":"com.example.counter.added","amount":2}',
    );
  });

  it("lists every violation with a JSON Pointer", () => {
    const errors = errorsOf(() =>
      registry.encode({
        type: "com.example.counter.added",
        amount: "2",
        id: "",
        meta: [],
      } as never)
    );
    assert.deepEqual(errors.map((e) => e.path).sort(), ["/amount", "/id", "/meta"]);
  });

  it("names the violations in the error message", () => {
    assert.throws(
      () => registry.encode({ type: "com.example.counter.added", amount: null } as never),
      (error: Error) =>
        error instanceof EventValidationError &&
        error.message.startsWith('Cannot encode event of type "com.example.counter.added": ') &&
        error.message.includes("/amount: "),
    );
  });

  it("refuses a type the registry does not define", () => {
    const errors = errorsOf(() => registry.encode({ type: "com.example.counter.gone" } as never));
    assert.deepEqual(errors.map((e) => e.path), ["/type"]);
    assert.deepEqual(errorsOf(() => registry.encode(7 as never)).map((e) => e.path), [""]);
  });

  it("refuses values JSON text cannot hold exactly", () => {
    const cases: [unknown, string][] = [
      [{ amount: Infinity }, "/amount"],
      [{ amount: 1, meta: { at: new Date(0) } }, "/meta/at"],
      [{ amount: 1, extra: [1, undefined] }, "/extra/1"],
      [{ amount: 1, extra: [1, , 3] }, "/extra/1"],
      [{ amount: 1, extra: { "a/b": 10n } }, "/extra/a~1b"],
      [{ amount: 1, extra: () => 1 }, "/extra"],
    ];
    for (const [fields, path] of cases) {
      const event = { type: "com.example.counter.added", ...fields as object };
      assert.deepEqual(errorsOf(() => registry.encode(event as never)).map((e) => e.path), [path]);
    }
    const cyclic: Record<string, unknown> = { type: "com.example.counter.reset" };
    cyclic.self = cyclic;
    assert.deepEqual(errorsOf(() => registry.encode(cyclic as never)).map((e) => e.path), [
      "/self",
    ]);
  });

  it("treats an undefined member as absent", () => {
    const bytes = registry.encode({
      type: "com.example.counter.added",
      amount: 1,
      reason: undefined,
    });
    assert.equal(utf8.decode(bytes), '{"type":"com.example.counter.added","amount":1}');
  });
});

describe("EventRegistry.decode", () => {
  it("types a registered event and keeps members the definition does not name", () => {
    const bytes = text.encode('{"type":"com.example.counter.added","amount":1,"extra":[true]}');
    const decoded = registry.decode(bytes);
    assert.deepEqual(decoded, {
      known: true,
      event: { type: "com.example.counter.added", amount: 1, extra: [true] },
      bytes,
    });
  });

  it("passes an unregistered type through, even in a reserved namespace", () => {
    const bytes = text.encode('{"type":"text.delta","delta":"Hi"}');
    const decoded = registry.decode(bytes);
    assert.equal(decoded.known, false);
    assert.deepEqual(decoded.event, { type: "text.delta", delta: "Hi" });
    assert.equal(registry.encode(decoded), bytes);
  });

  it("rejects an invalid event of a registered type with paths", () => {
    const bytes = text.encode('{"type":"com.example.counter.added","reason":5}');
    assert.deepEqual(errorsOf(() => registry.decode(bytes)).map((e) => e.path).sort(), [
      "/amount",
      "/reason",
    ]);
  });

  it("rejects what is not an envelope", () => {
    for (const json of ["[]", "7", '{"type":"Counter"}', '{"type":"a.b","time":"yesterday"}']) {
      assert.throws(() => registry.decode(text.encode(json)), EventValidationError, json);
    }
  });

  it("rejects bytes that are not UTF-8 JSON", () => {
    assert.deepEqual(errorsOf(() => registry.decode(text.encode("{"))).map((e) => e.path), [""]);
    const latin1 = new Uint8Array([0x22, 0xe9, 0x22]);
    assert.match(errorsOf(() => registry.decode(latin1))[0].message, /UTF-8/u);
  });
});

describe("EventRegistry", () => {
  it("refuses two definitions of one type", () => {
    assert.throws(() => new EventRegistry([Added, Reset, Added]), TypeError);
  });

  it("knows which types it defines", () => {
    assert.ok(registry.has("com.example.counter.reset"));
    assert.ok(!registry.has("com.example.counter"));
    assert.deepEqual(registry.definitions.map((d) => d.type), [Added.type, Reset.type]);
  });
});
