import { z } from 'zod';
import type { Db } from '../../db/client';
import { rawPoolQuery } from '../../db/raw';
import { nearbyRuns } from '../../lib/nearby';
import { EXECUTION_STATUSES } from '../../lib/schemas';
import { defineTask } from '../task';

/**
 * Rows deleted per statement: small enough that a statement takes the database a few tens of
 * milliseconds (the engine's claims wait behind it at most that long), large enough to delete
 * tens of thousands of rows a second.
 */
export const PRUNE_BATCH = 2000;
/**
 * After each batch, a pause of this fraction of the batch's time: the engine and the dashboard get
 * the database (and this process) in between, so retention keeps a database connection busy at
 * most two thirds of the time, and still deletes more than 30,000 rows a second on a 2-core
 * machine (npm run bench:dashboard).
 */
const PAUSE_RATIO = 0.5;

/** Ids of a batch further apart than this are deleted as separate ranges (the rows between are read, not always deleted). */
const MAX_RANGE_GAP = 64;

/** Sorted ids as [first, last] ranges, a new one wherever two ids are more than `gap` apart. */
export function idRanges(sorted: number[], gap: number): Array<[number, number]> {
  return nearbyRuns(sorted, (id) => id, gap).map((run) => [run[0], run.at(-1)!]);
}

/** The statuses retention deletes: running and queued rows stay, however old (their outcome is still to be written). */
const FINISHED = EXECUTION_STATUSES.filter((status) => status !== 'running' && status !== 'queued');

/**
 * How the old rows are found and deleted, batch by batch:
 * 1. for each finished status in turn, the next PRUNE_BATCH ids in (scheduled_for, id) order
 *    before the cutoff, read from the (status, scheduled_for) index alone, starting after the last
 *    row of the previous batch (a keyset, so no batch re-reads the entries the previous ones
 *    deleted and purge has not yet removed — what makes a repeated
 *    `DELETE … WHERE scheduled_for < ? LIMIT n` slow down);
 * 2. `DELETE … WHERE id BETWEEN first AND last OR …` (or `id IN (…)` when the ids are scattered):
 *    stretches of old rows, far below the newest ids, so the engine's inserts of new fires (at
 *    the end of the primary key) are never blocked by the retention run.
 * Each batch waits for a quiet moment of the engine first (ctx.quiet: not during a claim turn,
 * nor just before fires start), so the deletes run between the engine's bursts of work.
 * Plain mysql2 (db/raw.ts): this task runs inside the engine's process, and building statements
 * of thousands of values through the query builder would hold its event loop (and the fires
 * due meanwhile) for tens of milliseconds a batch.
 */
export const pruneHistory = defineTask({
  name: 'system.prune-history',
  title: 'Prune execution history',
  description: 'Deletes finished executions older than the given number of days, in small batches so the table is never locked for long.',
  args: z.strictObject({
    olderThanDays: z.number().int().min(1).max(36_500).describe('Delete executions scheduled more than this many days ago.'),
  }),
  async run({ olderThanDays }, ctx) {
    const cutoff = new Date(ctx.scheduledFor.getTime() - olderThanDays * 86_400_000);
    let deleted = 0;
    let batchMs = 50;
    for (const status of FINISHED) {
      let after: [number, string] | undefined;
      for (;;) {
        // Between the engine's bursts (claims, fires starting): a batch that could overlap one (twice
        // the last batch's time: batches vary) waits for it to pass.
        await ctx.quiet?.(2 * batchMs + 10);
        ctx.signal.throwIfAborted();
        const started = performance.now();
        // Rows as [id, scheduled_for] with the instant as the server's text (a keyset value sent
        // back as it came): no object and no Date per row, in the process that starts the fires.
        const batch = await rawPoolQuery<Array<[number, string]>>(
          ctx.db,
          {
            sql: `SELECT id, scheduled_for FROM job_executions FORCE INDEX (job_executions_status_sched_idx)
                   WHERE status = ? AND scheduled_for < ?${after ? ' AND (scheduled_for > ? OR (scheduled_for = ? AND id > ?))' : ''}
                   ORDER BY scheduled_for, id LIMIT ?`,
            rowsAsArray: true,
            dateStrings: true,
          },
          after ? [status, cutoff, after[1], after[1], after[0], PRUNE_BATCH] : [status, cutoff, PRUNE_BATCH],
        );
        if (batch.length === 0) break;
        after = batch[batch.length - 1];
        deleted += await deleteBatch(ctx.db, batch.map((row) => Number(row[0])).sort((a, b) => a - b), cutoff);
        if (batch.length < PRUNE_BATCH) break;
        batchMs = performance.now() - started;
        await new Promise((resolve) => setTimeout(resolve, batchMs * PAUSE_RATIO));
      }
    }
    ctx.log.info(`deleted ${deleted} execution(s) scheduled before ${cutoff.toISOString()}`);
    return { deleted, cutoff: cutoff.toISOString() };
  },
});

/**
 * Deletes a batch of old rows by their sorted ids; how many went. Ids follow time (a row is
 * inserted when its fire is claimed), so a batch is mostly stretches of the primary key: each is
 * deleted as a range (a third cheaper than a list of its ids), the cutoff and status checked again
 * for the rows between the batch's, which may be newer, running or queued (old finished rows of
 * another status go with them, before that status's walk reaches them). When the ranges would
 * read many rows that are not the batch's, the ids are listed instead.
 */
async function deleteBatch(db: Db, ids: number[], cutoff: Date): Promise<number> {
  const ranges = idRanges(ids, MAX_RANGE_GAP);
  const covered = ranges.reduce((n, [first, last]) => n + last - first + 1, 0);
  const res =
    covered <= 1.5 * ids.length
      ? await rawPoolQuery(
          db,
          `DELETE FROM job_executions WHERE (${ranges.map(() => 'id BETWEEN ? AND ?').join(' OR ')})
              AND scheduled_for < ? AND status NOT IN ('running', 'queued')`,
          [...ranges.flat(), cutoff],
        )
      : await rawPoolQuery(db, "DELETE FROM job_executions WHERE id IN (?) AND status NOT IN ('running', 'queued')", [ids]);
  return res.affectedRows;
}
