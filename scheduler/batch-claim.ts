import type { Db } from '../db/client';
import { rawQuery, rawTransaction, rowMapper, type RawConnection } from '../db/raw';
import { jobExecutions, jobs, type JobRow } from '../db/schema';
import { coerceError } from '../lib/errors';
import type { JobState } from '../lib/schemas';
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

type NewExecution = typeof jobExecutions.$inferInsert;

const jobRows = rowMapper(jobs);

/** A run this instance starts now: its row is `running` and owned by it. */
export interface ClaimedRun {
  job: JobRow;
  executionId: number;
  scheduledFor: Date;
}

export interface BatchClaim {
  /** Jobs locked and moved forward (0: nothing was due or everything due was locked elsewhere). */
  claimed: number;
  runs: ClaimedRun[];
  /** Jobs whose fire could not be planned (say a stored trigger this version rejects): paused, with a failed row saying why. */
  quarantined: Array<{ job: JobRow; reason: string }>;
}

/** Rows per INSERT statement (a coalesce-off catch-up can write many missed rows for one job). */
const INSERT_CHUNK = 1000;

const fireKey = (jobId: string, at: Date, attempt: number | undefined = 1) => `${jobId}\u0000${at.getTime()}\u0000${attempt}`;

/**
 * Claims up to `limit` due fires in one transaction. Throws on any database error, the whole
 * batch rolled back (a duplicate fire key included: the caller then claims those jobs one by one).
 */
export async function claimDueBatch(db: Db, now: Date, instance: string, limit: number): Promise<BatchClaim> {
  // READ COMMITTED: the locking read locks only the rows it returns (no gap locks that would
  // block a job being created or edited meanwhile).
  return rawTransaction(db, 'READ COMMITTED', async (conn) => {
    const raw = await rawQuery<Array<Record<string, unknown>>>(
      conn,
      `SELECT ${jobRows.columns} FROM jobs WHERE state = 'active' AND next_run_at <= ? ORDER BY next_run_at LIMIT ? FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    if (!raw.length) return { claimed: 0, runs: [], quarantined: [] };
    const due = raw.map(jobRows.map);

    const plans = due.map((job) => {
      try {
        return { job, plan: planFire(job, now), reason: null };
      } catch (err) {
        return { job, plan: null, reason: coerceError(err).message };
      }
    });
    const running = await runningCounts(conn, plans.filter((p) => p.plan?.runAt).map((p) => p.job.id));

    const rows: NewExecution[] = [];
    const moves: Array<{ id: string; next: Date | null; state: JobState }> = [];
    /** Per job, the key of the row that becomes its "last run" now (none when a run starts or waits). */
    const noted = new Map<string, string>();
    const starting: Array<{ job: JobRow; key: string; scheduledFor: Date }> = [];
    const quarantined: BatchClaim['quarantined'] = [];
    for (const { job, plan, reason } of plans) {
      if (!plan) {
        const at = job.nextRunAt!;
        rows.push({
          jobId: job.id,
          scheduledFor: at,
          status: 'failed',
          finishedAt: now,
          instance,
          error: `Could not schedule this job, so it was paused: ${reason}. Fix the job and resume it.`,
        });
        moves.push({ id: job.id, next: null, state: 'paused' });
        noted.set(job.id, fireKey(job.id, at));
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
        noted.set(job.id, fireKey(job.id, m.at));
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
        noted.set(job.id, fireKey(job.id, at));
      } else if (jitterMs > 0) {
        // Jitter: the fire is claimed now and started by whichever engine picks it up after the delay.
        rows.push({ jobId: job.id, scheduledFor: at, status: 'queued', runAfter: new Date(at.getTime() + Math.floor(Math.random() * jitterMs)) });
        noted.delete(job.id);
      } else {
        rows.push({ jobId: job.id, scheduledFor: at, status: 'running', startedAt: now, instance });
        starting.push({ job, key: fireKey(job.id, at), scheduledFor: at });
        noted.delete(job.id);
      }
    }

    const ids = await insertWithIds(conn, rows);
    await moveJobs(conn, moves);
    await noteLastRunsFromRows(conn, [...noted.values()].map((k) => ids.get(k)!));
    const runs = starting.map((s) => ({ job: s.job, scheduledFor: s.scheduledFor, executionId: ids.get(s.key)! }));
    return { claimed: due.length, runs, quarantined };
  });
}

/** How many `running` rows each of the given jobs has. */
async function runningCounts(conn: RawConnection, jobIds: string[]): Promise<Map<string, number>> {
  if (!jobIds.length) return new Map();
  const rows = await rawQuery<Array<{ job_id: string; running: number }>>(
    conn,
    "SELECT job_id, COUNT(*) AS running FROM job_executions WHERE status = 'running' AND job_id IN (?) GROUP BY job_id",
    [jobIds],
  );
  return new Map(rows.map((r) => [r.job_id, Number(r.running)]));
}

const INSERT_COLUMNS = ['jobId', 'scheduledFor', 'attempt', 'status', 'startedAt', 'finishedAt', 'instance', 'error', 'missedCount', 'missedUntil', 'runAfter'] as const;
const INSERT_SQL = `INSERT INTO job_executions (${INSERT_COLUMNS.map((k) => `\`${jobExecutions[k].name}\``).join(', ')}) VALUES ?`;

/**
 * Inserts the rows and returns their ids by fire key. MySQL has no INSERT … RETURNING; the rows of
 * one INSERT usually get consecutive ids (auto-increment lock modes 0 and 1), so the first rows
 * from the insert id on, read by primary key, are checked against the keys. When they don't match
 * (lock mode 2 with concurrent inserts), the ids are read by fire key, one scheduled instant at a
 * time (a row-constructor IN list of hundreds of tuples costs the optimizer far more).
 */
async function insertWithIds(conn: RawConnection, rows: NewExecution[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    const res = await rawQuery(conn, INSERT_SQL, [chunk.map((r) => INSERT_COLUMNS.map((k) => r[k] ?? (k === 'attempt' ? 1 : null)))]);
    const found = await rawQuery<Array<{ id: number; job_id: string; scheduled_for: Date; attempt: number }>>(
      conn,
      'SELECT id, job_id, scheduled_for, attempt FROM job_executions WHERE id >= ? ORDER BY id LIMIT ?',
      [res.insertId, chunk.length],
    );
    const byKey = new Map(found.map((f) => [fireKey(f.job_id, f.scheduled_for, f.attempt), Number(f.id)]));
    const keys = chunk.map((r) => fireKey(r.jobId, r.scheduledFor, r.attempt));
    if (keys.every((k) => byKey.has(k))) {
      for (const k of keys) ids.set(k, byKey.get(k)!);
      continue;
    }
    const byInstant = new Map<number, Set<string>>();
    for (const r of chunk) {
      const at = r.scheduledFor.getTime();
      if (!byInstant.has(at)) byInstant.set(at, new Set());
      byInstant.get(at)!.add(r.jobId);
    }
    for (const [at, jobIds] of byInstant) {
      const rowsAt = await rawQuery<Array<{ id: number; job_id: string; attempt: number }>>(
        conn,
        'SELECT id, job_id, attempt FROM job_executions WHERE scheduled_for = ? AND job_id IN (?)',
        [new Date(at), [...jobIds]],
      );
      for (const f of rowsAt) ids.set(fireKey(f.job_id, new Date(at), f.attempt), Number(f.id));
    }
    for (const k of keys) if (!ids.has(k)) throw new Error(`the claimed fire ${k.replace(/\u0000/g, ' ')} has no row after its insert`);
  }
  return ids;
}

/**
 * Moves claimed jobs to their next fire and state in one UPDATE. Jobs sharing a value are grouped
 * (`CASE WHEN id IN (…) THEN …`: MySQL searches an IN list of constants by bisection), so a batch
 * of jobs firing together costs one comparison per row, not one per job.
 */
async function moveJobs(conn: RawConnection, moves: Array<{ id: string; next: Date | null; state: JobState }>): Promise<void> {
  const next = groupedCase(moves, (m) => (m.next ? m.next.getTime() : null), (m) => m.next);
  const state = groupedCase(moves, (m) => m.state, (m) => m.state);
  await rawQuery(conn, `UPDATE jobs SET next_run_at = ${next.sql}, state = ${state.sql} WHERE id IN (?)`, [
    ...next.values,
    ...state.values,
    moves.map((m) => m.id),
  ]);
}

function groupedCase<T extends { id: string }>(items: T[], key: (t: T) => unknown, value: (t: T) => unknown): { sql: string; values: unknown[] } {
  const groups = new Map<unknown, { value: unknown; ids: string[] }>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.ids.push(item.id);
    else groups.set(k, { value: value(item), ids: [item.id] });
  }
  const values = [...groups.values()].flatMap((g) => [g.ids, g.value]);
  return { sql: `CASE ${'WHEN id IN (?) THEN ? '.repeat(groups.size)}END`, values };
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
