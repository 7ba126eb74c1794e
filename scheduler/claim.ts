import { and, asc, count, eq, inArray, isNull, lte, min, or, sql } from 'drizzle-orm';
import { dbErrorCode, type Db } from '../db/client';
import { jobExecutions, jobs, type JobRow } from '../db/schema';
import { nextFireTime } from './triggers';

/**
 * Claiming fires. A fire belongs to the instance whose transaction both moved the job's
 * next_run_at forward (conditional on the value it read) and inserted the fire's row (unique on
 * job_id, scheduled_for, attempt). Whatever the number of instances, each fire gets one row.
 */

/** Upper bound on how many missed fires are counted one by one before giving up counting. */
const MAX_COUNTED_MISSES = 100_000;
/** With coalesce off, at most this many `missed` rows are written for one catch-up. */
const MAX_MISSED_ROWS = 1000;

export type Claim =
  | { kind: 'run'; executionId: number; job: JobRow; scheduledFor: Date; attempt: number }
  | { kind: 'missed'; executionId: number; job: JobRow; scheduledFor: Date; missedCount: number }
  | { kind: 'skipped'; executionId: number; job: JobRow; scheduledFor: Date };

/** Active jobs whose next fire is at or before `now`, earliest first. */
export async function dueJobs(db: Db, now: Date, limit: number): Promise<JobRow[]> {
  return db
    .select()
    .from(jobs)
    .where(and(eq(jobs.state, 'active'), lte(jobs.nextRunAt, now)))
    .orderBy(asc(jobs.nextRunAt))
    .limit(limit);
}

/** The earliest planned fire of any active job, or null. */
export async function earliestFire(db: Db): Promise<Date | null> {
  const [row] = await db.select({ at: min(jobs.nextRunAt) }).from(jobs).where(eq(jobs.state, 'active'));
  return row?.at ? new Date(row.at) : null;
}

/**
 * Claims the due fire of `job` (its next_run_at). Fires later than the job's misfire grace are
 * recorded as `missed` — one row standing for every fire missed up to now when the job coalesces,
 * else a row per missed fire (capped) — and the
 * job moves on to its first fire after now. Returns null when another instance (or an edit) got
 * there first.
 */
export async function claimFire(db: Db, job: JobRow, now: Date, instance: string): Promise<Claim | null> {
  const scheduledFor = job.nextRunAt!;
  const late = now.getTime() - scheduledFor.getTime();
  const missed = late > job.options.misfireGraceMs;
  let next = nextFireTime(job.trigger, scheduledFor);
  let missedCount = 1;
  let missedUntil = scheduledFor;
  // Without coalesce each missed fire gets its own row, up to MAX_MISSED_ROWS (the last row then stands for the rest).
  const missedFires: Date[] = [scheduledFor];
  if (missed) {
    while (next && next.getTime() <= now.getTime() && missedCount < MAX_COUNTED_MISSES) {
      missedUntil = next;
      missedCount++;
      if (!job.options.coalesce && missedFires.length < MAX_MISSED_ROWS) missedFires.push(next);
      next = nextFireTime(job.trigger, next);
    }
    if (next && next.getTime() <= now.getTime()) next = nextFireTime(job.trigger, now);
  }
  try {
    return await db.transaction(async (tx) => {
      const [moved] = await tx
        .update(jobs)
        .set({ nextRunAt: next, state: next ? 'active' : 'completed' })
        .where(and(eq(jobs.id, job.id), eq(jobs.state, 'active'), eq(jobs.nextRunAt, scheduledFor)));
      if (moved.affectedRows !== 1) return null;
      if (missed) {
        const grace = job.options.misfireGraceMs;
        const rows = job.options.coalesce ? [scheduledFor] : missedFires;
        const [res] = await tx.insert(jobExecutions).values(
          rows.map((at, i) => {
            const last = i === rows.length - 1;
            // The last row stands for every fire not given a row of its own.
            const count = last ? missedCount - (rows.length - 1) : 1;
            const until = last ? missedUntil : at;
            return {
              jobId: job.id,
              scheduledFor: at,
              status: 'missed' as const,
              finishedAt: now,
              missedCount: count,
              missedUntil: until,
              instance,
              error:
                count === 1
                  ? `Missed: ${now.getTime() - at.getTime()} ms late, beyond the misfire grace of ${grace} ms.`
                  : `Missed ${count} fires from ${at.toISOString()} to ${until.toISOString()} (beyond the misfire grace of ${grace} ms).`,
            };
          }),
        );
        // insertId is the first row's id; the newest row is the last one.
        return { kind: 'missed', executionId: Number(res.insertId) + rows.length - 1, job, scheduledFor, missedCount } as const;
      }
      const [{ running }] = await tx
        .select({ running: count() })
        .from(jobExecutions)
        .where(and(eq(jobExecutions.jobId, job.id), eq(jobExecutions.status, 'running')));
      if (running >= job.options.maxInstances) {
        const [res] = await tx.insert(jobExecutions).values({
          jobId: job.id,
          scheduledFor,
          status: 'skipped',
          finishedAt: now,
          instance,
          error: `Skipped: ${running} run(s) still in progress and max instances is ${job.options.maxInstances}.`,
        });
        return { kind: 'skipped', executionId: Number(res.insertId), job, scheduledFor } as const;
      }
      const [res] = await tx.insert(jobExecutions).values({
        jobId: job.id,
        scheduledFor,
        status: 'running',
        startedAt: now,
        instance,
      });
      return { kind: 'run', executionId: Number(res.insertId), job, scheduledFor, attempt: 1 } as const;
    });
  } catch (err) {
    if (dbErrorCode(err) !== 'ER_DUP_ENTRY') throw err;
    // This fire already has its row (a crash between claim and commit elsewhere cannot do this,
    // but a clock or edit race can): never run it twice, just move the job past it.
    await db
      .update(jobs)
      .set({ nextRunAt: next, state: next ? 'active' : 'completed' })
      .where(and(eq(jobs.id, job.id), eq(jobs.state, 'active'), eq(jobs.nextRunAt, scheduledFor)));
    return null;
  }
}

/** A queued row: a run-now request or a retry. */
export interface QueuedRun {
  id: number;
  jobId: string;
  scheduledFor: Date;
  attempt: number;
  kind: 'scheduled' | 'manual';
}

/** Queued rows (run-now requests and retries) whose time has come, oldest first. */
export async function queuedRuns(db: Db, now: Date, limit: number): Promise<QueuedRun[]> {
  return db
    .select({
      id: jobExecutions.id,
      jobId: jobExecutions.jobId,
      scheduledFor: jobExecutions.scheduledFor,
      attempt: jobExecutions.attempt,
      kind: jobExecutions.kind,
    })
    .from(jobExecutions)
    .where(and(eq(jobExecutions.status, 'queued'), or(isNull(jobExecutions.runAfter), lte(jobExecutions.runAfter, now))))
    .orderBy(asc(jobExecutions.id))
    .limit(limit);
}

/** The earliest instant a waiting retry may start, or null. */
export async function earliestQueued(db: Db): Promise<Date | null> {
  const [row] = await db.select({ at: min(jobExecutions.runAfter) }).from(jobExecutions).where(eq(jobExecutions.status, 'queued'));
  return row?.at ? new Date(row.at) : null;
}

/**
 * Queues attempt `attempt + 1` of a failed fire to start after `delayMs`. The fire key makes the
 * retry unique across the cluster; returns false when it exists already.
 */
export async function queueRetry(db: Db, run: QueuedRun, runAfter: Date): Promise<boolean> {
  try {
    await db.insert(jobExecutions).values({
      jobId: run.jobId,
      scheduledFor: run.scheduledFor,
      attempt: run.attempt + 1,
      kind: run.kind,
      status: 'queued',
      runAfter,
    });
    return true;
  } catch (err) {
    if (dbErrorCode(err) === 'ER_DUP_ENTRY' || dbErrorCode(err) === 'ER_NO_REFERENCED_ROW_2') return false;
    throw err;
  }
}

/** Claims a queued run; returns the job when this instance got it. */
export async function claimQueued(db: Db, run: QueuedRun, now: Date, instance: string): Promise<JobRow | null> {
  const [res] = await db
    .update(jobExecutions)
    .set({ status: 'running', startedAt: now, instance })
    .where(and(eq(jobExecutions.id, run.id), eq(jobExecutions.status, 'queued')));
  if (res.affectedRows !== 1) return null;
  const [job] = await db.select().from(jobs).where(eq(jobs.id, run.jobId)).limit(1);
  return job ?? null;
}

/** Marks rows as finished in one statement (used for shutdown and recovery). */
export async function markInterrupted(db: Db, ids: number[], now: Date, reason: string): Promise<void> {
  if (!ids.length) return;
  await db
    .update(jobExecutions)
    .set({
      status: 'interrupted',
      finishedAt: now,
      error: reason,
      durationMs: sql`GREATEST(0, TIMESTAMPDIFF(MICROSECOND, ${jobExecutions.startedAt}, ${now}) DIV 1000)`,
    })
    .where(and(inArray(jobExecutions.id, ids), eq(jobExecutions.status, 'running')));
}
