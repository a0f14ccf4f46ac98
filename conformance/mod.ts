/**
 * The agent-stream conformance suite: property-based checks that any server
 * (and, through an adapter, any client) can be run against, and the tooling
 * around them.
 *
 * - {@linkcode runServerSuite} runs every server check against a base URL and
 *   returns a {@linkcode Report}, organised by requirement ID.
 * - The requirement catalogue ({@linkcode CATALOGUE}, {@linkcode parseRequirements})
 *   lists every requirement of spec v1 with its actor and level; checks cite
 *   these IDs, so `grep` finds a requirement's text, its check and its mutant.
 *
 * @example Running the server suite
 * ```ts ignore
 * import { runServerSuite } from "@agent-stream/agent-stream/conformance";
 *
 * const report = await runServerSuite({ url: "http://127.0.0.1:8787" });
 * for (const r of report.requirements) if (r.status === "failed") console.log(r.id, r.text);
 * ```
 *
 * @example Listing the requirements of a spec file
 * ```ts
 * import { parseRequirements } from "@agent-stream/agent-stream/conformance";
 *
 * const markdown = "- `LOG-OFFSET-2` **server MUST** mint dense offsets.\n";
 * for (const requirement of parseRequirements(markdown, "spec/v1/log.md").requirements) {
 *   console.log(requirement.id, requirement.actor, requirement.keyword);
 * }
 * ```
 *
 * @module @agent-stream/agent-stream/conformance
 */

export * from "./requirements.ts";
export * from "./catalogue.ts";
export * from "./check.ts";
export * from "./violation.ts";
export * from "./transcript.ts";
export * from "./http_probe.ts";
export * from "./ws_probe.ts";
export * from "./report.ts";
export * from "./runner.ts";
export * from "./server_suite.ts";
export { SERVER_CHECKS } from "./server/mod.ts";
export { UNTESTABLE } from "./untestable/mod.ts";
