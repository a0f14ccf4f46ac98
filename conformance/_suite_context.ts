// What the contexts of both suites share: assertions that name the
// requirement they test, the wait budget, skips, notes, and fast-check
// properties whose runs each get a fresh context with its own transcript.

import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import type { PropertyOptions } from "./check.ts";
import { Transcript } from "./transcript.ts";
import { CheckSkipped, Violation } from "./violation.ts";

/** The settings of a run that assertions and properties need. */
export interface PropertySettings {
  /** The longest a check may wait for a timer. */
  readonly maxWaitMs: number;
  /** Runs of a property unless the check says otherwise. */
  readonly numRuns: number;
  /** fast-check seed of every property in the run. */
  readonly seed: number;
  /**
   * Replay path of the one check being replayed: `<k>/<fast-check path>`
   * replays the check's k-th property (counting from 0); the others run as usual.
   */
  readonly path?: string;
  /** Shrink counterexamples (default true); off, a failure is reported as first found. */
  readonly shrink?: boolean;
}

/** What a property failure carries beyond the violation. */
export class PropertyFailure extends Error {
  constructor(
    override readonly cause: unknown,
    readonly counterexample: string,
    readonly seed: number,
    readonly path: string,
    readonly numRuns: number,
    readonly transcript: Transcript,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "PropertyFailure";
  }
}

/**
 * The part of a check context that is the same in every suite. `C` is the
 * context type a property hands to its predicate; `fork` makes one.
 */
export abstract class ContextBase<C> {
  readonly transcript: Transcript = new Transcript();
  readonly maxWaitMs: number;
  readonly #settings: PropertySettings;
  #properties = 0;

  constructor(settings: PropertySettings) {
    this.#settings = settings;
    this.maxWaitMs = settings.maxWaitMs;
  }

  /** A fresh context for one run of a property. */
  protected abstract fork(): C & ContextBase<C>;

  /** Releases what the context opened. */
  abstract dispose(): void | Promise<void>;

  expect(
    requirement: string,
    condition: unknown,
    message: string,
    values?: { expected?: unknown; actual?: unknown },
  ): void {
    if (!condition) throw new Violation(requirement, message, values);
  }

  expectEqual(requirement: string, actual: unknown, expected: unknown, message: string): void {
    if (!isDeepStrictEqual(actual, expected)) {
      throw new Violation(
        requirement,
        `${message}: expected ${show(expected)}, got ${show(actual)}`,
        { expected, actual },
      );
    }
  }

  needsWait(ms: number, what: string): void {
    if (ms > this.maxWaitMs) {
      this.skip(
        `${what} is ${ms} ms, beyond the run's wait budget of ${this.maxWaitMs} ms (--max-wait)`,
      );
    }
  }

  skip(reason: string): never {
    throw new CheckSkipped(reason);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  note(text: string): void {
    this.transcript.note(text);
  }

  async property<T>(
    arbitrary: fc.Arbitrary<T>,
    predicate: (value: T, t: C) => Promise<void>,
    options: PropertyOptions = {},
  ): Promise<void> {
    const numRuns = options.numRuns ?? this.#settings.numRuns;
    const index = this.#properties++;
    const replay = /^(\d+)\/(.+)$/.exec(this.#settings.path ?? "");
    const path = replay
      ? (Number(replay[1]) === index ? replay[2] : undefined)
      : this.#settings.path;
    let failed: ContextBase<C> | undefined;
    const details = await fc.check(
      fc.asyncProperty(arbitrary, async (value) => {
        const run = this.fork();
        try {
          await predicate(value, run);
        } catch (error) {
          if (error instanceof CheckSkipped) throw error;
          failed = run;
          throw error;
        } finally {
          await run.dispose();
        }
      }),
      {
        seed: this.#settings.seed,
        path,
        numRuns,
        endOnFailure: this.#settings.shrink === false,
      },
    );
    if (!details.failed) return;
    const cause = details.errorInstance;
    if (cause instanceof CheckSkipped) throw cause;
    throw new PropertyFailure(
      cause,
      fc.stringify(details.counterexample?.[0]),
      details.seed,
      `${index}/${details.counterexamplePath ?? ""}`,
      details.numRuns,
      failed?.transcript ?? new Transcript(),
    );
  }
}

/** A value as JSON for a message, or as a string when it is not JSON. */
export function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
