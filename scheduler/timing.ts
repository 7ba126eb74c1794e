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

