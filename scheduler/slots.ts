import type { Db } from '../db/client';
import { groupedCase, rawQuery, rawTransaction, type RawConnection } from '../db/raw';

/**
 * A job's runs in progress are counted on its row (jobs.running_count), in the transactions that
 * start runs (+1 with the claim's `running` row) and finish them (−1 when a `running` row gets its
 * outcome or is marked interrupted). A claim reads the count from the job row it locks anyway:
 * counting `running` rows instead costs a read of every run in progress per batch, and a busy
 * engine claiming ahead has thousands of them.
 */

/**
 * Locks the given executions that are still `running` and returns them: the rows whose slot the
 * caller's transaction frees (a row already finished or interrupted by someone else frees none).
 */
export async function lockRunning(conn: RawConnection, executionIds: number[]): Promise<Array<{ id: number; jobId: string }>> {
  if (!executionIds.length) return [];
  const rows = await rawQuery<Array<{ id: number; job_id: string }>>(
    conn,
    "SELECT id, job_id FROM job_executions FORCE INDEX (PRIMARY) WHERE id IN (?) AND status = 'running' FOR UPDATE",
    [executionIds],
  );
  return rows.map((r) => ({ id: Number(r.id), jobId: r.job_id }));
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
 * Marks the given executions interrupted, those still `running`, and frees their slots. `reason`
 * may say `{instance}`: the instance that owned the run. With `withDuration`, the row's duration
 * is the time from its start until `now` (an engine's own shutdown; a run recovered after a crash
 * has no known duration). Returns how many rows it changed.
 */
export async function interruptRuns(db: Db, executionIds: number[], now: Date, reason: string, withDuration = false): Promise<number> {
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
    await releaseSlots(conn, countByJob(running));
    return running.length;
  });
}
