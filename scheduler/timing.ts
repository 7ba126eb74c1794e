/** Waiting and back-off arithmetic of the engine. No database, no engine state. */

/**
 * How long the loop sleeps after its `failures`-th failed turn in a row (1 or more): 0.5 s, 1 s,
 * 2 s ... capped at 15 s, with ±25 % jitter so instances that lost the database together do not
 * retry in step.
 */
export function loopBackoffMs(failures: number): number {
  return Math.min(15_000, 500 * 2 ** Math.min(failures - 1, 5)) * (0.75 + Math.random() * 0.5);
}

/**
 * The delay before retrying attempt `attempt` (1-based) of a failed fire: `backoffMs` doubled per
 * attempt, with ±20 % jitter, rounded to the millisecond. Capped at a week so a long backoff never
 * overflows the date.
 */
export function retryDelayMs(attempt: number, backoffMs: number): number {
  return Math.min(7 * 86_400_000, Math.round(backoffMs * 2 ** (attempt - 1) * (0.8 + Math.random() * 0.4)));
}

/** Waits for every promise to settle, or for `ms`, whichever comes first; leaves no timer behind. */
export async function settleWithin(promises: Promise<unknown>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([Promise.allSettled(promises), deadline]);
  clearTimeout(timer);
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight. Rejects with the first error once
 * every started call has settled (so no work is left running unobserved).
 */
export async function forEachConcurrent<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let index = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (index < items.length && !failure) {
      const item = items[index++];
      try {
        await fn(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw (failure as { error: unknown }).error;
}

/** The lookahead grows to twice what claiming the due fires took, up to this. */
export const MAX_LOOKAHEAD_MS = 1000;
/**
 * …and halves back every this long. Slowly: while something else loads the database (a retention
 * run deleting beside the engine, say), a claim turn takes from one to four times its usual time
 * from one second to the next, and a fire claimed after its instant starts late. (Shrinking by a
 * tenth a turn, until 2026-12-07, brought it back within about 6 s at one turn a second: under a
 * retention run a 110 ms turn came with 91 ms of lookahead, and half of that second's fires
 * started 16 ms late.)
 */
const LOOKAHEAD_HALF_LIFE_MS = 30_000;

/**
 * The engine's next lookahead (how far ahead of their instant fires are claimed), after a turn
 * whose claims took `claimMs`, `elapsedMs` after the last one: at least `min`, twice `claimMs`,
 * and the current one decayed by the time since. A `min` of 0 means never ahead.
 */
export function nextLookahead(o: { current: number; min: number; claimMs: number; elapsedMs: number }): number {
  if (o.min === 0) return 0;
  const decayed = o.current * 0.5 ** (Math.max(0, o.elapsedMs) / LOOKAHEAD_HALF_LIFE_MS);
  return Math.min(MAX_LOOKAHEAD_MS, Math.max(o.min, 2 * o.claimMs, decayed));
}
