import { and, asc, eq, inArray, isNotNull, isNull, lte, min, or, sql } from 'drizzle-orm';
import { dbErrorCode, type Db } from '../db/client';
import { byNextRun, jobExecutions, jobs, type JobRow } from '../db/schema';
import type { ExecutionStatus } from '../lib/schemas';
import { planFire } from './misfire';
import { interruptRuns } from './slots';

/**
 * Claiming queued rows (run-now requests, retries, jittered fires) and the one-job cases of the
 * engine; scheduled fires are claimed in batches by batch-claim.ts. The fire key (job_id,
 * scheduled_for, attempt) is unique: whatever the number of instances, each fire gets one row.
 */

/** Those of the given jobs that are active with a fire at or before `now`, earliest first. */
export async function dueJobs(db: Db, now: Date, jobIds: string[]): Promise<JobRow[]> {
  if (!jobIds.length) return [];
  return db
    .select()
    .from(jobs)
    .where(and(inArray(jobs.id, jobIds), eq(jobs.state, 'active'), lte(jobs.nextRunAt, now)))
    .orderBy(asc(jobs.nextRunAt));
}

/**
 * The earliest planned fire of any active job, or null: the first entry of jobs_next_run_idx (only
 * active jobs have a next fire; the state is checked on the entry).
 */
export async function earliestFire(db: Db): Promise<Date | null> {
  // ORDER BY … LIMIT 1, not MIN(): MIN with a condition on a later column of the index scans all of it.
  const [row] = await db
    .select({ at: jobs.nextRunAt })
    .from(jobs, byNextRun)
    .where(and(eq(jobs.state, 'active'), isNotNull(jobs.nextRunAt)))
    .orderBy(asc(jobs.nextRunAt))
    .limit(1);
  return row?.at ? new Date(row.at) : null;
}

/**
 * Moves a job past its due fire without running it: for a fire whose row exists already (an
 * edit or a clock race), which must never run twice. Conditional on next_run_at still being the
 * fire; returns false when another instance or an edit moved it first.
 */
export async function skipRecordedFire(db: Db, job: JobRow, now: Date): Promise<boolean> {
  const next = planFire(job, now).next;
  const [moved] = await db
    .update(jobs)
    .set({ nextRunAt: next, state: next ? 'active' : 'completed' })
    .where(and(eq(jobs.id, job.id), eq(jobs.state, 'active'), eq(jobs.nextRunAt, job.nextRunAt!)));
  return moved.affectedRows === 1;
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

/**
 * Claims a queued row. A run-now request always runs; a queued scheduled fire (jittered, or a
 * retry) obeys the job as it is now: skipped when the job was paused or max instances is
 * reached. The job row is locked meanwhile, so instances see each other's running counts.
 */
export async function claimQueued(
  db: Db,
  run: QueuedRun,
  now: Date,
  instance: string,
): Promise<{ job: JobRow; started: boolean; status: ExecutionStatus } | null> {
  return db.transaction(async (tx) => {
    const [job] = await tx.select().from(jobs).where(eq(jobs.id, run.jobId)).limit(1).for('update');
    if (!job) return null;
    const mine = and(eq(jobExecutions.id, run.id), eq(jobExecutions.status, 'queued'));
    let skip: string | null = null;
    if (run.kind === 'scheduled') {
      const inProgress = job.runningCount + (await leaseLive(tx, job));
      if (job.state === 'paused') skip = 'Skipped: the job was paused before this queued fire started.';
      else if (inProgress >= job.options.maxInstances) {
        skip = `Skipped: ${inProgress} run(s) still in progress and max instances is ${job.options.maxInstances}.`;
      }
    }
    const [res] = await tx
      .update(jobExecutions)
      .set(skip ? { status: 'skipped', finishedAt: now, instance, error: skip } : { status: 'running', startedAt: now, instance })
      .where(mine);
    if (res.affectedRows !== 1) return null;
    // A run started here is counted on its job (the lease is a batch claim's: see slots.ts).
    await tx
      .update(jobs)
      .set(skip ? { lastRunAt: now, lastStatus: 'skipped' } : { runningCount: sql`${jobs.runningCount} + 1`, lastRunAt: now })
      .where(eq(jobs.id, job.id));
    return { job, started: !skip, status: skip ? 'skipped' : 'running' };
  });
}

/** 1 when the job's lease (slots.ts) is live: the run it names is still `running`; else 0. */
async function leaseLive(tx: Pick<Db, 'select'>, job: JobRow): Promise<number> {
  if (!job.leaseAt) return 0;
  const rows = await tx
    .select({ id: jobExecutions.id })
    .from(jobExecutions)
    .where(and(eq(jobExecutions.jobId, job.id), eq(jobExecutions.scheduledFor, job.leaseAt), eq(jobExecutions.attempt, 1), eq(jobExecutions.status, 'running')))
    .limit(1);
  return rows.length;
}

/**
 * Takes a job whose fire cannot be planned (an error that is not the database's: say a stored
 * trigger this version rejects) out of the loop: pauses it and records a failed row saying why,
 * so one bad job never stalls the others.
 */
export async function quarantineJob(db: Db, job: JobRow, now: Date, instance: string, reason: string): Promise<number | null> {
  return db.transaction(async (tx) => {
    const [moved] = await tx
      .update(jobs)
      .set({ state: 'paused', nextRunAt: null, lastRunAt: now, lastStatus: 'failed' })
      .where(and(eq(jobs.id, job.id), eq(jobs.state, 'active'), eq(jobs.nextRunAt, job.nextRunAt!)));
    if (moved.affectedRows !== 1) return null;
    const [res] = await tx
      .insert(jobExecutions)
      .values({
        jobId: job.id,
        scheduledFor: job.nextRunAt!,
        status: 'failed',
        finishedAt: now,
        instance,
        error: `Could not schedule this job, so it was paused: ${reason}. Fix the job and resume it.`,
      })
      .onDuplicateKeyUpdate({ set: { status: 'failed' } });
    return Number(res.insertId);
  });
}

/** Marks this instance's runs that did not finish by shutdown interrupted (those still `running`); `leased`: those that hold their job's lease. */
export async function markInterrupted(db: Db, ids: number[], now: Date, reason: string, leased: ReadonlySet<number>): Promise<void> {
  await interruptRuns(db, ids, now, reason, true, leased);
}
