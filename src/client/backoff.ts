/**
 * Retry timing for the clients: exponential backoff with full jitter, and
 * the server's own `Retry-After` / `retryAfterMs` hints (errors.md §4, §6).
 *
 * @module
 */

/**
 * How retries are spaced. The n-th consecutive retry (n from 1) waits a
 * random time between 0 and `min(maxDelayMs, initialDelayMs × multiplierⁿ⁻¹)`
 * ("full jitter", so that many clients cut off together do not come back
 * together), and never less than a delay the server asked for.
 *
 * @example
 * ```ts
 * import type { BackoffOptions } from "@agent-stream/agent-stream/client";
 * const patient: BackoffOptions = { initialDelayMs: 250, maxDelayMs: 30_000, maxAttempts: Infinity };
 * ```
 */
export interface BackoffOptions {
  /** Upper bound of the first delay, in milliseconds. Default 100. */
  readonly initialDelayMs?: number;
  /** Upper bound of every computed delay, in milliseconds. Default 10 000. */
  readonly maxDelayMs?: number;
  /** Growth of the bound from one retry to the next. Default 2. */
  readonly multiplier?: number;
  /** Consecutive retries before giving up; `Infinity` never gives up. Default 10. */
  readonly maxAttempts?: number;
  /** Source of randomness in [0, 1); tests pin it. Default `Math.random`. */
  readonly random?: () => number;
}

/**
 * The options used where a caller gives none.
 *
 * @example
 * ```ts
 * import { DEFAULT_BACKOFF } from "@agent-stream/agent-stream/client";
 * console.log(DEFAULT_BACKOFF.maxAttempts); // 10
 * ```
 */
export const DEFAULT_BACKOFF: {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly multiplier: number;
  readonly maxAttempts: number;
} = Object.freeze({ initialDelayMs: 100, maxDelayMs: 10_000, multiplier: 2, maxAttempts: 10 });

/**
 * The upper bound of the delay before retry number `attempt` (from 1), in
 * whole milliseconds. It never decreases with `attempt` and never exceeds `maxDelayMs`.
 *
 * @example
 * ```ts
 * import { backoffCap } from "@agent-stream/agent-stream/client";
 * backoffCap(1); // 100
 * backoffCap(4); // 800
 * backoffCap(99); // 10000
 * ```
 */
export function backoffCap(attempt: number, options: BackoffOptions = {}): number {
  const initial = Math.max(0, options.initialDelayMs ?? DEFAULT_BACKOFF.initialDelayMs);
  const max = Math.max(0, options.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs);
  const multiplier = Math.max(1, options.multiplier ?? DEFAULT_BACKOFF.multiplier);
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // The power overflows to Infinity for large attempts; min() still caps it,
  // but 0 × Infinity would be NaN.
  if (initial === 0) return 0;
  return Math.floor(Math.min(max, initial * multiplier ** exponent));
}

/**
 * The delay before retry number `attempt`: a whole number of milliseconds
 * drawn uniformly from [0, cap], raised to `hintMs` when the server asked
 * for a longer wait (ERR-RETRY-3).
 *
 * @example
 * ```ts
 * import { backoffDelay } from "@agent-stream/agent-stream/client";
 * const ms = backoffDelay(3, { random: () => 0.5 }); // 200: half of the cap 400
 * const polite = backoffDelay(1, {}, 2000); // at least 2000
 * ```
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  hintMs?: number,
): number {
  const cap = backoffCap(attempt, options);
  const random = options.random ?? Math.random;
  const jittered = Math.min(cap, Math.floor(random() * (cap + 1)));
  return hintMs !== undefined && hintMs > jittered ? Math.ceil(hintMs) : jittered;
}

/**
 * A retry counter: each `next()` returns the delay before the next retry,
 * or `undefined` once `maxAttempts` consecutive retries have been used.
 * `reset()` after a success starts the sequence over.
 *
 * @example
 * ```ts
 * import { Backoff } from "@agent-stream/agent-stream/client";
 * const backoff = new Backoff({ maxAttempts: 2 });
 * backoff.next(); // a delay in [0, 100]
 * backoff.next(); // a delay in [0, 200]
 * backoff.next(); // undefined: give up
 * backoff.reset();
 * ```
 */
export class Backoff {
  readonly #options: BackoffOptions;
  #attempt = 0;

  /** Creates a counter; see {@linkcode BackoffOptions} for the defaults. */
  constructor(options: BackoffOptions = {}) {
    this.#options = options;
  }

  /** Retries used since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The most retries allowed in a row. */
  get maxAttempts(): number {
    return this.#options.maxAttempts ?? DEFAULT_BACKOFF.maxAttempts;
  }

  /** The delay before the next retry, or `undefined` when retries are used up. */
  next(hintMs?: number): number | undefined {
    if (this.#attempt >= this.maxAttempts) return undefined;
    this.#attempt++;
    return backoffDelay(this.#attempt, this.#options, hintMs);
  }

  /** Starts over after a success. */
  reset(): void {
    this.#attempt = 0;
  }
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const IMF_FIXDATE = /^[A-Z][a-z]{2}, (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850_DATE = /^[A-Z][a-z]+, (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME_DATE = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

function utc(
  year: number,
  month: string,
  day: string,
  h: string,
  m: string,
  s: string,
): number | undefined {
  const monthIndex = MONTHS.indexOf(month);
  if (monthIndex < 0) return undefined;
  const time = Date.UTC(year, monthIndex, Number(day), Number(h), Number(m), Number(s));
  return Number.isNaN(time) ? undefined : time;
}

// The three HTTP-date forms of RFC 9110 §5.6.7, parsed by hand because
// Date.parse accepts different things on different runtimes.
function parseHttpDate(value: string, now: number): number | undefined {
  let match = IMF_FIXDATE.exec(value);
  if (match !== null) {
    return utc(Number(match[3]), match[2], match[1], match[4], match[5], match[6]);
  }
  match = RFC850_DATE.exec(value);
  if (match !== null) {
    // A two-digit year more than 50 years ahead means the century before.
    const nowYear = new Date(now).getUTCFullYear();
    let year = Math.floor(nowYear / 100) * 100 + Number(match[3]);
    if (year > nowYear + 50) year -= 100;
    return utc(year, match[2], match[1], match[4], match[5], match[6]);
  }
  match = ASCTIME_DATE.exec(value);
  if (match !== null) {
    return utc(Number(match[6]), match[1], match[2].trim(), match[3], match[4], match[5]);
  }
  return undefined;
}

/**
 * A `Retry-After` header value as a delay in milliseconds: delta-seconds or
 * an HTTP date (a date in the past means 0). `undefined` when absent or
 * malformed.
 *
 * @example
 * ```ts
 * import { parseRetryAfter } from "@agent-stream/agent-stream/client";
 * parseRetryAfter("3"); // 3000
 * parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.UTC(2015, 9, 21, 7, 27, 58)); // 2000
 * parseRetryAfter("soon"); // undefined
 * ```
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^[0-9]+$/.test(text)) {
    const ms = Number(text) * 1000;
    return Number.isFinite(ms) ? ms : undefined;
  }
  const at = parseHttpDate(text, now);
  return at === undefined ? undefined : Math.max(0, at - now);
}

/**
 * How long the server asked the client to wait before repeating a request:
 * the problem's `retryAfterMs` when present (it is the more precise), else
 * the `Retry-After` header (ERR-RETRY-3).
 *
 * @example
 * ```ts
 * import { retryAfterMs } from "@agent-stream/agent-stream/client";
 * const response = new Response(null, { status: 503, headers: { "retry-after": "2" } });
 * retryAfterMs(response.headers); // 2000
 * retryAfterMs(response.headers, { retryAfterMs: 1500 }); // 1500
 * ```
 */
export function retryAfterMs(
  headers: Headers | undefined,
  problem?: { readonly retryAfterMs?: unknown },
  now?: number,
): number | undefined {
  const fromProblem = problem?.retryAfterMs;
  if (typeof fromProblem === "number" && Number.isFinite(fromProblem) && fromProblem >= 0) {
    return fromProblem;
  }
  return parseRetryAfter(headers?.get("retry-after"), now);
}
