/**
 * Conformance tooling for agent-stream.
 *
 * The requirement catalogue turns the spec's Markdown into a list of
 * requirements (`HTTP-APPEND-3`, `SSE-RESUME-1`, …) with their actor and
 * level, and reports violations of the requirement-ID rules. Conformance checks
 * cite these IDs, so `grep` finds a requirement's text, its check and its test.
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
