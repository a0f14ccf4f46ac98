import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { MemoryStore } from "../stores/memory_store.ts";
import { createServer } from "./app.ts";
import type { ServerRoute } from "./server_route.ts";

const echo: ServerRoute = {
  prefix: "/v1/echo/",
  methods: ["GET", "HEAD", "POST"],
  feature: "echo",
  handle: (request, env) =>
    Promise.resolve(Response.json({ method: request.method, path: env.path })),
};

function server() {
  return createServer({ store: new MemoryStore(), routes: [echo] });
}

describe("extension routes", () => {
  it("hand the decoded stream path to the handler", async () => {
    const s = server();
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.stringMatching(/^[a-z0-9_-]{1,12}$/), { minLength: 1, maxLength: 4 }),
          fc.constantFrom("GET", "POST"),
          async (segments, method) => {
            const path = segments.join("/");
            const response = await s.fetch(
              new Request(`http://h/v1/echo/${segments.map(encodeURIComponent).join("/")}`, {
                method,
              }),
            );
            assert.equal(response.status, 200);
            assert.deepEqual(await response.json(), { method, path });
            assert.equal(response.headers.get("agent-stream-version"), "1.0");
          },
        ),
      );
    } finally {
      await s.shutdown();
    }
  });

  it("refuse other methods with 405 and Allow, answer preflights, refuse bad paths", async () => {
    const s = server();
    try {
      const put = await s.fetch(new Request("http://h/v1/echo/a", { method: "PUT" }));
      assert.equal(put.status, 405);
      assert.equal(put.headers.get("allow"), "GET, HEAD, POST");
      assert.equal((await put.json()).type.endsWith("method-not-allowed"), true);
      const preflight = await s.fetch(
        new Request("http://h/v1/echo/a", {
          method: "OPTIONS",
          headers: { origin: "http://x", "access-control-request-method": "POST" },
        }),
      );
      assert.equal(preflight.status < 300, true);
      const bad = await s.fetch(new Request("http://h/v1/echo/a//b"));
      assert.equal(bad.status, 400);
      assert.equal((await bad.json()).type.endsWith("invalid-stream-name"), true);
    } finally {
      await s.shutdown();
    }
  });

  it("get the common headers even on responses whose headers are immutable", async () => {
    // Response.redirect's headers are immutable: the server copies them.
    const redirect: ServerRoute = {
      prefix: "/v1/moved/",
      methods: ["GET", "HEAD"],
      handle: () => Promise.resolve(Response.redirect("http://h/elsewhere", 302)),
    };
    const s = createServer({ store: new MemoryStore(), routes: [redirect, echo] });
    try {
      for (const method of ["GET", "HEAD"]) {
        const moved = await s.fetch(new Request("http://h/v1/moved/a", { method }));
        assert.equal(moved.status, 302);
        assert.equal(moved.headers.get("location"), "http://h/elsewhere");
        assert.equal(moved.headers.get("agent-stream-version"), "1.0");
        assert.equal(moved.headers.get("access-control-allow-origin"), "*");
      }
      const head = await s.fetch(new Request("http://h/v1/echo/a", { method: "HEAD" }));
      assert.equal(head.headers.get("agent-stream-version"), "1.0");
      assert.equal(await head.text(), "");
    } finally {
      await s.shutdown();
    }
  });

  it("list their feature in the discovery document", async () => {
    const s = server();
    try {
      const discovery = await (await s.fetch(new Request("http://h/v1"))).json();
      assert.ok(discovery.features.includes("echo"));
      const plain = createServer({ store: new MemoryStore() });
      const without = await (await plain.fetch(new Request("http://h/v1"))).json();
      assert.ok(!without.features.includes("echo"));
      await plain.shutdown();
    } finally {
      await s.shutdown();
    }
  });
});
