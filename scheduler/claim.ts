import { and, asc, count, eq, inArray, lte, min, sql } from 'drizzle-orm';
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
 * recorded as one `missed` row standing for every fire missed up to now (coalesced), and the
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
  if (missed) {
    while (next && next.getTime() <= now.getTime() && missedCount < MAX_COUNTED_MISSES) {
      missedUntil = next;
      missedCount++;
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
        const [res] = await tx.insert(jobExecutions).values({
          jobId: job.id,
          scheduledFor,
          status: 'missed',
          finishedAt: now,
          missedCount,
          missedUntil,
          instance,
          error:
            missedCount === 1
              ? `Missed: started ${late} ms late, beyond the misfire grace of ${job.options.misfireGraceMs} ms.`
              : `Missed ${missedCount} fires from ${scheduledFor.toISOString()} to ${missedUntil.toISOString()} (beyond the misfire grace of ${job.options.misfireGraceMs} ms).`,
        });
        return { kind: 'missed', executionId: Number(res.insertId), job, scheduledFor, missedCount } as const;
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

/** Run-now requests (queued rows), oldest first. */
export async function queuedRuns(db: Db, limit: number): Promise<Array<{ id: number; jobId: string }>> {
  return db
    .select({ id: jobExecutions.id, jobId: jobExecutions.jobId })
    .from(jobExecutions)
    .where(eq(jobExecutions.status, 'queued'))
    .orderBy(asc(jobExecutions.id))
    .limit(limit);
}

/** Claims a queued run; returns the job when this instance got it. */
export async function claimQueued(db: Db, executionId: number, jobId: string, now: Date, instance: string): Promise<JobRow | null> {
  const [res] = await db
    .update(jobExecutions)
    .set({ status: 'running', startedAt: now, instance })
    .where(and(eq(jobExecutions.id, executionId), eq(jobExecutions.status, 'queued')));
  if (res.affectedRows !== 1) return null;
  const [job] = await db.select().from(jobs).where(eq(jobs.id, jobId)).limit(1);
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
