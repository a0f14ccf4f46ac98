/**
 * Summaries of latency samples for the benchmarks: percentiles over a
 * growable buffer of milliseconds, without sorting on every sample.
 *
 * @module
 */

/** Percentiles and extremes of a set of samples, in the samples' unit (ms). */
export interface LatencySummary {
  /** Samples taken. */
  readonly count: number;
  /** Median. */
  readonly p50: number;
  /** 99th percentile. */
  readonly p99: number;
  /** Largest sample. */
  readonly max: number;
  /** Arithmetic mean. */
  readonly mean: number;
}

/**
 * Collects samples into a growing `Float64Array`, so a million samples cost
 * 8 MB and no boxing.
 *
 * @example
 * ```ts
 * import { Samples } from "./_stats.ts";
 * const samples = new Samples();
 * for (const ms of [1, 2, 3, 4]) samples.add(ms);
 * console.log(samples.summary().p50); // 2
 * ```
 */
export class Samples {
  #values = new Float64Array(1024);
  #length = 0;

  /** Adds one sample. */
  add(value: number): void {
    if (this.#length === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#length++] = value;
  }

  /** Samples taken so far. */
  get count(): number {
    return this.#length;
  }

  /** Percentiles of the samples so far (all zero when there are none). */
  summary(): LatencySummary {
    return summarise(this.#values.subarray(0, this.#length));
  }
}

/**
 * The nearest-rank percentiles of `values` (left unchanged).
 *
 * @example
 * ```ts
 * import { summarise } from "./_stats.ts";
 * const summary = summarise(Float64Array.from([5, 1, 3]));
 * console.log(summary.p50, summary.max); // 3 5
 * ```
 */
export function summarise(values: Float64Array): LatencySummary {
  const count = values.length;
  if (count === 0) return { count: 0, p50: 0, p99: 0, max: 0, mean: 0 };
  const sorted = values.slice().sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted[count - 1],
    mean: sum / count,
  };
}

/**
 * The nearest-rank percentile `q` (0 to 1) of ascending `sorted` values.
 *
 * @example
 * ```ts
 * import { percentile } from "./_stats.ts";
 * console.log(percentile(Float64Array.from([1, 2, 3, 4]), 0.5)); // 2
 * ```
 */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/**
 * Rounds for reports: integers above 100, three significant digits below.
 *
 * @example
 * ```ts
 * import { round } from "./_stats.ts";
 * console.log(round(1234.5), round(1.23456)); // 1235 1.23
 * ```
 */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  if (Math.abs(value) >= 100) return Math.round(value);
  return Number(value.toPrecision(3));
}
