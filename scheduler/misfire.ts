import type { JobRow } from '../db/schema';
import { intervalFiresThrough, nextFireTime, type StoredTriggerWithAnchor } from './triggers';

/**
 * The misfire policy: given a job's due fire and the clock, which fire runs now, which are
 * recorded as missed, and when the job fires next. Pure (no database), so claim.ts can apply the
 * plan in one transaction and the policy can be tested with fixed instants.
 */

/**
 * Upper bound on how many missed fires are counted one by one. Past it (a dense cron pattern after
 * a long downtime: 100,000 fires of `* * * * * *` are about 28 hours, some 250 ms of CPU to step
 * through), the latest fires are found by looking back from now, and the missed row says it stands
 * for more fires than it counted (`atLeast`).
 */
const MAX_COUNTED_MISSES = 100_000;
/** With coalesce off, at most this many `missed` rows are written for one catch-up. */
const MAX_MISSED_ROWS = 1000;
/** The largest count a `missed` row holds (its missed_count is a signed INT). */
const MAX_MISSED_COUNT = 2_147_483_647;

/** What claiming a job's due fire will write. Pure: a function of the job and the clock. */
export interface FirePlan {
  /** The fire the claim is conditional on (the job's next_run_at as read). */
  dueAt: Date;
  /** The job's next planned fire after this claim (null: the trigger has ended). */
  next: Date | null;
  /** The fire that runs now, if any: the due fire, or after downtime the latest one within grace. */
  runAt: Date | null;
  /**
   * Missed fires, as rows to write: each with the count of fires it stands for and the last of
   * them. `atLeast`: the backlog was too long to count one by one (MAX_COUNTED_MISSES), and the
   * row stands for more fires than its count.
   */
  missed: Missed[];
}

export interface Missed {
  at: Date;
  count: number;
  until: Date;
  atLeast?: true;
}

/**
 * The last fire at or before `t`, given `known`, a fire at or before it. Looks back from `t` over
 * 1 s, 2 s, 4 s… until a fire lies in the span, then halves the span down to the millisecond:
 * about a hundred steps of the trigger for any downtime, where stepping fire by fire from `known`
 * could take millions.
 */
function lastFireAtOrBefore(trigger: StoredTriggerWithAnchor, t: number, known: Date): Date {
  const reaches = (from: number) => {
    const fire = nextFireTime(trigger, new Date(from));
    return fire !== null && fire.getTime() <= t;
  };
  // The first fire after `lo` is at or before t; the first after `hi` is not.
  let hi = t;
  let lo = known.getTime() - 1;
  for (let back = 1000; t - back > lo; back *= 2) {
    if (reaches(t - back)) {
      lo = t - back;
      break;
    }
    hi = t - back;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (reaches(mid)) lo = mid;
    else hi = mid;
  }
  return nextFireTime(trigger, new Date(lo))!;
}

/**
 * Applies the misfire policy to the fires due by `now`, oldest first.
 * - One fire due: it runs if it is within misfireGraceMs, else it is one `missed` row.
 * - Several due (a backlog after downtime), coalesce on (the default): ONE claim — the latest due
 *   fire runs once if it is within grace, and every other fire of the backlog is one `missed` row
 *   with their count and span. Never a burst of catch-up runs.
 * - Several due, coalesce off: each fire is judged on its own. Those beyond grace are `missed`,
 *   a row each (at most 1,000, the last standing for the rest); the first within grace runs now
 *   and the rest of the backlog follows, one fire per claim.
 */
export function planFire(job: Pick<JobRow, 'nextRunAt' | 'trigger' | 'options'>, now: Date): FirePlan {
  const dueAt = job.nextRunAt!;
  const grace = job.options.misfireGraceMs;
  const tooLate = (f: Date) => now.getTime() - f.getTime() > grace;
  const isDue = (f: Date | null): f is Date => f !== null && f.getTime() <= now.getTime();
  const after = nextFireTime(job.trigger, dueAt);
  if (!isDue(after)) {
    return tooLate(dueAt)
      ? { dueAt, next: after, runAt: null, missed: [{ at: dueAt, count: 1, until: dueAt }] }
      : { dueAt, next: after, runAt: dueAt, missed: [] };
  }
  if (!job.options.coalesce) {
    const missedAt: Date[] = [];
    let count = 0;
    let until = dueAt;
    let fire: Date | null = dueAt;
    while (isDue(fire) && tooLate(fire) && count < MAX_COUNTED_MISSES) {
      if (missedAt.length < MAX_MISSED_ROWS) missedAt.push(fire);
      until = fire;
      count++;
      fire = nextFireTime(job.trigger, fire);
    }
    // Counted enough: the last row stands for the rest of the fires beyond grace, and the first
    // fire within grace is next, as it would have been.
    const uncounted = isDue(fire) && tooLate(fire);
    if (uncounted) {
      const graceStart = now.getTime() - grace;
      until = lastFireAtOrBefore(job.trigger, graceStart - 1, until);
      fire = nextFireTime(job.trigger, until);
    }
    const missed = missedAt.map((at, i): Missed => {
      const last = i === missedAt.length - 1;
      return last ? { at, count: count - i, until, ...(uncounted ? { atLeast: true as const } : {}) } : { at, count: 1, until: at };
    });
    if (isDue(fire)) return { dueAt, next: nextFireTime(job.trigger, fire), runAt: fire, missed };
    return { dueAt, next: fire, runAt: null, missed };
  }
  let latest = dueAt;
  let previous = dueAt;
  let count = 1;
  let next: Date | null = after;
  // An interval's backlog is counted by arithmetic, however long; other triggers step through it.
  const span = intervalFiresThrough(job.trigger, after, now);
  if (span) {
    previous = span.beforeLast ?? dueAt;
    latest = span.last;
    count = Math.min(MAX_MISSED_COUNT, count + span.count);
    next = nextFireTime(job.trigger, latest);
  }
  while (isDue(next) && count < MAX_COUNTED_MISSES) {
    previous = latest;
    latest = next;
    count++;
    next = nextFireTime(job.trigger, next);
  }
  // Counted enough: the latest due fire and the one before it are found without stepping through
  // the rest, and the missed row says it stands for more fires than it counted.
  const uncounted = isDue(next);
  const counted = latest;
  if (uncounted) {
    latest = lastFireAtOrBefore(job.trigger, now.getTime(), counted);
    previous = lastFireAtOrBefore(job.trigger, latest.getTime() - 1, counted);
    next = nextFireTime(job.trigger, latest);
  }
  const runAt = !tooLate(latest) ? latest : null;
  // Uncounted fires are missed unless the only one is the fire that runs.
  const atLeast = uncounted && !(runAt && previous.getTime() === counted.getTime());
  const missed: Missed[] = [{ at: dueAt, count: runAt && !uncounted ? count - 1 : count, until: runAt ? previous : latest, ...(atLeast ? { atLeast: true as const } : {}) }];
  return { dueAt, next, runAt, missed };
}

/**
 * The error text of a `missed` row: how late it was, or which fires it stands for, and why none
 * of them ran (beyond the misfire grace, or folded by coalesce into the fire that ran at `runAt`).
 */
export function missedText(m: Missed, now: Date, grace: number, runAt: Date | null): string {
  const late = now.getTime() - m.at.getTime();
  const beyond = now.getTime() - m.until.getTime() > grace;
  const why = beyond ? `beyond the misfire grace of ${grace} ms` : `coalesced: the fire at ${runAt?.toISOString()} ran instead`;
  if (m.atLeast) return `Missed more than ${m.count} fires from ${m.at.toISOString()} to ${m.until.toISOString()} (${why}; too many to count one by one).`;
  return m.count === 1 ? `Missed: ${late} ms late (${why}).` : `Missed ${m.count} fires from ${m.at.toISOString()} to ${m.until.toISOString()} (${why}).`;
}
