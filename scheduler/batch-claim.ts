import { and, asc, eq, lte } from 'drizzle-orm';
import type { Db } from '../db/client';
import { groupedCase, rawQuery, rawTransaction, SqlInstant, type RawConnection } from '../db/raw';
import { byNextRun, jobs, type JobRow } from '../db/schema';
import { coerceError } from '../lib/errors';
import type { JobState } from '../lib/schemas';
import { insertWithIds, type NewExecution } from './insert-executions';
import { JobDefinitions, lockDueJobs } from './job-definitions';
import { missedText, planFire } from './misfire';

/**
 * Claiming due fires in batches: one transaction per batch instead of one per fire.
 *
 * The transaction locks up to `limit` due jobs with `SELECT … FOR UPDATE SKIP LOCKED`, so two
 * instances claiming at once take disjoint sets and never wait on each other; a locking read sees
 * the latest committed next_run_at, so a fire another instance has claimed is not due any more.
 * Every row of the batch (running, missed, skipped, queued, failed) is one multi-row INSERT under
 * the fire key (job_id, scheduled_for, attempt), the jobs move forward in one UPDATE, and it all
 * commits together: whatever the number of instances, each fire gets exactly one row.
 */



/** A run this instance starts now: its row is `running` and owned by it. */
export interface ClaimedRun {
  /**
   * The job's definition (task, arguments, trigger, options) as this engine last read it in full:
   * the columns claims change (state, next fire, runs in progress, last run) may be older there.
   */
  job: JobRow;
  executionId: number;
  scheduledFor: Date;
}

export interface BatchClaim {
  /** Jobs moved forward (0: nothing was due or everything due was locked elsewhere). */
  claimed: number;
  /** Jobs read and locked (claimed, or left for later: a fire ahead whose slot is taken). */
  locked: number;
  /** The earliest fire left for later (null: none). */
  deferred: Date | null;
  runs: ClaimedRun[];
  /** Jobs whose fire could not be planned (say a stored trigger this version rejects): paused, with a failed row saying why. */
  quarantined: Array<{ job: JobRow; reason: string }>;
}

/**
 * The ids of up to `limit` active jobs with a fire due by `horizon`, earliest first. A plain read
 * (no locks): the claim locks them afterwards by primary key. Locking them through the
 * next_run_at index instead would leave locks on that index's entries of rows skipped
 * as locked by a peer, which then deadlock with the peer's UPDATE of next_run_at.
 */
export async function dueJobIds(db: Db, horizon: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: jobs.id })
    .from(jobs, byNextRun)
    .where(and(eq(jobs.state, 'active'), lte(jobs.nextRunAt, horizon)))
    .orderBy(asc(jobs.nextRunAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

export interface ClaimOptions {
  /** Fires due by then are claimed (`now` plus the engine's lookahead; default `now`). */
  horizon?: Date;
  /** The executions of these jobs that have finished here, their outcome not yet written. */
  finishedHere?: (jobIds: string[]) => number[];
  /** The engine's cache of job definitions (default: none kept between claims). */
  definitions?: JobDefinitions;
}

/**
 * Claims the fires of the given jobs (from dueJobIds) that are still due by `horizon` (`now` plus
 * the engine's lookahead) in one transaction. A fire not yet due is claimed only when it can start
 * (its job has a free instance slot): the engine then starts it on time with a local timer, the
 * database work done ahead. Throws on any database error, the whole batch rolled back (a
 * duplicate fire key included: the caller then claims those jobs one by one).
 */
export async function claimDueBatch(
  db: Db,
  jobIds: string[],
  now: Date,
  instance: string,
  { horizon = now, finishedHere = () => [], definitions = new JobDefinitions() }: ClaimOptions = {},
): Promise<BatchClaim> {
  // READ COMMITTED: the locking read locks only the rows it returns. It reads the latest
  // committed version of each row, so a fire a peer claimed meanwhile is no longer due.
  return rawTransaction(db, 'READ COMMITTED', async (conn) => {
    const due = await lockDueJobs(conn, jobIds, horizon, definitions);
    if (!due.length) return { claimed: 0, locked: 0, deferred: null, runs: [], quarantined: [] };

    const plans = due.map(({ job, nextRunAt, runningCount }) => {
      try {
        // A fire claimed ahead is planned as of its own instant: on time.
        const asOf = nextRunAt > now ? nextRunAt : now;
        return { job, nextRunAt, runningCount, plan: planFire({ nextRunAt, trigger: job.trigger, options: job.options }, asOf), reason: null };
      } catch (err) {
        return { job, nextRunAt, runningCount, plan: null, reason: coerceError(err).message };
      }
    });
    const running = await runningCounts(conn, plans.filter((p) => p.plan?.runAt), finishedHere);

    const rows: NewExecution[] = [];
    const moves: Array<{ id: string; next: Date | null; state: JobState }> = [];
    /** Per job, the index in `rows` of the row that becomes its "last run" now (none when a run starts or waits). */
    const noted = new Map<string, number>();
    const starting: Array<{ job: JobRow; row: number; scheduledFor: Date }> = [];
    const quarantined: BatchClaim['quarantined'] = [];
    let claimed = 0;
    let deferred: Date | null = null;
    for (const { job, nextRunAt, plan, reason } of plans) {
      const ahead = nextRunAt > now;
      if (ahead && plan && (running.get(job.id) ?? 0) >= job.options.maxInstances) {
        // Not due yet and its slot is taken: left for a claim at its instant, when the run in
        // progress may be over (its lock is released at commit, nothing written).
        if (!deferred || nextRunAt < deferred) deferred = nextRunAt;
        continue;
      }
      claimed++;
      if (!plan) {
        const at = nextRunAt;
        rows.push({
          jobId: job.id,
          scheduledFor: at,
          status: 'failed',
          finishedAt: now,
          instance,
          error: `Could not schedule this job, so it was paused: ${reason}. Fix the job and resume it.`,
        });
        moves.push({ id: job.id, next: null, state: 'paused' });
        noted.set(job.id, rows.length - 1);
        quarantined.push({ job, reason: reason! });
        continue;
      }
      moves.push({ id: job.id, next: plan.next, state: plan.next ? 'active' : 'completed' });
      const grace = job.options.misfireGraceMs;
      for (const m of plan.missed) {
        rows.push({
          jobId: job.id,
          scheduledFor: m.at,
          status: 'missed',
          finishedAt: now,
          missedCount: m.count,
          missedUntil: m.until,
          instance,
          error: missedText(m, now, grace, plan.runAt),
        });
        noted.set(job.id, rows.length - 1);
      }
      const at = plan.runAt;
      if (!at) continue;
      const inProgress = running.get(job.id) ?? 0;
      const jitterMs = job.trigger.jitterMs ?? 0;
      if (inProgress >= job.options.maxInstances) {
        rows.push({
          jobId: job.id,
          scheduledFor: at,
          status: 'skipped',
          finishedAt: now,
          instance,
          error: `Skipped: ${inProgress} run(s) still in progress and max instances is ${job.options.maxInstances}.`,
        });
        noted.set(job.id, rows.length - 1);
      } else if (jitterMs > 0) {
        // Jitter: the fire is claimed now and started by whichever engine picks it up after the delay.
        rows.push({ jobId: job.id, scheduledFor: at, status: 'queued', runAfter: new Date(at.getTime() + Math.floor(Math.random() * jitterMs)) });
        noted.delete(job.id);
      } else {
        // started_at: the claim, until the outcome writes when the task really started. (A run
        // claimed ahead whose instance dies before its instant stays "started" at its claim.)
        rows.push({ jobId: job.id, scheduledFor: at, status: 'running', startedAt: now, instance });
        starting.push({ job, row: rows.length - 1, scheduledFor: at });
        noted.delete(job.id);
      }
    }

    if (!moves.length) return { claimed: 0, locked: due.length, deferred, runs: [], quarantined };
    const ids = await insertWithIds(conn, rows);
    await moveJobs(conn, moves, starting.map((s) => s.job.id));
    await noteLastRunsFromRows(conn, [...noted.values()].map((i) => ids[i]));
    const runs = starting.map((s) => ({ job: s.job, scheduledFor: s.scheduledFor, executionId: ids[s.row] }));
    return { claimed, locked: due.length, deferred, runs, quarantined };
  });
}

/**
 * How many runs of each of the given jobs are in progress: the count on its locked row, less the
 * runs this instance knows have finished (their outcome is on its way to the database). Those are
 * checked against their rows: one whose outcome has been committed is already off the count. (Its
 * write cannot commit meanwhile: it also updates the job row, which this transaction holds.)
 */
async function runningCounts(
  conn: RawConnection,
  starting: Array<{ job: JobRow; runningCount: number }>,
  finishedHere: (jobIds: string[]) => number[],
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const { job, runningCount } of starting) if (runningCount > 0) counts.set(job.id, runningCount);
  const pending = counts.size ? finishedHere([...counts.keys()]) : [];
  if (!pending.length) return counts;
  const rows = await rawQuery<Array<{ job_id: string }>>(conn, "SELECT job_id FROM job_executions FORCE INDEX (PRIMARY) WHERE id IN (?) AND status = 'running'", [pending]);
  for (const r of rows) counts.set(r.job_id, counts.get(r.job_id)! - 1);
  return counts;
}

/**
 * Moves claimed jobs to their next fire and state in one UPDATE (values grouped: see groupedCase),
 * and counts the runs starting now on their jobs.
 */
async function moveJobs(conn: RawConnection, moves: Array<{ id: string; next: Date | null; state: JobState }>, started: string[]): Promise<void> {
  const next = groupedCase(moves, (m) => (m.next ? m.next.getTime() : null), (m) => SqlInstant.of(m.next));
  const state = groupedCase(moves, (m) => m.state, (m) => m.state);
  // Every job of the batch starting a run (the usual case) needs no list of which.
  const all = started.length === moves.length;
  const count = !started.length ? '' : all ? ', running_count = running_count + 1' : ', running_count = running_count + (id IN (?))';
  await rawQuery(conn, `UPDATE jobs FORCE INDEX (PRIMARY) SET next_run_at = ${next.sql}, state = ${state.sql}${count} WHERE id IN (?)`, [
    ...next.values,
    ...state.values,
    ...(started.length && !all ? [started] : []),
    moves.map((m) => m.id),
  ]);
}

/**
 * Sets each job's last-run columns from the given execution rows (at most one per job), unless a
 * newer execution is noted there already. One UPDATE joined on the rows' primary keys.
 */
export async function noteLastRunsFromRows(conn: RawConnection, executionIds: number[]): Promise<void> {
  if (!executionIds.length) return;
  await rawQuery(
    conn,
    `UPDATE jobs j JOIN job_executions e ON e.job_id = j.id
        SET j.last_status = e.status, j.last_run_at = COALESCE(e.finished_at, e.started_at), j.last_execution_id = e.id
      WHERE e.id IN (?) AND (j.last_execution_id IS NULL OR j.last_execution_id <= e.id)`,
    [executionIds],
  );
}
