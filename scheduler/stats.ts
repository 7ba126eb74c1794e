import { and, asc, count, desc, eq, gte, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import { byNextRun, jobExecutions, jobs } from '../db/schema';
import { EXECUTION_STATUSES, type ExecutionStatus } from '../lib/schemas';
import {
  emptyJobStateCounts,
  emptyStatusCounts,
  lastUtcDays,
  type DayCounts,
  type DurationPoint,
  type JobDailyCounts,
  type JobStateCounts,
  type OverviewStats,
  type RecentExecutionCounts,
  type RecentFailure,
  type UpcomingJobRun,
} from '../lib/stats';
import type { SchedulerContext } from './context';
import { describeTrigger } from './triggers';

/**
 * Dashboard statistics. Every query walks an index and reads a bounded number of rows, so the
 * overview and the job page stay fast however long the history is: counts stop at a cap (and
 * say so), and per-job charts look only at the job's latest executions.
 */

/** Per status, executions of the last 24 h are counted up to this many (then shown as a lower bound). */
export const RECENT_COUNT_CAP = 100_000;
/** The per-day chart counts at most this many of the job's latest executions in its window. */
export const DAILY_SCAN_LIMIT = 20_000;
/** The duration chart looks for finished runs among this many of the job's latest executions. */
export const DURATION_SCAN_LIMIT = 500;
/** Statuses the overview lists as failures. */
export const FAILURE_STATUSES = ['failed', 'timed_out', 'interrupted'] as const satisfies readonly ExecutionStatus[];

const DAY_MS = 86_400_000;

/** A DATETIME read through raw SQL: mysql2 gives a Date (pool timezone 'Z'), a string in some setups. */
function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

/** Jobs by state (an index-only scan of jobs_state_idx). */
export async function jobStateCounts(ctx: SchedulerContext): Promise<JobStateCounts> {
  const rows = await ctx.db.select({ state: jobs.state, n: count() }).from(jobs).groupBy(jobs.state);
  const out = emptyJobStateCounts();
  for (const r of rows) {
    out[r.state] = r.n;
    out.total += r.n;
  }
  return out;
}

/** A span of scheduled times: from (inclusive) to (exclusive; undefined: no end). */
type Span = { from: Date; to?: Date };

/**
 * Executions scheduled in any of `spans`, by status. Each status is at most two ranges of the
 * (status, scheduled_for) index, read through a LIMIT so a status counts at most `cap` rows.
 */
async function countByStatus(ctx: SchedulerContext, spans: Span[], cap: number): Promise<Record<ExecutionStatus, number>> {
  const inSpans = or(...spans.map(({ from, to }) => and(gte(jobExecutions.scheduledFor, from), to && lt(jobExecutions.scheduledFor, to))));
  const counted = await Promise.all(
    EXECUTION_STATUSES.map(async (status) => {
      const window = ctx.db
        .select({ id: jobExecutions.id })
        .from(jobExecutions)
        .where(and(eq(jobExecutions.status, status), inSpans))
        .limit(cap)
        .as('w');
      const [{ n }] = await ctx.db.select({ n: count() }).from(window);
      return [status, n] as const;
    }),
  );
  const counts = emptyStatusCounts();
  for (const [status, n] of counted) counts[status] = n;
  return counts;
}

/** Counts (each at most `cap`) as the summary's shape: the total, and which statuses reached the cap. */
function summary(since: Date, counted: Record<ExecutionStatus, number>, cap: number): RecentExecutionCounts {
  const counts = emptyStatusCounts();
  const capped: ExecutionStatus[] = [];
  let total = 0;
  for (const status of EXECUTION_STATUSES) {
    const n = Math.min(counted[status], cap);
    counts[status] = n;
    total += n;
    if (n >= cap) capped.push(status);
  }
  return { since: since.toISOString(), counts, total, capped };
}

/**
 * Executions scheduled at or after `since`, by status, counted now. Each status is one range of
 * the (status, scheduled_for) index, read through a LIMIT so a status counts at most `cap` rows.
 */
export async function executionCountsSince(ctx: SchedulerContext, since: Date, cap = RECENT_COUNT_CAP): Promise<RecentExecutionCounts> {
  return summary(since, await countByStatus(ctx, [{ from: since }], cap), cap);
}

/**
 * The 24 h summary's whole hours are counted once and reused for this long; only the rest (the
 * part of an hour at each end of the window) is counted on every call.
 */
export const SETTLED_HOURS_TTL_MS = 30_000;
/** An hour is reused only once it ended at least this long ago (runs of its fires finish within it, mostly). */
export const SETTLED_AFTER_MS = 10 * 60_000;
const HOUR_MS = 3_600_000;

/** The cached counts of whole settled hours, per database handle: the hours they cover, and until when they are reused. */
const settledHours = new WeakMap<object, { from: number; to: number; cap: number; expires: number; counts: Promise<Record<ExecutionStatus, number>> }>();

/** Counts of [from, to) (whole hours), from the cache while it is fresh; one count at a time per database. */
function settledCounts(ctx: SchedulerContext, from: Date, to: Date, cap: number): Promise<Record<ExecutionStatus, number>> {
  const hit = settledHours.get(ctx.db);
  const clock = performance.now();
  if (hit && hit.from === from.getTime() && hit.to === to.getTime() && hit.cap === cap && clock < hit.expires) return hit.counts;
  const counts = countByStatus(ctx, [{ from, to }], cap);
  const entry = { from: from.getTime(), to: to.getTime(), cap, expires: clock + SETTLED_HOURS_TTL_MS, counts };
  settledHours.set(ctx.db, entry);
  // A failed count is not kept.
  counts.catch(() => settledHours.get(ctx.db) === entry && settledHours.delete(ctx.db));
  return counts;
}

/**
 * GET /api/stats/executions and the overview: executions of the last 24 hours, by status.
 *
 * Counting reads one index entry per execution (about 33,000 a day in bench:dashboard), so the whole
 * hours of the window that ended more than SETTLED_AFTER_MS ago are counted once and kept for
 * SETTLED_HOURS_TTL_MS (per process, per database), and only the rest — the part of an hour at the
 * window's start and the last 10 to 70 minutes — is counted on every call. Staleness: a change to
 * an execution scheduled in one of those settled hours (a run longer than 10 minutes finishing, a
 * late retry, a deletion) shows up within 30 seconds; everything scheduled in the last 10 minutes
 * is always counted live. No write of the engine is involved.
 */
export async function lastDayExecutionCounts(ctx: SchedulerContext, cap = RECENT_COUNT_CAP): Promise<RecentExecutionCounts> {
  const now = ctx.now().getTime();
  const since = new Date(now - DAY_MS);
  const from = new Date(Math.ceil(since.getTime() / HOUR_MS) * HOUR_MS);
  const to = new Date(Math.floor((now - SETTLED_AFTER_MS) / HOUR_MS) * HOUR_MS);
  if (to.getTime() <= from.getTime()) return executionCountsSince(ctx, since, cap);
  const [settled, live] = await Promise.all([
    settledCounts(ctx, from, to, cap),
    countByStatus(ctx, [{ from: since, to: from }, { from: to }], cap),
  ]);
  const counted = emptyStatusCounts();
  for (const status of EXECUTION_STATUSES) counted[status] = settled[status] + live[status];
  return summary(since, counted, cap);
}

/**
 * The latest failed, timed-out or interrupted executions (by scheduled time, newest first), with
 * their job's name: `limit` rows per status from the (status, scheduled_for) index, merged.
 */
export async function recentFailures(ctx: SchedulerContext, limit = 10): Promise<RecentFailure[]> {
  const perStatus = await Promise.all(
    FAILURE_STATUSES.map((status) =>
      ctx.db
        .select({
          executionId: jobExecutions.id,
          jobId: jobExecutions.jobId,
          status: jobExecutions.status,
          scheduledFor: jobExecutions.scheduledFor,
          finishedAt: jobExecutions.finishedAt,
          error: sql<string | null>`LEFT(${jobExecutions.error}, 300)`,
        })
        .from(jobExecutions)
        .where(eq(jobExecutions.status, status))
        .orderBy(desc(jobExecutions.scheduledFor), desc(jobExecutions.id))
        .limit(limit),
    ),
  );
  const latest = perStatus
    .flat()
    .sort((a, b) => b.scheduledFor.getTime() - a.scheduledFor.getTime() || b.executionId - a.executionId)
    .slice(0, limit);
  if (latest.length === 0) return [];
  const ids = [...new Set(latest.map((r) => r.jobId))];
  const names = new Map(
    (await ctx.db.select({ id: jobs.id, name: jobs.name }).from(jobs).where(inArray(jobs.id, ids))).map((j) => [j.id, j.name]),
  );
  return latest.map((r) => ({
    executionId: r.executionId,
    jobId: r.jobId,
    // A job deleted between the two reads takes its history with it; its id stands in for the name.
    jobName: names.get(r.jobId) ?? r.jobId,
    status: r.status,
    scheduledFor: r.scheduledFor.toISOString(),
    finishedAt: r.finishedAt ? r.finishedAt.toISOString() : null,
    error: r.error,
  }));
}

/** The next `limit` fires of active jobs, soonest first (the start of the next_run_at index). */
export async function upcomingJobRuns(ctx: SchedulerContext, limit = 10): Promise<UpcomingJobRun[]> {
  const rows = await ctx.db
    .select({ id: jobs.id, name: jobs.name, nextRunAt: jobs.nextRunAt, trigger: jobs.trigger })
    .from(jobs, byNextRun)
    .where(and(eq(jobs.state, 'active'), isNotNull(jobs.nextRunAt)))
    .orderBy(asc(jobs.nextRunAt), asc(jobs.id))
    .limit(limit);
  return rows.map((r) => ({
    jobId: r.id,
    jobName: r.name,
    nextRunAt: r.nextRunAt!.toISOString(),
    timezone: r.trigger.timezone,
    schedule: describeTrigger(r.trigger),
  }));
}

/**
 * The job's latest `limit` finished executions that have a duration, oldest first: found among
 * its DURATION_SCAN_LIMIT latest rows (the fire key's index), so a history full of missed fires
 * cannot make this scan long.
 */
export async function jobDurations(ctx: SchedulerContext, jobId: string, limit = 100): Promise<DurationPoint[]> {
  const recent = ctx.db
    .select({
      id: jobExecutions.id,
      scheduledFor: jobExecutions.scheduledFor,
      attempt: jobExecutions.attempt,
      durationMs: jobExecutions.durationMs,
      status: jobExecutions.status,
    })
    .from(jobExecutions)
    .where(eq(jobExecutions.jobId, jobId))
    .orderBy(desc(jobExecutions.scheduledFor), desc(jobExecutions.attempt))
    .limit(DURATION_SCAN_LIMIT)
    .as('recent');
  const rows = await ctx.db
    .select()
    .from(recent)
    .where(isNotNull(recent.durationMs))
    .orderBy(desc(recent.scheduledFor), desc(recent.attempt))
    .limit(limit);
  return rows
    .map((r) => ({
      executionId: r.id,
      scheduledFor: toDate(r.scheduledFor).toISOString(),
      durationMs: Number(r.durationMs),
      status: r.status,
    }))
    .sort((a, b) => a.scheduledFor.localeCompare(b.scheduledFor) || a.executionId - b.executionId);
}

/**
 * The job's executions per UTC day (by scheduled time) for the `days` days ending today, by
 * status. Only its `scanLimit` (default DAILY_SCAN_LIMIT) latest executions in the window are
 * counted (the (job_id, scheduled_for) key, newest first); when that limit is reached,
 * `partialBefore` says from when on the counts are complete.
 */
export async function jobDailyCounts(ctx: SchedulerContext, jobId: string, days = 14, scanLimit = DAILY_SCAN_LIMIT): Promise<JobDailyCounts> {
  const labels = lastUtcDays(ctx.now(), days);
  const since = new Date(Date.parse(`${labels[0]}T00:00:00Z`));
  const window = ctx.db
    .select({ scheduledFor: jobExecutions.scheduledFor, status: jobExecutions.status })
    .from(jobExecutions)
    .where(and(eq(jobExecutions.jobId, jobId), gte(jobExecutions.scheduledFor, since)))
    .orderBy(desc(jobExecutions.scheduledFor))
    .limit(scanLimit)
    .as('w');
  // scheduled_for is stored in UTC, so its DATE is the UTC day whatever the session's zone.
  const day = sql<string>`DATE_FORMAT(${window.scheduledFor}, '%Y-%m-%d')`;
  const rows = await ctx.db
    .select({ day, status: window.status, n: count(), earliest: sql<unknown>`MIN(${window.scheduledFor})` })
    .from(window)
    .groupBy(day, window.status);

  const byDay = new Map<string, DayCounts>(labels.map((d) => [d, { day: d, counts: emptyStatusCounts() }]));
  let scanned = 0;
  let earliest = Infinity;
  for (const r of rows) {
    scanned += r.n;
    earliest = Math.min(earliest, toDate(r.earliest).getTime());
    const entry = byDay.get(r.day);
    if (entry) entry.counts[r.status] += r.n;
  }
  const partialBefore = scanned >= scanLimit && Number.isFinite(earliest) ? new Date(earliest).toISOString() : null;
  return { days: [...byDay.values()], partialBefore };
}

/** Everything the overview shows: jobs by state, the last 24 h by status, recent failures, upcoming runs. */
export async function overviewStats(ctx: SchedulerContext): Promise<OverviewStats> {
  const now = ctx.now();
  const [jobCounts, last24h, failures, upcoming] = await Promise.all([
    jobStateCounts(ctx),
    lastDayExecutionCounts(ctx),
    recentFailures(ctx),
    upcomingJobRuns(ctx),
  ]);
  return { readAt: now.toISOString(), jobs: jobCounts, last24h, failures, upcoming };
}
