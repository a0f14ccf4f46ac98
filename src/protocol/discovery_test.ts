import assert from "node:assert/strict";
import { test } from "node:test";
import * as v from "valibot";
import {
  type Discovery,
  DiscoverySchema,
  FEATURE_PATTERN,
  KNOWN_FEATURES,
  STREAM_PREFIX_PATTERN,
} from "./discovery.ts";
import { WS_SUBPROTOCOL } from "./ws_frame.ts";

const doc: Discovery = {
  protocol: "agent-stream",
  versions: ["1.0"],
  bindings: {
    http: { streamPrefix: "/v1/stream/" },
    websocket: { path: "/v1/ws", subprotocols: [WS_SUBPROTOCOL] },
  },
  limits: {
    maxMessageBytes: 1,
    maxBodyBytes: 1,
    maxReadMessages: 1,
    maxStreamPathBytes: 1,
  },
  features: [...KNOWN_FEATURES],
};

test("a document listing every known feature is valid", () => {
  for (const feature of KNOWN_FEATURES) assert.match(feature, FEATURE_PATTERN);
  assert.ok(v.is(DiscoverySchema, doc));
});

test("versions and features must not repeat", () => {
  assert.ok(!v.is(DiscoverySchema, { ...doc, versions: ["1.0", "1.0"] }));
  assert.ok(!v.is(DiscoverySchema, { ...doc, features: ["sse", "sse"] }));
  assert.ok(v.is(DiscoverySchema, { ...doc, features: [] }));
});

test("contentTypes, when present, includes application/json", () => {
  assert.ok(v.is(DiscoverySchema, { ...doc, contentTypes: ["text/plain", "application/json"] }));
  assert.ok(!v.is(DiscoverySchema, { ...doc, contentTypes: ["text/plain"] }));
  assert.ok(!v.is(DiscoverySchema, { ...doc, contentTypes: [] }));
});

test("the stream prefix starts and ends with /", () => {
  for (const ok of ["/", "/v1/stream/", "/api/v1/stream/"]) assert.match(ok, STREAM_PREFIX_PATTERN);
  for (const bad of ["", "v1/stream/", "/v1/stream", "/v1 stream/"]) {
    assert.doesNotMatch(bad, STREAM_PREFIX_PATTERN);
  }
});
