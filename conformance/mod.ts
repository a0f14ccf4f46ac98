/**
 * The agent-stream conformance suite: property-based checks that any server
 * (and, through an adapter, any client) can be run against, and the tooling
 * around them.
 *
 * - {@linkcode runServerSuite} runs every server check against a base URL and
 *   returns a {@linkcode Report}, organised by requirement ID.
 * - {@linkcode runClientSuite} runs every client check against a client, through
 *   an adapter that speaks JSON lines (spec/v1/conformance.md §4), with a
 *   scripted server that injects faults.
 * - {@linkcode runEventsSuite} checks a producer's events (a file, or a stream of
 *   a server) against the envelope, the schemas and the lifecycle rules;
 *   {@linkcode runConsumerSuite} compares a consumer's conversation projections
 *   with the reference, through a consumer adapter (spec/v1/conformance.md §5),
 *   over event sequences from {@linkcode validEventSequence} and
 *   {@linkcode brokenEventSequence}.
 * - The requirement catalogue ({@linkcode CATALOGUE}, {@linkcode parseRequirements})
 *   lists every requirement of spec v1 with its actor and level; checks cite
 *   these IDs, so `grep` finds a requirement's text, its check and its mutant.
 * - Reports: {@linkcode formatSummary} and {@linkcode progressPrinter} for a
 *   terminal, {@linkcode reportToJson}, {@linkcode reportToJunit} and
 *   {@linkcode reportToHtml} for files; {@linkcode coverage} says which
 *   requirements the suite covers. The command line is the `./conformance/cli` export.
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
export * from "./report_text.ts";
export * from "./report_json.ts";
export * from "./report_junit.ts";
export * from "./report_html.ts";
export * from "./coverage.ts";
export * from "./client_suite.ts";
export * from "./client/adapter_protocol.ts";
export * from "./client/adapter_process.ts";
export * from "./client/client_context.ts";
export * from "./client/fault_script.ts";
export * from "./client/read_trace.ts";
export * from "./client/problem_reply.ts";
export * from "./client/scripted_host.ts";
export * from "./client/scripted_server.ts";
export * from "./client/ws_record.ts";
export * from "./agent/consumer_protocol.ts";
export * from "./agent/consumer_process.ts";
export * from "./agent/consumer_context.ts";
export * from "./agent/event_source.ts";
export * from "./agent/events_context.ts";
export * from "./agent/event_findings.ts";
export * from "./agent/event_sequences.ts";
export * from "./events_suite.ts";
export * from "./consumer_suite.ts";
export { SERVER_CHECKS } from "./server/mod.ts";
export { UNTESTABLE } from "./untestable/mod.ts";
