// log.md §11: in a byte stream, offsets count bytes.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import { headTail, nextOffset, offsetText } from "./_log_http.ts";

const encoder = new TextEncoder();

/** Checks of log.md §11 (byte streams). */
export const logBytesChecks: readonly Check[] = [
  defineCheck({
    id: "log.bytes.offsets",
    title: "byte stream offsets count the bytes before the position, as 16 digits",
    section: "log.md §11",
    requirements: ["LOG-BYTES-1"],
    async run(t) {
      const types = (t.discovery.contentTypes ?? []).filter((type) =>
        type.split(";")[0].trim().toLowerCase() !== "application/json"
      );
      if (types.length === 0) t.skip("the server lists no byte stream content types");
      const type = types.includes("text/plain") ? "text/plain" : types[0];
      // Text, so that the probe's UTF-8 reading of a body loses nothing; multi-byte
      // characters tell bytes from characters.
      const fcChunk = fc.array(fc.constantFrom("a", "b", "7", " ", "é", "€", "😀"), {
        minLength: 1,
        maxLength: 8,
      }).map((chars) => chars.join(""));
      await t.property(
        fc.tuple(
          fc.array(fcChunk, { minLength: 1, maxLength: 5 }),
          fc.array(fc.nat(), { maxLength: 3 }),
        ),
        async ([chunks, picks], run) => {
          const url = run.streamUrl(run.stream());
          const created = await run.http.request("PUT", url, { headers: { "Content-Type": type } });
          run.expectStatus("LOG-BYTES-1", created, 201);
          run.expectEqual(
            "LOG-BYTES-1",
            nextOffset(run, created, "LOG-BYTES-1"),
            0,
            "tail on create",
          );
          let text = "";
          const bounds = [0];
          for (const chunk of chunks) {
            const reply = await run.http.request("POST", url, {
              headers: { "Content-Type": type },
              body: encoder.encode(chunk),
            });
            run.expectStatus("LOG-BYTES-1", reply, [200, 204]);
            text += chunk;
            let at = bounds.at(-1)!;
            for (const char of chunk) bounds.push(at += encoder.encode(char).length);
            run.expectEqual(
              "LOG-BYTES-1",
              nextOffset(run, reply, "LOG-BYTES-1"),
              encoder.encode(text).length,
              `tail after appending ${JSON.stringify(chunk)}`,
            );
          }
          const total = encoder.encode(text).length;
          run.expectEqual(
            "LOG-BYTES-1",
            await headTail(run, "LOG-BYTES-1", url),
            total,
            "tail by HEAD",
          );
          for (const pick of picks) {
            const chars = pick % bounds.length;
            const from = bounds[chars];
            const read = await run.http.request("GET", `${url}?offset=${offsetText(from)}`);
            run.expectStatus("LOG-BYTES-1", read, 200);
            const rest = [...text].slice(chars).join("");
            run.expect(
              "LOG-BYTES-1",
              rest.startsWith(read.text),
              `reading from byte ${from} returned ${
                JSON.stringify(read.text)
              }, expected the start of ${JSON.stringify(rest)}`,
            );
            run.expectEqual(
              "LOG-BYTES-1",
              nextOffset(run, read, "LOG-BYTES-1"),
              from + encoder.encode(read.text).length,
              `next offset after reading from byte ${from}`,
            );
          }
        },
        { numRuns: 5 },
      );
    },
  }),
];
