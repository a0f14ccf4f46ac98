import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withServer } from "./_http_test_kit.ts";

describe("browsers", () => {
  it("HTTP-CORS-1: preflights are answered for every resource", () =>
    withServer(async (t) => {
      for (const path of ["/v1", "s", "a//b", "/v1/nothing"]) {
        const r = await t.call("OPTIONS", path, {
          headers: {
            origin: "https://app.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type, producer-id",
          },
        });
        if (path === "/v1/nothing") {
          assert.equal(r.status, 404);
          continue;
        }
        assert.equal(r.status, 204, path);
        assert.equal(r.headers.get("access-control-allow-origin"), "*");
        assert.match(r.headers.get("access-control-allow-methods") ?? "", /GET/);
        assert.equal(r.headers.get("access-control-allow-headers"), "content-type, producer-id");
      }
    }));

  it("HTTP-CORS-1/2: protocol headers are exposed, nosniff and CORP everywhere, errors included", () =>
    withServer(async (t) => {
      await t.call("PUT", "s");
      for (
        const r of [
          await t.call("GET", "s"),
          await t.call("GET", "none"),
          await t.call("GET", "/nope"),
        ]
      ) {
        assert.equal(r.headers.get("x-content-type-options"), "nosniff");
        assert.equal(r.headers.get("cross-origin-resource-policy"), "cross-origin");
        assert.equal(r.headers.get("access-control-allow-origin"), "*");
        const exposed = (r.headers.get("access-control-expose-headers") ?? "").toLowerCase();
        for (
          const name of [
            "stream-next-offset",
            "producer-epoch",
            "agent-stream-version",
            "etag",
            "location",
          ]
        ) {
          assert.ok(exposed.includes(name), name);
        }
      }
    }));
});
