/**
 * A sliding-window limiter of failed sign-ins, kept in memory per process (each instance counts
 * its own; a restart forgets). Keys are client addresses; a success clears its key.
 */

/** Options of {@link createLoginLimiter}. */
export interface LoginLimiterOptions {
  /** Failures allowed within the window before further attempts are refused (default 5). */
  maxFailures?: number;
  /** Length of the window in ms (default 15 minutes). */
  windowMs?: number;
  /** Most keys remembered; the oldest are forgotten past this (default 10,000), bounding memory. */
  maxKeys?: number;
  /** The clock (default Date.now). */
  now?: () => number;
}

/** The answer of {@link LoginLimiter.attempt}. */
export type LoginAttempt = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Counts sign-in attempts per key. */
export interface LoginLimiter {
  /**
   * Asks to try a password for `key`. When allowed, the attempt counts as a failure at once (so
   * parallel attempts cannot slip past the limit) until {@link succeeded} clears the key. A refused
   * attempt does not count, so waiting out the window always works.
   */
  attempt(key: string): LoginAttempt;
  /** The password was right: forget the key's failures. */
  succeeded(key: string): void;
}

/** A new limiter; see {@link LoginLimiterOptions} for the defaults. */
export function createLoginLimiter(options: LoginLimiterOptions = {}): LoginLimiter {
  const maxFailures = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  // Insertion order is the eviction order: a key is re-inserted on every counted attempt.
  const failures = new Map<string, number[]>();

  function recent(key: string, at: number): number[] {
    const times = (failures.get(key) ?? []).filter((t) => t > at - windowMs);
    if (times.length === 0) failures.delete(key);
    return times;
  }

  return {
    attempt(key) {
      const at = now();
      const times = recent(key, at);
      if (times.length >= maxFailures) return { allowed: false, retryAfterMs: times[0] + windowMs - at };
      times.push(at);
      failures.delete(key);
      failures.set(key, times);
      while (failures.size > maxKeys) failures.delete(failures.keys().next().value as string);
      return { allowed: true };
    },
    succeeded(key) {
      failures.delete(key);
    },
  };
}

/** "3 minutes" for a wait in ms (rounded up, at least one minute). */
export function minutesText(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
