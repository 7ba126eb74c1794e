import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_JOB_OPTIONS } from '../../lib/types';
import type { ExecutionStatus } from '../../lib/schemas';
import type { SchedulerContext } from '../../scheduler/context';
import {
  executionCountsSince,
  jobDailyCounts,
  jobDurations,
  jobStateCounts,
  lastDayExecutionCounts,
  overviewStats,
  recentFailures,
  upcomingJobRuns,
} from '../../scheduler/stats';
import { createTestDatabase, type TestDatabase } from './helpers';

/**
 * The dashboard statistics against rows written directly with SQL, at a pinned "now": every
 * number is known in advance, including the boundaries (24 h ago exactly, UTC midnight).
 */

const NOW = new Date('2026-03-15T12:00:00.000Z');
const MIN = 60_000;
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

let tdb: TestDatabase;
let ctx: SchedulerContext;

async function insertJob(id: string, name: string, state: string, nextRunAt: Date | null, trigger: Record<string, unknown>) {
  await tdb.query('INSERT INTO jobs (id, name, task, args, `trigger`, state, next_run_at, options) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
    id,
    name,
    'log.message',
    JSON.stringify({ message: 'hi' }),
    JSON.stringify(trigger),
    state,
    nextRunAt,
    JSON.stringify(DEFAULT_JOB_OPTIONS),
  ]);
}

async function insertExecution(jobId: string, scheduledFor: Date, status: ExecutionStatus, extra: { durationMs?: number; error?: string } = {}) {
  const finished = extra.durationMs === undefined ? null : new Date(scheduledFor.getTime() + extra.durationMs);
  await tdb.query(
    'INSERT INTO job_executions (job_id, scheduled_for, status, started_at, finished_at, duration_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [jobId, scheduledFor, status, finished ? scheduledFor : null, finished, extra.durationMs ?? null, extra.error ?? null],
  );
}

beforeAll(async () => {
  tdb = await createTestDatabase('stats');
  ctx = { ...tdb.ctx, now: () => NOW };
  await insertJob('alpha', 'Alpha', 'active', new Date(NOW.getTime() + 10 * MIN), { type: 'interval', every: { seconds: 1 }, timezone: 'UTC' });
  await insertJob('beta', 'Beta', 'active', new Date(NOW.getTime() + 5 * MIN), { type: 'cron', expression: '*/5 * * * *', timezone: 'Europe/Berlin' });
  await insertJob('gamma', 'Gamma', 'active', new Date(NOW.getTime() + 2 * HOUR), { type: 'interval', every: { hours: 1 }, timezone: 'UTC' });
  // A job has a next fire exactly while it is active (a CHECK constraint of the jobs table).
  await insertJob('delta', 'Delta', 'paused', null, { type: 'interval', every: { minutes: 1 }, timezone: 'UTC' });
  await insertJob('omega', 'Omega', 'completed', null, { type: 'date', runAt: ago(HOUR).toISOString(), timezone: 'UTC' });
});

afterAll(async () => {
  await tdb?.cleanup();
});

describe('overview statistics', () => {
  beforeAll(async () => {
    await insertExecution('alpha', ago(HOUR), 'succeeded', { durationMs: 100 });
    await insertExecution('alpha', ago(2 * HOUR), 'succeeded', { durationMs: 300 });
    await insertExecution('alpha', ago(3 * HOUR), 'succeeded', { durationMs: 200 });
    await insertExecution('alpha', ago(30 * MIN), 'failed', { durationMs: 50, error: 'x'.repeat(500) });
    await insertExecution('alpha', ago(4 * HOUR), 'missed');
    await insertExecution('alpha', ago(5 * HOUR), 'timed_out', { durationMs: 1000, error: 'Timed out after 1000 ms' });
    await insertExecution('alpha', ago(1000), 'running');
    await insertExecution('beta', ago(6 * HOUR), 'interrupted', { error: 'instance died' });
    await insertExecution('beta', ago(24 * HOUR), 'failed', { durationMs: 10, error: 'exactly a day ago' });
    await insertExecution('beta', ago(25 * HOUR), 'failed', { durationMs: 10, error: 'older than a day' });
  });

  it('counts jobs by state', async () => {
    expect(await jobStateCounts(ctx)).toEqual({ active: 3, paused: 1, completed: 1, total: 5 });
  });

  it('counts the executions of the last 24 h by status, the boundary included', async () => {
    const since = ago(24 * HOUR);
    expect(await executionCountsSince(ctx, since)).toEqual({
      since: since.toISOString(),
      counts: { queued: 0, running: 1, succeeded: 3, failed: 2, timed_out: 1, missed: 1, skipped: 0, interrupted: 1 },
      total: 9,
      capped: [],
    });
  });

  it('stops counting a status at the cap and says which statuses were capped', async () => {
    const result = await executionCountsSince(ctx, ago(24 * HOUR), 2);
    expect(result.counts).toEqual({ queued: 0, running: 1, succeeded: 2, failed: 2, timed_out: 1, missed: 1, skipped: 0, interrupted: 1 });
    expect(result.total).toBe(8);
    expect(result.capped).toEqual(['succeeded', 'failed']);
  });

  it('lists the latest failures of any kind, newest first, with the job name and a cut error', async () => {
    const failures = await recentFailures(ctx);
    expect(failures.map((f) => [f.jobName, f.status, f.scheduledFor])).toEqual([
      ['Alpha', 'failed', ago(30 * MIN).toISOString()],
      ['Alpha', 'timed_out', ago(5 * HOUR).toISOString()],
      ['Beta', 'interrupted', ago(6 * HOUR).toISOString()],
      ['Beta', 'failed', ago(24 * HOUR).toISOString()],
      ['Beta', 'failed', ago(25 * HOUR).toISOString()],
    ]);
    expect(failures[0].error).toHaveLength(300);
    expect(failures[0].jobId).toBe('alpha');
    expect(failures[0].finishedAt).toBe(new Date(ago(30 * MIN).getTime() + 50).toISOString());
    expect(failures[2].finishedAt).toBeNull();
    expect((await recentFailures(ctx, 2)).map((f) => f.status)).toEqual(['failed', 'timed_out']);
  });

  it('lists the upcoming runs of active jobs only, soonest first', async () => {
    const upcoming = await upcomingJobRuns(ctx);
    expect(upcoming.map((u) => [u.jobId, u.nextRunAt, u.timezone])).toEqual([
      ['beta', new Date(NOW.getTime() + 5 * MIN).toISOString(), 'Europe/Berlin'],
      ['alpha', new Date(NOW.getTime() + 10 * MIN).toISOString(), 'UTC'],
      ['gamma', new Date(NOW.getTime() + 2 * HOUR).toISOString(), 'UTC'],
    ]);
    expect(upcoming[0].jobName).toBe('Beta');
    expect(upcoming[0].schedule).toMatch(/5 minutes/i);
    expect(await upcomingJobRuns(ctx, 1)).toHaveLength(1);
  });

  it('puts it all together at the context clock', async () => {
    const overview = await overviewStats(ctx);
    expect(overview.readAt).toBe(NOW.toISOString());
    expect(overview.jobs.total).toBe(5);
    expect(overview.last24h.total).toBe(9);
    expect(overview.failures).toHaveLength(5);
    expect(overview.upcoming).toHaveLength(3);
  });
});

describe('per-job charts', () => {
  beforeAll(async () => {
    await tdb.query('DELETE FROM job_executions');
    // In time order, so ids follow scheduled times.
    await insertExecution('gamma', new Date('2026-03-01T23:59:59.999Z'), 'succeeded', { durationMs: 10 });
    await insertExecution('gamma', new Date('2026-03-02T00:00:00.000Z'), 'succeeded', { durationMs: 20 });
    await insertExecution('gamma', new Date('2026-03-02T23:59:59.999Z'), 'failed', { durationMs: 30 });
    await insertExecution('gamma', new Date('2026-03-03T00:00:00.000Z'), 'missed');
    await insertExecution('gamma', new Date('2026-03-10T08:00:00.000Z'), 'succeeded', { durationMs: 40 });
    await insertExecution('gamma', new Date('2026-03-10T09:00:00.000Z'), 'succeeded', { durationMs: 50 });
    await insertExecution('gamma', new Date('2026-03-10T10:00:00.000Z'), 'timed_out', { durationMs: 60 });
    await insertExecution('alpha', new Date('2026-03-10T10:00:00.000Z'), 'succeeded', { durationMs: 999 });
    await insertExecution('gamma', new Date('2026-03-15T11:00:00.000Z'), 'succeeded', { durationMs: 70 });
    await insertExecution('gamma', new Date('2026-03-15T11:30:00.000Z'), 'running');
  });

  it('gives the durations of the latest finished runs, oldest first', async () => {
    const all = await jobDurations(ctx, 'gamma');
    expect(all.map((p) => p.durationMs)).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(all[2]).toMatchObject({ status: 'failed', scheduledFor: '2026-03-02T23:59:59.999Z' });
    expect((await jobDurations(ctx, 'gamma', 3)).map((p) => p.durationMs)).toEqual([50, 60, 70]);
    expect(await jobDurations(ctx, 'no-such-job')).toEqual([]);
  });

  it('counts executions per UTC day for the last 14 days, zeros included', async () => {
    const { days, partialBefore } = await jobDailyCounts(ctx, 'gamma');
    expect(partialBefore).toBeNull();
    expect(days).toHaveLength(14);
    expect(days[0].day).toBe('2026-03-02');
    expect(days[13].day).toBe('2026-03-15');
    const nonZero = Object.fromEntries(
      days
        .map((d) => [d.day, Object.fromEntries(Object.entries(d.counts).filter(([, n]) => n > 0))] as const)
        .filter(([, counts]) => Object.keys(counts).length > 0),
    );
    expect(nonZero).toEqual({
      '2026-03-02': { succeeded: 1, failed: 1 },
      '2026-03-03': { missed: 1 },
      '2026-03-10': { succeeded: 2, timed_out: 1 },
      '2026-03-15': { succeeded: 1, running: 1 },
    });
  });

  it('counts only the latest executions when there are too many, and says from when the counts are whole', async () => {
    const { days, partialBefore } = await jobDailyCounts(ctx, 'gamma', 14, 3);
    expect(partialBefore).toBe('2026-03-10T10:00:00.000Z');
    const byDay = new Map(days.map((d) => [d.day, d.counts]));
    expect(byDay.get('2026-03-10')).toMatchObject({ succeeded: 0, timed_out: 1 });
    expect(byDay.get('2026-03-15')).toMatchObject({ succeeded: 1, running: 1 });
    expect(byDay.get('2026-03-02')).toMatchObject({ succeeded: 0, failed: 0 });
  });

  it('gives empty days for a job without history', async () => {
    const { days, partialBefore } = await jobDailyCounts(ctx, 'no-such-job', 3);
    expect(partialBefore).toBeNull();
    expect(days.map((d) => d.day)).toEqual(['2026-03-13', '2026-03-14', '2026-03-15']);
    expect(days.every((d) => Object.values(d.counts).every((n) => n === 0))).toBe(true);
  });
});

describe('the 24 h summary, its settled hours counted once', () => {
  // 25 minutes past an hour: the window starts within an hour, and the last settled hour ended 25 minutes ago.
  const NOW2 = new Date('2026-03-25T12:25:00.000Z');
  const before = (ms: number) => new Date(NOW2.getTime() - ms);
  let ctx2: SchedulerContext;
  const exact = (at: SchedulerContext) => executionCountsSince(at, new Date(at.now().getTime() - 24 * HOUR));

  beforeAll(async () => {
    ctx2 = { ...tdb.ctx, now: () => NOW2 };
    await insertExecution('alpha', before(24 * HOUR + 1), 'failed'); // just outside
    await insertExecution('alpha', before(24 * HOUR), 'failed'); // the boundary, in the window's first (partial) hour
    await insertExecution('alpha', before(23 * HOUR + 50 * MIN), 'succeeded');
    await insertExecution('alpha', before(12 * HOUR), 'succeeded');
    await insertExecution('alpha', before(2 * HOUR), 'timed_out');
    await insertExecution('alpha', before(40 * MIN), 'missed'); // the last settled hour
    await insertExecution('alpha', before(5 * MIN), 'running'); // counted live
    await insertExecution('alpha', new Date(NOW2.getTime() + HOUR), 'skipped'); // scheduled ahead: counted, as before
  });

  it('gives the same counts as counting the whole window, the boundary included', async () => {
    const summary = await lastDayExecutionCounts(ctx2);
    expect(summary).toEqual(await exact(ctx2));
    expect(summary.counts).toEqual({ queued: 0, running: 1, succeeded: 2, failed: 1, timed_out: 1, missed: 1, skipped: 1, interrupted: 0 });
    expect(summary.since).toBe(before(24 * HOUR).toISOString());
  });

  it('sees new executions of the last minutes at once, and the rest once the hours move on', async () => {
    await lastDayExecutionCounts(ctx2);
    await insertExecution('alpha', before(3 * MIN), 'failed');
    await insertExecution('alpha', before(11 * MIN), 'failed');
    await insertExecution('alpha', before(5 * HOUR), 'interrupted'); // in a settled hour already counted
    const now = await lastDayExecutionCounts(ctx2);
    expect(now.counts.failed).toBe(3);
    expect(now.counts.running).toBe(1);
    const later: SchedulerContext = { ...ctx2, now: () => new Date(NOW2.getTime() + HOUR) };
    expect(await lastDayExecutionCounts(later)).toEqual(await exact(later));
    expect((await lastDayExecutionCounts(later)).counts.interrupted).toBe(1);
  });

  it('stops each status at the cap, settled and live parts together', async () => {
    const capped = await lastDayExecutionCounts(ctx2, 2);
    expect(capped).toEqual(await executionCountsSince(ctx2, before(24 * HOUR), 2));
    expect(capped.capped).toEqual(['succeeded', 'failed']);
  });
});
