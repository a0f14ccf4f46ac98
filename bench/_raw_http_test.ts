import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { HttpConnection, type ResponseHead, ResponseParser } from "./_raw_http.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Parsed {
  heads: ResponseHead[];
  bodies: string[];
  ends: number;
}

/** Feeds `wire` to a parser in pieces cut at `cuts`, expecting `responses` responses. */
function parse(wire: string, cuts: readonly number[], responses = 1, noBody = false): Parsed {
  const parser = new ResponseParser();
  const out: Parsed = { heads: [], bodies: [], ends: 0 };
  let body = "";
  const expect = () =>
    parser.expect({
      head: (head) => out.heads.push(head),
      body: (bytes) => body += decoder.decode(bytes),
      end: () => {
        out.bodies.push(body);
        body = "";
        out.ends++;
        if (out.ends < responses) expect();
      },
    }, noBody);
  expect();
  const bytes = encoder.encode(wire);
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    parser.feed(bytes.subarray(at, cut));
    at = cut;
  }
  return out;
}

const CHUNKED = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nStream-Next-Offset: 5\r\n\r\n" +
  "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n";
const LENGTH = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

describe("ResponseParser", () => {
  it("reads a Content-Length body and lower-cases header names", () => {
    const out = parse(LENGTH, []);
    assert.equal(out.heads[0].status, 200);
    assert.equal(out.heads[0].headers.get("content-length"), "5");
    assert.deepEqual(out.bodies, ["hello"]);
  });

  it("de-chunks a chunked body, chunk extensions included", () => {
    const out = parse(CHUNKED, []);
    assert.deepEqual(out.bodies, ["hello, world"]);
    assert.equal(out.heads[0].headers.get("stream-next-offset"), "5");
  });

  it("gives the same result wherever the bytes are split", () => {
    for (const wire of [LENGTH, CHUNKED]) {
      const whole = parse(wire, []);
      for (let cut = 0; cut <= wire.length; cut++) {
        assert.deepEqual(parse(wire, [cut]).bodies, whole.bodies, `cut at ${cut}`);
      }
      assert.deepEqual(
        parse(wire, Array.from({ length: wire.length }, (_, i) => i)).bodies,
        whole.bodies,
        "byte by byte",
      );
    }
  });

  it("ends 204, 304 and HEAD responses at the head", () => {
    assert.equal(parse("HTTP/1.1 204 No Content\r\n\r\n", []).ends, 1);
    assert.equal(parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n", []).ends, 1);
    const head = parse("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n", [], 1, true);
    assert.equal(head.ends, 1);
    assert.deepEqual(head.bodies, [""]);
  });

  it("keeps bytes of the next response on a keep-alive connection", () => {
    const out = parse(LENGTH + CHUNKED + "HTTP/1.1 204 No Content\r\n\r\n", [3, 50], 3);
    assert.equal(out.ends, 3);
    assert.deepEqual(out.bodies, ["hello", "hello, world", ""]);
  });

  it("reads until close when there is neither a length nor chunking", () => {
    const parser = new ResponseParser();
    let body = "";
    let ended = false;
    parser.expect({
      head: () => {},
      body: (bytes) => body += decoder.decode(bytes),
      end: () => ended = true,
    });
    parser.feed(encoder.encode("HTTP/1.0 200 OK\r\n\r\nabc"));
    assert.equal(parser.untilClose, true);
    assert.equal(ended, false);
    parser.close();
    assert.equal(ended, true);
    assert.equal(body, "abc");
  });
});

function listen(server: Server): Promise<URL> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve(new URL(`http://127.0.0.1:${port}`));
    });
  });
}

describe("HttpConnection", () => {
  it("sends requests with bodies on one keep-alive connection and streams a response", async () => {
    let sockets = 0;
    const server = createServer((request, response) => {
      if (request.url === "/stream") {
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.write("data: 1\n\n");
        setTimeout(() => response.end("data: 2\n\n"), 10);
        return;
      }
      const pieces: Uint8Array[] = [];
      request.on("data", (piece: Uint8Array) => pieces.push(piece));
      request.on("end", () => {
        const body = pieces.map((p) => decoder.decode(p)).join("");
        response.writeHead(200, { "x-method": request.method ?? "" });
        response.end(`${request.url} ${body}`);
      });
    });
    server.on("connection", () => sockets++);
    const base = await listen(server);
    try {
      const connection = await HttpConnection.open(base, 5_000);
      for (let i = 0; i < 3; i++) {
        const response = await connection.request(
          "POST",
          `/append/${i}`,
          { "content-type": "application/json" },
          encoder.encode(`{"i":${i}}`),
        );
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("x-method"), "POST");
        assert.equal(decoder.decode(response.body), `/append/${i} {"i":${i}}`);
      }
      connection.close();
      assert.equal(sockets, 1);

      const streaming = await HttpConnection.open(base, 5_000);
      let text = "";
      let ends = 0;
      const ended = new Promise<void>((resolve) => {
        streaming.stream("/stream", {}, (bytes) => text += decoder.decode(bytes), () => {
          ends++;
          resolve();
        }).then((head) => assert.equal(head.status, 200));
      });
      await ended;
      assert.equal(text, "data: 1\n\ndata: 2\n\n");
      assert.ok(ends >= 1);
      streaming.close();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
