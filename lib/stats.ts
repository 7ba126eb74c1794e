import { EXECUTION_STATUSES, JOB_STATES, type ExecutionStatus, type JobState } from './schemas';

/**
 * The shapes of the dashboard's statistics (computed by scheduler/stats.ts, drawn by
 * components/overview and components/charts), and the pure helpers both sides share.
 */

/** How many executions of each status. */
export type StatusCounts = Record<ExecutionStatus, number>;

/** How many jobs in each state, and in all. */
export type JobStateCounts = Record<JobState, number> & { total: number };

/** Executions whose scheduled time is at or after `since`, by status. */
export interface RecentExecutionCounts {
  since: string;
  counts: StatusCounts;
  total: number;
  /**
   * Statuses whose count reached the counting cap (the count shown is a lower bound): counting
   * stops there so a busy database never makes the overview slow.
   */
  capped: ExecutionStatus[];
}

/** A failed, timed-out or interrupted execution, with its job's name. */
export interface RecentFailure {
  executionId: number;
  jobId: string;
  jobName: string;
  status: ExecutionStatus;
  scheduledFor: string;
  finishedAt: string | null;
  /** The error message, cut to a few hundred characters. */
  error: string | null;
}

/** An active job's next fire. */
export interface UpcomingJobRun {
  jobId: string;
  jobName: string;
  nextRunAt: string;
  /** The job's time zone. */
  timezone: string;
  /** The schedule in words. */
  schedule: string;
}

/** One finished execution's duration (a point of the duration chart). */
export interface DurationPoint {
  executionId: number;
  scheduledFor: string;
  durationMs: number;
  status: ExecutionStatus;
}

/** A UTC calendar day ("2026-05-14") and its executions by status. */
export interface DayCounts {
  day: string;
  counts: StatusCounts;
}

/** A job's executions per UTC day, oldest day first, every day present (zeros included). */
export interface JobDailyCounts {
  days: DayCounts[];
  /**
   * Set when the job had more executions in the window than are counted: only the latest ones
   * are, so days before this instant are incomplete. Null when every execution was counted.
   */
  partialBefore: string | null;
}

/** Everything the overview page shows, read at `readAt`. */
export interface OverviewStats {
  readAt: string;
  jobs: JobStateCounts;
  last24h: RecentExecutionCounts;
  failures: RecentFailure[];
  upcoming: UpcomingJobRun[];
}

/** A count of zero for every status. */
export function emptyStatusCounts(): StatusCounts {
  return Object.fromEntries(EXECUTION_STATUSES.map((s) => [s, 0])) as StatusCounts;
}

/** A count of zero for every job state. */
export function emptyJobStateCounts(): JobStateCounts {
  return { ...(Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>), total: 0 };
}

/** The UTC day of an instant, "YYYY-MM-DD". */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The `count` UTC days ending with the day of `now`, oldest first. */
export function lastUtcDays(now: Date, count: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: count }, (_, i) => utcDay(new Date(today - (count - 1 - i) * 86_400_000)));
}

/** The groups the per-day chart stacks, each a set of statuses. */
export const DAILY_SERIES = [
  { key: 'succeeded', label: 'Succeeded', statuses: ['succeeded'] },
  { key: 'failed', label: 'Failed', statuses: ['failed', 'timed_out', 'interrupted'] },
  { key: 'missed', label: 'Missed', statuses: ['missed'] },
  { key: 'skipped', label: 'Skipped', statuses: ['skipped'] },
  { key: 'inFlight', label: 'Queued or running', statuses: ['queued', 'running'] },
] as const satisfies ReadonlyArray<{ key: string; label: string; statuses: readonly ExecutionStatus[] }>;

/** A key of DAILY_SERIES. */
export type DailySeriesKey = (typeof DAILY_SERIES)[number]['key'];

/** One day's counts folded into the chart's series (failed includes timed out and interrupted). */
export function foldDailySeries(counts: StatusCounts): Record<DailySeriesKey, number> {
  const out = {} as Record<DailySeriesKey, number>;
  for (const series of DAILY_SERIES) out[series.key] = series.statuses.reduce((sum, s) => sum + counts[s], 0);
  return out;
}

/** Median and maximum of the durations (null for none). */
export function durationSummary(points: ReadonlyArray<{ durationMs: number }>): { median: number; max: number } | null {
  if (points.length === 0) return null;
  const sorted = points.map((p) => p.durationMs).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
  return { median, max: sorted[sorted.length - 1] };
}
