// What the suites run through an adapter (client, consumer) settle alike
// before their checks: the bound of a wait, the seed, the runs per property,
// the adapter's command line as the report names it, and the command that
// replays a failure.

import type { SelectionOptions } from "./runner.ts";

/** The settings of one run of an adapter suite. */
export interface AdapterRun {
  /** The bound of one wait for the adapter, and of its start. */
  readonly timeoutMs: number;
  /** The fast-check seed of every property. */
  readonly seed: number;
  /** Runs per property. */
  readonly numRuns: number;
  /** The adapter as one command line. */
  readonly target: string;
  /** The command line that replays a failure of check `checkId`. */
  replayCommand(checkId: string, seed: number, path: string): string;
}

/** The settings of running `suite` through `options.adapter`, properties `defaultNumRuns` times. */
export function adapterRun(
  suite: string,
  options: SelectionOptions & {
    readonly adapter: string | readonly string[];
    readonly timeoutMs?: number;
  },
  defaultNumRuns: number,
): AdapterRun {
  const target = typeof options.adapter === "string"
    ? options.adapter
    : options.adapter.map(quoteArgument).join(" ");
  return {
    timeoutMs: options.timeoutMs ?? 10_000,
    seed: options.seed ?? Math.floor(Math.random() * 0x7fffffff),
    numRuns: options.numRuns ?? defaultNumRuns,
    target,
    replayCommand: (checkId, seed, path) =>
      `deno task conformance -- ${suite} --adapter ${
        quoteArgument(target)
      } --check ${checkId} --seed ${seed} --replay ${path}`,
  };
}

// Double quotes, as a POSIX shell and the project's CLI read them.
function quoteArgument(value: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(value)) return value;
  return `"${value.replace(/(["\\$`])/g, "\\$1")}"`;
}
