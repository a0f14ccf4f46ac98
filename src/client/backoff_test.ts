import fc from "fast-check";
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  Backoff,
  backoffCap,
  backoffDelay,
  type BackoffOptions,
  DEFAULT_BACKOFF,
  parseRetryAfter,
  retryAfterMs,
} from "./backoff.ts";

const options: fc.Arbitrary<BackoffOptions> = fc.record({
  initialDelayMs: fc.integer({ min: 0, max: 10_000 }),
  maxDelayMs: fc.integer({ min: 0, max: 120_000 }),
  multiplier: fc.double({ min: 1, max: 10, noNaN: true }),
  maxAttempts: fc.integer({ min: 0, max: 50 }),
  random: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }).map((r) => () => r),
});

describe("backoff", () => {
  test("every delay lies in [0, cap] and the cap never exceeds maxDelayMs (ERR-RETRY-6)", () => {
    fc.assert(fc.property(options, fc.integer({ min: 1, max: 2000 }), (o, attempt) => {
      const cap = backoffCap(attempt, o);
      const delay = backoffDelay(attempt, o);
      assert.ok(cap <= o.maxDelayMs!, `cap ${cap} > max ${o.maxDelayMs}`);
      assert.ok(delay >= 0 && delay <= cap, `delay ${delay} outside [0, ${cap}]`);
      assert.ok(Number.isInteger(delay));
    }));
  });

  test("caps grow monotonically up to maxDelayMs", () => {
    fc.assert(fc.property(options, fc.integer({ min: 1, max: 200 }), (o, attempt) => {
      assert.ok(backoffCap(attempt + 1, o) >= backoffCap(attempt, o));
      assert.equal(
        backoffCap(attempt, o),
        Math.floor(Math.min(o.maxDelayMs!, o.initialDelayMs! * o.multiplier! ** (attempt - 1))),
      );
    }));
  });

  test("full jitter spans the whole range", () => {
    assert.equal(backoffDelay(3, { random: () => 0 }), 0);
    assert.equal(backoffDelay(3, { random: () => 0.999999 }), 400);
    assert.equal(backoffDelay(3, { random: () => 0.5 }), 200);
  });

  test("a server hint is a floor, never shortened by jitter (ERR-RETRY-3)", () => {
    fc.assert(
      fc.property(options, fc.integer({ min: 1, max: 60 }), fc.nat(100_000), (o, attempt, hint) => {
        const delay = backoffDelay(attempt, o, hint);
        assert.ok(delay >= hint);
        assert.ok(delay <= Math.max(hint, backoffCap(attempt, o)));
      }),
    );
  });

  test("Backoff gives exactly maxAttempts delays, then undefined, and starts over on reset", () => {
    fc.assert(fc.property(options, (o) => {
      const backoff = new Backoff(o);
      const delays: number[] = [];
      for (let d = backoff.next(); d !== undefined; d = backoff.next()) {
        delays.push(d);
        if (delays.length > 100) break;
      }
      assert.equal(delays.length, o.maxAttempts);
      delays.forEach((d, i) => assert.ok(d <= backoffCap(i + 1, o)));
      backoff.reset();
      assert.equal(backoff.attempt, 0);
      assert.equal(backoff.next() === undefined, o.maxAttempts === 0);
    }));
  });

  test("defaults: 100 ms doubling to 10 s, 10 attempts", () => {
    assert.deepEqual({ ...DEFAULT_BACKOFF }, {
      initialDelayMs: 100,
      maxDelayMs: 10_000,
      multiplier: 2,
      maxAttempts: 10,
    });
    assert.deepEqual([1, 2, 3, 8, 9].map((a) => backoffCap(a)), [100, 200, 400, 10_000, 10_000]);
    const forever = new Backoff({ maxAttempts: Infinity });
    for (let i = 0; i < 1000; i++) assert.notEqual(forever.next(), undefined);
  });
});

describe("Retry-After", () => {
  const now = Date.UTC(1994, 10, 6, 8, 49, 30);

  test("delta-seconds", () => {
    assert.equal(parseRetryAfter("0"), 0);
    assert.equal(parseRetryAfter("120"), 120_000);
    assert.equal(parseRetryAfter(" 5 "), 5000);
  });

  test("the three HTTP-date forms of RFC 9110", () => {
    assert.equal(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now), 7000);
    assert.equal(parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now), 7000);
    assert.equal(parseRetryAfter("Sun Nov  6 08:49:37 1994", now), 7000);
  });

  test("a date in the past means no wait", () => {
    assert.equal(parseRetryAfter("Sun, 06 Nov 1994 08:49:00 GMT", now), 0);
  });

  test("malformed values are ignored", () => {
    for (
      const value of ["", "soon", "-1", "1.5", "Sun, 06 Xyz 1994 08:49:37 GMT", null, undefined]
    ) {
      assert.equal(parseRetryAfter(value, now), undefined, String(value));
    }
  });

  test("delta-seconds round-trip for any whole number of seconds", () => {
    fc.assert(fc.property(fc.nat(1_000_000), (s) => {
      assert.equal(parseRetryAfter(String(s)), s * 1000);
    }));
  });

  test("an IMF-fixdate round-trips through toUTCString", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 86_400 * 365 }), (seconds) => {
      const at = now + seconds * 1000;
      assert.equal(parseRetryAfter(new Date(at).toUTCString(), now), seconds * 1000);
    }));
  });

  test("the problem's retryAfterMs wins over the header", () => {
    const headers = new Headers({ "retry-after": "3" });
    assert.equal(retryAfterMs(headers), 3000);
    assert.equal(retryAfterMs(headers, { retryAfterMs: 250 }), 250);
    assert.equal(retryAfterMs(headers, { retryAfterMs: "x" }), 3000);
    assert.equal(retryAfterMs(undefined, {}), undefined);
  });
});
