import type { Db } from '../db/client';
import { groupedCase, rawQuery, rawTransaction, type RawConnection } from '../db/raw';
import type { ExecutionStatus } from '../lib/schemas';

/**
 * A job's runs in progress, as a claim reads them from the job row it locks (counting `running`
 * rows instead costs a read of every run in progress per batch, and a busy engine claiming ahead
 * has thousands of them):
 *
 * - its lease (`jobs.lease_at`): the run a batch claim started last, named by its fire instant;
 *   its row is the fire key (job id, lease_at, attempt 1). It holds a slot while that row is
 *   `running`, so its outcome writes nothing to the job: at thousands of fires a second, that
 *   UPDATE of the job after every run was the biggest single cost left in the database. A claim
 *   asks the engine that started it (LeaseBook) or, when that is another engine, reads the row.
 *   A claim takes a new lease only when the old one is free: a live lease is never replaced.
 * - `jobs.running_count`: every other run in progress (run-now requests, retries, jittered fires,
 *   and a claim's run started while the lease is held, with max instances above 1), counted in the
 *   transactions that start them (+1) and finish them (−1 when a `running` row gets its outcome
 *   or is marked interrupted).
 */

/** What an engine knows of a lease it took: its run is `running`, or over (outcome known), or unknown here. */
export type LeaseState = 'running' | 'done' | undefined;

/** Entries kept at most (beyond, the book starts again: a lease it no longer knows is read from its row). */
const MAX_LEASES = 200_000;

/**
 * The leases this engine took, by job: the fire instant, positive while its run is in progress
 * here, negative once it is over (its outcome known, written or on its way). One number per job.
 */
export class LeaseBook {
  private readonly byJob = new Map<string, number>();

  started(jobId: string, at: number): void {
    if (this.byJob.size >= MAX_LEASES && !this.byJob.has(jobId)) this.byJob.clear();
    this.byJob.set(jobId, at);
  }

  finished(jobId: string, at: number): void {
    if (this.byJob.get(jobId) === at) this.byJob.set(jobId, -at);
  }

  state(jobId: string, at: number): LeaseState {
    const known = this.byJob.get(jobId);
    return known === at ? 'running' : known === -at ? 'done' : undefined;
  }
}

/**
 * The jobs among `leases` whose lease is live: its run is still in progress. Known here (`known`),
 * or read from the rows by fire key, one statement per instant (the jobs of a batch mostly share
 * their last fire's instant).
 */
export async function liveLeases(
  conn: RawConnection,
  leases: Array<{ jobId: string; at: number }>,
  known: (jobId: string, at: number) => LeaseState = () => undefined,
): Promise<Set<string>> {
  const live = new Set<string>();
  const unknown = new Map<number, string[]>();
  for (const { jobId, at } of leases) {
    const state = known(jobId, at);
    if (state === 'running') live.add(jobId);
    else if (state === undefined) {
      const ids = unknown.get(at);
      if (ids) ids.push(jobId);
      else unknown.set(at, [jobId]);
    }
  }
  for (const [at, jobIds] of unknown) {
    const rows = await rawQuery<Array<{ job_id: string }>>(
      conn,
      "SELECT job_id FROM job_executions FORCE INDEX (job_executions_fire_uq) WHERE job_id IN (?) AND scheduled_for = ? AND attempt = 1 AND status = 'running'",
      [jobIds, new Date(at)],
    );
    for (const r of rows) live.add(r.job_id);
  }
  return live;
}

/**
 * Locks the given executions that are still `running` and returns them, each saying whether it
 * is its job's lease (the others are counted on their job): the rows whose slot the caller's
 * transaction frees (a row already finished or interrupted by someone else frees none). A row
 * tells its lease exactly unless the engine that owns it has let a claim take a new one (its run
 * over, its outcome not yet written): that engine says so itself (interruptRuns' `leased`).
 */
export async function lockRunning(conn: RawConnection, executionIds: number[]): Promise<Array<{ id: number; jobId: string; leased: boolean }>> {
  if (!executionIds.length) return [];
  const rows = await rawQuery<Array<{ id: number; job_id: string; leased: number }>>(
    conn,
    `SELECT e.id, e.job_id, COALESCE(e.attempt = 1 AND e.scheduled_for = j.lease_at, 0) AS leased
       FROM job_executions e FORCE INDEX (PRIMARY) LEFT JOIN jobs j ON j.id = e.job_id
      WHERE e.id IN (?) AND e.status = 'running' FOR UPDATE`,
    [executionIds],
  );
  return rows.map((r) => ({ id: Number(r.id), jobId: r.job_id, leased: Boolean(Number(r.leased)) }));
}

/** How many of the rows belong to each job. */
export function countByJob(rows: Array<{ jobId: string }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.jobId, (counts.get(r.jobId) ?? 0) + 1);
  return counts;
}

/** Takes finished runs off their jobs' counts (never below 0). */
export async function releaseSlots(conn: RawConnection, perJob: Map<string, number>): Promise<void> {
  if (!perJob.size) return;
  const items = [...perJob].map(([id, n]) => ({ id, n }));
  const minus = groupedCase(items, (i) => i.n, (i) => i.n);
  await rawQuery(conn, `UPDATE jobs FORCE INDEX (PRIMARY) SET running_count = GREATEST(running_count - ${minus.sql}, 0) WHERE id IN (?)`, [
    ...minus.values,
    items.map((i) => i.id),
  ]);
}

/**
 * Notes each job's last recorded outcome (`jobs.last_status`, which the jobs list filters by),
 * writing only the jobs where it changes: a job's runs mostly end as the one before, so an
 * outcome usually reads its job's row and writes nothing. One UPDATE per status.
 */
export async function noteLastStatuses(conn: RawConnection, statusByJob: Map<string, ExecutionStatus>): Promise<void> {
  const byStatus = new Map<ExecutionStatus, string[]>();
  for (const [jobId, status] of statusByJob) {
    const ids = byStatus.get(status);
    if (ids) ids.push(jobId);
    else byStatus.set(status, [jobId]);
  }
  for (const [status, jobIds] of byStatus) {
    await rawQuery(conn, 'UPDATE jobs FORCE INDEX (PRIMARY) SET last_status = ? WHERE id IN (?) AND NOT (last_status <=> ?)', [status, jobIds, status]);
  }
}

/**
 * Marks the given executions interrupted, those still `running`, and frees their slots. `reason`
 * may say `{instance}`: the instance that owned the run. With `withDuration`, the row's duration
 * is the time from its start until `now` (an engine's own shutdown; a run recovered after a crash
 * has no known duration). Which runs hold their job's lease is told by `leased` (an engine's own
 * runs) or else by the rows (lockRunning). Returns how many rows it changed.
 */
export async function interruptRuns(
  db: Db,
  executionIds: number[],
  now: Date,
  reason: string,
  withDuration = false,
  leased?: ReadonlySet<number>,
): Promise<number> {
  if (!executionIds.length) return 0;
  return rawTransaction(db, 'READ COMMITTED', async (conn) => {
    const running = await lockRunning(conn, executionIds);
    if (!running.length) return 0;
    const duration = withDuration ? ', duration_ms = GREATEST(0, TIMESTAMPDIFF(MICROSECOND, started_at, ?) DIV 1000)' : '';
    await rawQuery(
      conn,
      `UPDATE job_executions FORCE INDEX (PRIMARY) SET status = 'interrupted', finished_at = ?, error = REPLACE(?, '{instance}', COALESCE(instance, '?'))${duration} WHERE id IN (?)`,
      [now, reason, ...(withDuration ? [now] : []), running.map((r) => r.id)],
    );
    await releaseSlots(conn, countByJob(running.filter((r) => !(leased ? leased.has(r.id) : r.leased))));
    await noteLastStatuses(conn, new Map(running.map((r) => [r.jobId, 'interrupted' as const])));
    return running.length;
  });
}
