import fc from "fast-check";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rawMessagesText, utf8Exceeds, utf8Length } from "./_ws_raw_messages.ts";

describe("rawMessagesText", () => {
  it("cuts the messages member exactly as written (LOG-MSG-2)", () => {
    const text = '{"type":"append", "messages" : [1.0, {"b":1,"a":2} ,1e400] ,"req":"r"}';
    assert.equal(rawMessagesText(text), '[1.0, {"b":1,"a":2} ,1e400]');
  });

  it("takes the last of repeated members and decodes escaped names, as JSON.parse does", () => {
    assert.equal(rawMessagesText('{"messages":[1],"\\u006dessages":[2.50]}'), "[2.50]");
    assert.equal(rawMessagesText('{"messages":[1],"x":{"messages":[3]}}'), "[1]");
    assert.equal(rawMessagesText('{"a":"\\"messages\\":[9]","messages":"s"}'), '"s"');
    assert.equal(rawMessagesText('{"type":"append"}'), undefined);
    assert.equal(rawMessagesText("[1]"), undefined);
  });

  it("agrees with JSON.parse on any object, however it is spaced", () => {
    const spaced = (value: unknown, space: number) => JSON.stringify(value, null, space);
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 3 })),
        fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }),
        fc.nat(3),
        (rest, messages, space) => {
          const object = messages === undefined ? rest : { ...rest, messages };
          const text = spaced(object, space);
          const raw = rawMessagesText(text);
          const parsed = JSON.parse(text);
          if (!Object.hasOwn(parsed, "messages")) return assert.equal(raw, undefined);
          assert.deepEqual(JSON.parse(raw!), parsed.messages);
        },
      ),
    );
  });
});

describe("utf8Length", () => {
  it("counts what TextEncoder writes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), fc.nat(200), (text, limit) => {
        const bytes = new TextEncoder().encode(text).length;
        assert.equal(utf8Length(text), bytes);
        assert.equal(utf8Exceeds(text, limit), bytes > limit);
      }),
    );
  });
});
