// versioning.md §2: negotiating the minor version over HTTP.

import fc from "fast-check";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";

type Action = "create" | "append" | "read" | "head" | "missing" | "sse";

const actionArb = fc.constantFrom<Action>("create", "append", "read", "head", "missing", "sse");

const versionArb: fc.Arbitrary<string | undefined> = fc.option(
  fc.oneof(
    fc.nat({ max: 40 }).map((minor) => `1.${minor}`),
    fc.constantFrom("1.0", "1.1", "1.99999", "1.12345678901234567890"),
  ),
  { nil: undefined },
);

const badVersionArb: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.integer({ min: 2, max: 99 }), fc.nat({ max: 9 })).map(([a, b]) => `${a}.${b}`),
  fc.constantFrom("0.9", "0.0", "2.0", "1", "1.", ".1", "1.0.0", "v1.0", "1.x", "01.0", "1.-1"),
  fc.constantFrom("1.0a", "1,0", "1.0, 1.1", "*", "banana", "1 .0", "1.0;q=1"),
  fc.stringMatching(/^[!-~]{1,10}$/).filter((s) => !/^1\.[0-9]+$/.test(s)),
);

/** Checks of versioning.md §2 (negotiation). */
export const versioningNegotiationChecks: readonly Check[] = [
  defineCheck({
    id: "versioning.negotiation.minor",
    title:
      "a request naming a minor version of major 1 is served, and the response states the highest served minor not above it",
    section: "versioning.md §2",
    requirements: ["VER-NEG-1"],
    async run(t) {
      const url = await stream(t);
      await t.property(
        fc.record({ version: versionArb, action: actionArb }),
        async ({ version, action }, run) => {
          if (action === "sse" && !run.features.has("sse")) return;
          const headers: Record<string, string> = version === undefined
            ? {}
            : { "Agent-Stream-Version": version };
          const reply = await act(run, url, action, headers);
          run.expect(
            "VER-NEG-1",
            reply.status < 400 || action === "missing" && reply.status === 404,
            `the request${
              version === undefined ? " without Agent-Stream-Version" : ` for version ${version}`
            } was not served: status ${reply.status}`,
          );
          run.expectEqual(
            "VER-NEG-1",
            reply.headers.get("agent-stream-version"),
            served(run.discovery.versions, version),
            `Agent-Stream-Version of the answer to ${
              version === undefined ? "a request without a version" : `a request for ${version}`
            }`,
          );
        },
        { numRuns: 15 },
      );
    },
  }),
  defineCheck({
    id: "versioning.negotiation.unsupported",
    title:
      "a request naming another major, or a version that is not MAJOR.MINOR, answers 400 unsupported-version and changes nothing",
    section: "versioning.md §2",
    requirements: ["VER-NEG-2"],
    async run(t) {
      const url = await stream(t);
      await t.property(
        fc.record({ version: badVersionArb, action: actionArb }),
        async ({ version, action }, run) => {
          if (action === "sse" && !run.features.has("sse")) return;
          const reply = await act(run, url, action, { "Agent-Stream-Version": version });
          if (action === "head") {
            run.expectStatus("VER-NEG-2", reply, 400);
          } else {
            run.expectProblem("VER-NEG-2", reply, 400, "unsupported-version");
            const supported = (reply.json as { supported?: unknown }).supported;
            run.expect(
              "VER-NEG-2",
              Array.isArray(supported) &&
                [...supported].sort().join() === [...run.discovery.versions].sort().join(),
              `supported is ${JSON.stringify(supported)}, the discovery document lists ${
                JSON.stringify(run.discovery.versions)
              }`,
            );
          }
          // The stream holds its two first messages: every append of this check is refused.
          const head = await run.http.request("HEAD", url);
          run.expectEqual(
            "VER-NEG-2",
            head.headers.get("stream-next-offset"),
            "0000000000000002",
            "the tail after refused requests",
          );
        },
        { numRuns: 15 },
      );
    },
  }),
  defineCheck({
    id: "versioning.negotiation.listed",
    title: "every version the server answers with is listed in the discovery document, with 1.0",
    section: "versioning.md §2",
    requirements: ["VER-NEG-3"],
    async run(t) {
      const versions = t.discovery.versions;
      t.expect("VER-NEG-3", versions.includes("1.0"), `versions is ${JSON.stringify(versions)}`);
      const url = await stream(t);
      const asked = [undefined, "1.0", ...versions, "1.1", "1.2", "1.10", "1.999"];
      for (const version of asked) {
        const headers: Record<string, string> = version ? { "Agent-Stream-Version": version } : {};
        const reply = await t.http.request("HEAD", url, { headers });
        const answered = reply.headers.get("agent-stream-version");
        t.expect(
          "VER-NEG-3",
          answered !== null && versions.includes(answered),
          `a request ${
            version ? `for ${version}` : "without a version"
          } was answered with version ${answered}, which the discovery document does not list (${
            JSON.stringify(versions)
          })`,
        );
      }
    },
  }),
];

/** The version VER-NEG-1 says a server serving `versions` answers a request for `requested` with. */
function served(versions: readonly string[], requested: string | undefined): string {
  const minor = (v: string) => BigInt(v.split(".")[1]);
  const sorted = [...versions].sort((
    a,
    b,
  ) => (minor(a) < minor(b) ? -1 : minor(a) > minor(b) ? 1 : 0));
  if (requested === undefined) return sorted[sorted.length - 1];
  const wanted = minor(requested);
  return sorted.filter((v) => minor(v) <= wanted).pop() ?? sorted[0];
}

async function stream(t: CheckContext): Promise<string> {
  const url = t.streamUrl(t.stream());
  const reply = await t.http.request("PUT", url, {
    headers: { "Content-Type": "application/json" },
    body: "[1,2]",
  });
  if (reply.status !== 201) throw new Error(`setup: creating ${url} answered ${reply.status}`);
  return url;
}

/** Performs `action` with `headers`; an SSE answer is read to its head only. */
async function act(
  t: CheckContext,
  url: string,
  action: Action,
  headers: Record<string, string>,
): Promise<HttpReply> {
  switch (action) {
    case "create":
      return await t.http.request("PUT", t.streamUrl(t.stream("created")), {
        headers: { "Content-Type": "application/json", ...headers },
      });
    case "append":
      return await t.http.request("POST", url, { headers, body: { json: [{ v: 1 }] } });
    case "read":
      return await t.http.request("GET", `${url}?offset=-1`, { headers });
    case "head":
      return await t.http.request("HEAD", url, { headers });
    case "missing":
      return await t.http.request("GET", t.streamUrl(t.stream("missing")), { headers });
    case "sse": {
      const sse = await t.http.openSse(`${url}?offset=now&live=sse`, headers);
      await sse.close();
      if (sse.status === 200) {
        return { status: 200, headers: sse.headers, text: "", json: undefined };
      }
      return await t.http.request("GET", `${url}?offset=now&live=sse`, {
        headers,
        timeoutMs: 2000,
      });
    }
  }
}
