// @ts-check
// vitest configuration of the Durable Streams conformance run only; the
// project's own tests run under `deno test` and `bun test`.

import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Not root/node_modules/.vite, which would put a node_modules folder in test/.
  cacheDir: fileURLToPath(new URL("../../node_modules/.vite-ds", import.meta.url)),
  test: {
    root: import.meta.dirname,
    include: ["*.vitest.mjs"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
