/**
 * The error a check throws when an implementation breaks a requirement: it
 * names the requirement, says what was expected and what was seen.
 *
 * @module
 */

/**
 * A broken requirement, found by a check. `requirement` is the ID of the
 * requirement the observation contradicts, so a report can say which promise
 * failed rather than which line of a check threw.
 *
 * @example
 * ```ts
 * import { Violation } from "@agent-stream/agent-stream/conformance";
 *
 * const violation = new Violation("HTTP-APPEND-1", "append answered 200, expected 204", {
 *   expected: 204,
 *   actual: 200,
 * });
 * console.log(violation.requirement); // HTTP-APPEND-1
 * ```
 */
export class Violation extends Error {
  /** The ID of the broken requirement, e.g. `LOG-OFFSET-2`. */
  readonly requirement: string;
  /** What the check expected, when it compared values. */
  readonly expected?: unknown;
  /** What the implementation produced, when the check compared values. */
  readonly actual?: unknown;

  /** A violation of `requirement`, with an explanation and the compared values. */
  constructor(
    requirement: string,
    message: string,
    values: { readonly expected?: unknown; readonly actual?: unknown } = {},
  ) {
    super(`${requirement}: ${message}`);
    this.name = "Violation";
    this.requirement = requirement;
    if ("expected" in values) this.expected = values.expected;
    if ("actual" in values) this.actual = values.actual;
  }
}

/**
 * Raised by a check that cannot run against this implementation (a timing
 * beyond the run's wait budget, a limit too high to reach); the check is
 * reported as skipped with the reason, not as passed.
 *
 * @example
 * ```ts
 * import { CheckSkipped } from "@agent-stream/agent-stream/conformance";
 *
 * const skip = new CheckSkipped("heartbeat interval 60000 ms exceeds --max-wait 20000 ms");
 * console.log(skip.message);
 * ```
 */
export class CheckSkipped extends Error {
  /** A check skipped for `reason`. */
  constructor(reason: string) {
    super(reason);
    this.name = "CheckSkipped";
  }
}
