// What the fault scenarios share: one line per injection and observation (prefixed with the
// scenario's name, so CI logs read as a story), timing of single requests, and the checks that
// an error answer is the app's own (503 JSON or page) and leaks nothing internal.
import assert from 'node:assert/strict';

export type Observe = (message: string, data?: Record<string, unknown>) => void;

export function observer(scenario: string): Observe {
  return (message, data) =>
    console.log(`${scenario}: ${message}${data === undefined ? '' : ` ${JSON.stringify(data)}`}`);
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: Math.round(performance.now() - started) };
}

/**
 * A bound that tells "answered" from "hung on a dead dependency", not a performance target:
 * healthy answers here take tens of milliseconds, a hang on a dead connection takes the
 * client's timeout (5 s and more). Generous, so a loaded CI machine never trips it.
 */
export const HANG_BOUND_MS = 2_000;

// Things only a leak would put in a response: stack frames, driver and socket errors, paths.
const INTERNALS = [
  /\bat [\w.<>]+ \(/,
  /node_modules|\/src\/|\.ts:\d+/,
  /ECONN(REFUSED|RESET)|EPIPE|ETIMEDOUT/,
  /Connection terminated|not queryable|terminating connection|timeout exceeded/i,
  /\bSQLSTATE\b|\bselect .* from\b|postgres:\/\//i,
  /S3rver|NoSuchBucket|AWS4-HMAC/,
];

export function assertNoInternals(body: string, where: string): void {
  for (const pattern of INTERNALS) {
    assert.doesNotMatch(body, pattern, `${where} leaks internals`);
  }
}

/** An answer while a dependency is down: the app's 503, with Retry-After and a code. */
export function assertUnavailableAnswer(
  response: { status: number; headers: Headers | Record<string, unknown>; body: string },
  where: string,
): void {
  assert.equal(response.status, 503, `${where}: ${response.status} ${response.body.slice(0, 300)}`);
  const retryAfter =
    response.headers instanceof Headers
      ? response.headers.get('retry-after')
      : response.headers['retry-after'];
  assert.ok(Number(retryAfter) > 0, `${where}: Retry-After says when to come back`);
  assertNoInternals(response.body, where);
}

/** Settles within `ms` or fails naming what hung (the fault scenarios' "not a hang" check). */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Percentile of a list of numbers (nearest rank), for the observation lines. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
