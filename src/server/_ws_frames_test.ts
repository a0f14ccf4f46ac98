import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { WsServerFrameSchema } from "../protocol/ws_server_frame.ts";
import { dataFrameText, messagesJson } from "./_ws_frames.ts";

const bytes = (...texts: string[]) => texts.map((t) => new TextEncoder().encode(t));

describe("data frame encoding", () => {
  it("WS-DATA-3: writes stored bytes unchanged", () => {
    const messages = bytes("1.0", '{"b":1,"a":2}', '"\\u00e9"');
    const text = dataFrameText(
      { sub: "s1", nextOffset: 3, upToDate: true, closed: false },
      messagesJson(messages),
    );
    assert.equal(
      text,
      '{"type":"data","sub":"s1","messages":[1.0,{"b":1,"a":2},"\\u00e9"],' +
        '"nextOffset":"0000000000000003","upToDate":true}',
    );
    assert.ok(v.is(WsServerFrameSchema, JSON.parse(text)));
  });

  it("encodes a shared batch once: later calls reuse the first encoding", () => {
    const messages = bytes("1", "2");
    assert.equal(messagesJson(messages), "[1,2]");
    messages[0][0] = 0x39; // "9": a fresh encoding would show it
    assert.equal(messagesJson(messages), "[1,2]");
    assert.equal(messagesJson(messages, 1, 2), "[2]");
    assert.equal(messagesJson(bytes("1", "2").slice(0, 0)), "[]");
  });

  it("WS-DATA-8: states closed and upToDate only when asked", () => {
    const text = dataFrameText({ sub: "s", nextOffset: 0, upToDate: true, closed: true }, "[]");
    assert.deepEqual(JSON.parse(text), {
      type: "data",
      sub: "s",
      messages: [],
      nextOffset: "0000000000000000",
      upToDate: true,
      closed: true,
    });
  });
});
