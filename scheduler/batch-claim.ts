import { and, asc, eq, lte } from 'drizzle-orm';
import type { Db } from '../db/client';
import { groupedAssignment, groupedCase, rawQuery, rawTransaction, SqlInstant, type RawConnection } from '../db/raw';
import { byNextRun, jobs, type JobRow } from '../db/schema';
import { coerceError } from '../lib/errors';
import type { ExecutionStatus, JobState } from '../lib/schemas';
import { insertWithIds, type NewExecution } from './insert-executions';
import { JobDefinitions, lockDueJobs } from './job-definitions';
import { missedText, planFire } from './misfire';
import { liveLeases, type LeaseState } from './slots';

/**
 * Claiming due fires in batches: one transaction per batch instead of one per fire.
 *
 * The transaction locks up to `limit` due jobs with `SELECT … FOR UPDATE SKIP LOCKED`, so two
 * instances claiming at once take disjoint sets and never wait on each other; a locking read sees
 * the latest committed next_run_at, so a fire another instance has claimed is not due any more.
 * Every row of the batch (running, missed, skipped, queued, failed) is one multi-row INSERT under
 * the fire key (job_id, scheduled_for, attempt), the jobs move forward in one UPDATE (next fire,
 * state, slots, last run), and it all commits together: whatever the number of instances, each
 * fire gets exactly one row.
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
  /** The run holds its job's lease (slots.ts); otherwise it is counted on the job's running_count. */
  leased: boolean;
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
  /** The counted executions of these jobs that have finished here, their outcome not yet written. */
  finishedHere?: (jobIds: string[]) => number[];
  /** What this engine knows of a job's lease (a LeaseBook's state); unknown ones are read from their rows. */
  leases?: (jobId: string, at: number) => LeaseState;
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
  { horizon = now, finishedHere = () => [], leases, definitions = new JobDefinitions() }: ClaimOptions = {},
): Promise<BatchClaim> {
  // READ COMMITTED: the locking read locks only the rows it returns. It reads the latest
  // committed version of each row, so a fire a peer claimed meanwhile is no longer due.
  return rawTransaction(db, 'READ COMMITTED', async (conn) => {
    const due = await lockDueJobs(conn, jobIds, horizon, definitions);
    if (!due.length) return { claimed: 0, locked: 0, deferred: null, runs: [], quarantined: [] };

    const plans = due.map(({ job, nextRunAt, runningCount, leaseAt }) => {
      try {
        // A fire claimed ahead is planned as of its own instant: on time.
        const asOf = nextRunAt > now ? nextRunAt : now;
        return { job, nextRunAt, runningCount, leaseAt, plan: planFire({ nextRunAt, trigger: job.trigger, options: job.options }, asOf), reason: null };
      } catch (err) {
        return { job, nextRunAt, runningCount, leaseAt, plan: null, reason: coerceError(err).message };
      }
    });
    const toStart = plans.filter((p) => p.plan?.runAt);
    const running = await runningCounts(conn, toStart, finishedHere);
    const leased = await liveLeases(
      conn,
      toStart.flatMap((p) => (p.leaseAt === null ? [] : [{ jobId: p.job.id, at: p.leaseAt }])),
      leases,
    );
    // Runs in progress: the counted ones and a live lease.
    for (const id of leased) running.set(id, (running.get(id) ?? 0) + 1);

    const rows: NewExecution[] = [];
    const moves: Move[] = [];
    const starting: Array<{ job: JobRow; row: number; scheduledFor: Date; leased: boolean }> = [];
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
        moves.push({ id: job.id, next: null, state: 'paused', lastRunAt: now, lastStatus: 'failed' });
        quarantined.push({ job, reason: reason! });
        continue;
      }
      const move: Move = { id: job.id, next: plan.next, state: plan.next ? 'active' : 'completed' };
      moves.push(move);
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
        move.lastRunAt = now;
        move.lastStatus = 'missed';
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
        move.lastRunAt = now;
        move.lastStatus = 'skipped';
      } else if (jitterMs > 0) {
        // Jitter: the fire is claimed now and started by whichever engine picks it up after the
        // delay (which notes it as the job's last run).
        rows.push({ jobId: job.id, scheduledFor: at, status: 'queued', runAfter: new Date(at.getTime() + Math.floor(Math.random() * jitterMs)) });
        move.lastRunAt = move.lastStatus = undefined;
      } else {
        // started_at: the claim, until the outcome writes when the task really started. (A run
        // claimed ahead whose instance dies before its instant stays "started" at its claim.)
        rows.push({ jobId: job.id, scheduledFor: at, status: 'running', startedAt: now, instance });
        // The job's lease when that is free; else (max instances above 1) the run is counted.
        const lease = !leased.has(job.id);
        starting.push({ job, row: rows.length - 1, scheduledFor: at, leased: lease });
        if (lease) move.lease = at;
        else move.counted = true;
        move.lastRunAt = at;
        move.lastStatus = undefined;
      }
    }

    if (!moves.length) return { claimed: 0, locked: due.length, deferred, runs: [], quarantined };
    const ids = await insertWithIds(conn, rows);
    await moveJobs(conn, moves);
    const runs = starting.map((s) => ({ job: s.job, scheduledFor: s.scheduledFor, executionId: ids[s.row], leased: s.leased }));
    return { claimed, locked: due.length, deferred, runs, quarantined };
  });
}

/**
 * How many counted runs (not leases: see slots.ts) of each of the given jobs are in progress: the
 * count on its locked row, less the runs this instance knows have finished (their outcome is on
 * its way to the database). Those are checked against their rows: one whose outcome has been
 * committed is already off the count. (Its write cannot commit meanwhile: it also updates the job
 * row, which this transaction holds.)
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

/** A claimed job's change: its next fire and state, and what the claim started or recorded. */
interface Move {
  id: string;
  next: Date | null;
  state: JobState;
  /** The fire instant of the run that takes the job's lease. */
  lease?: Date;
  /** A run started while the lease is held: one more on running_count. */
  counted?: boolean;
  /** The job's last run as of this claim: its newest fire started or recorded (kept when unset). */
  lastRunAt?: Date;
  /** The status of the newest row the claim recorded finished (missed, skipped, failed); kept when unset. */
  lastStatus?: ExecutionStatus;
}

/**
 * A job's last run (`jobs.last_run_at`, which the jobs list sorts by) moves forward only when it
 * leaves the span of this many milliseconds its stored value is in: a job firing every second
 * moves its entry of that index once in ten fires. Keeping it to the millisecond cost the
 * database about 6 µs per fire, a tenth of its work at 20,000 fires a second.
 */
export const LAST_RUN_STEP_MS = 10_000;

/**
 * `last_run_at = …` for the moves that note a last run: the new instant, unless the stored one is
 * already in the same span of LAST_RUN_STEP_MS (then it stays, an earlier fire of that span).
 * So the value is always the instant of a real fire, at most LAST_RUN_STEP_MS older than the
 * newest. A job that fires less often than that has its exact last run.
 */
function lastRunAssignment(moves: Move[]): { sql: string; values: unknown[] } {
  const noting = moves.filter((m) => m.lastRunAt);
  if (!noting.length) return { sql: '', values: [] };
  const key = (m: Move) => m.lastRunAt!.getTime();
  const at = groupedCase(noting, key, (m) => SqlInstant.of(m.lastRunAt));
  const spanStart = groupedCase(noting, key, (m) => SqlInstant.of(new Date(key(m) - (key(m) % LAST_RUN_STEP_MS))));
  const value = `IF(last_run_at >= ${spanStart.sql}, last_run_at, ${at.sql})`;
  if (noting.length === moves.length) return { sql: `last_run_at = ${value}`, values: [...spanStart.values, ...at.values] };
  return { sql: `last_run_at = IF(id IN (?), ${value}, last_run_at)`, values: [noting.map((m) => m.id), ...spanStart.values, ...at.values] };
}

/**
 * Moves claimed jobs in one UPDATE (values grouped: see groupedCase): to their next fire and
 * state, to their new lease or one more counted run, and to their last run. None of the
 * assignments reads a column another one assigns, so their order does not matter.
 */
async function moveJobs(conn: RawConnection, moves: Move[]): Promise<void> {
  const next = groupedCase(moves, (m) => (m.next ? m.next.getTime() : null), (m) => SqlInstant.of(m.next));
  const state = groupedCase(moves, (m) => m.state, (m) => m.state);
  const sets = [
    { sql: `next_run_at = ${next.sql}`, values: next.values },
    { sql: `state = ${state.sql}`, values: state.values },
    groupedAssignment('lease_at', moves, (m) => m.lease?.getTime(), (m) => SqlInstant.of(m.lease)),
    lastRunAssignment(moves),
    groupedAssignment('last_status', moves, (m) => m.lastStatus, (m) => m.lastStatus),
  ].filter((a) => a.sql);
  const counted = moves.filter((m) => m.counted).map((m) => m.id);
  if (counted.length) {
    sets.push(counted.length === moves.length ? { sql: 'running_count = running_count + 1', values: [] } : { sql: 'running_count = running_count + (id IN (?))', values: [counted] });
  }
  await rawQuery(conn, `UPDATE jobs FORCE INDEX (PRIMARY) SET ${sets.map((a) => a.sql).join(', ')} WHERE id IN (?)`, [
    ...sets.flatMap((a) => a.values),
    moves.map((m) => m.id),
  ]);
}
