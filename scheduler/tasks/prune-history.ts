import { z } from 'zod';
import type { Db } from '../../db/client';
import { rawPoolQuery } from '../../db/raw';
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

/**
 * Ids of a batch further apart than this are deleted as separate ranges (the rows between are read,
 * not always deleted). The batch is read summed up in blocks of this many consecutive ids.
 */
const MAX_RANGE_GAP = 64;

/**
 * Ranges [first, last] sorted by first id, joined wherever the next one starts at most `gap` ids
 * after the end of the one before: a batch's blocks as the stretches one statement deletes. (Each
 * block spans fewer than `gap` ids, so this gives the same stretches as walking the ids themselves.)
 */
export function joinRanges(sorted: Array<[number, number]>, gap: number): Array<[number, number]> {
  const joined: Array<[number, number]> = [];
  for (const [first, last] of sorted) {
    const end = joined.at(-1);
    if (end && first - end[1] <= gap) end[1] = Math.max(end[1], last);
    else joined.push([first, last]);
  }
  return joined;
}

/** Rows of the walk after a keyset position (scheduled_for as the server's text, id)… */
const AFTER = ' AND (scheduled_for > ? OR (scheduled_for = ? AND id > ?))';
/** …and up to one, that one included. */
const THROUGH = ' AND (scheduled_for < ? OR (scheduled_for = ? AND id <= ?))';

/**
 * The next batch of a status's walk, summed up by the database in blocks of MAX_RANGE_GAP ids: per
 * block its first and last id, its rows, and the keyset position of its last row in the walk's
 * order, as text that sorts in that order (`<scheduled_for> <id, 20 digits>`). For a batch of
 * nearby ids (the usual case: ids follow time) a few dozen small rows instead of one per old row:
 * the engine's process, where this task runs, allocates almost nothing per row deleted (reading
 * them one by one allocated about as much as the engine's 1,000 fires a second, and the young
 * generation collections that caused could come as fires started). A scattered batch still has
 * its ids read (deleteBatch).
 */
const batchBlocksSql = (after: boolean) => `
  SELECT MIN(id), MAX(id), COUNT(*), MAX(CONCAT(scheduled_for, ' ', LPAD(id, 20, '0')))
    FROM (SELECT id, scheduled_for FROM job_executions FORCE INDEX (job_executions_status_sched_idx)
           WHERE status = ? AND scheduled_for < ?${after ? AFTER : ''} ORDER BY scheduled_for, id LIMIT ?) batch
   GROUP BY id DIV ${MAX_RANGE_GAP} ORDER BY 1`;

/** The statuses retention deletes: running and queued rows stay, however old (their outcome is still to be written). */
const FINISHED = EXECUTION_STATUSES.filter((status) => status !== 'running' && status !== 'queued');

/**
 * How the old rows are found and deleted, batch by batch:
 * 1. for each finished status in turn, the next PRUNE_BATCH ids in (scheduled_for, id) order
 *    before the cutoff, read from the (status, scheduled_for) index alone, starting after the last
 *    row of the previous batch (a keyset, so no batch re-reads the entries the previous ones
 *    deleted and purge has not yet removed — what makes a repeated
 *    `DELETE … WHERE scheduled_for < ? LIMIT n` slow down), summed up by the database as the
 *    batch's stretches of ids (batchBlocksSql);
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
        const blocks = await rawPoolQuery<Array<[number, number, number, string]>>(
          ctx.db,
          { sql: batchBlocksSql(after !== undefined), rowsAsArray: true },
          after ? [status, cutoff, after[1], after[1], after[0], PRUNE_BATCH] : [status, cutoff, PRUNE_BATCH],
        );
        if (blocks.length === 0) break;
        let rows = 0;
        let last = '';
        for (const block of blocks) {
          rows += Number(block[2]);
          if (block[3] > last) last = block[3];
        }
        const from = after;
        const space = last.lastIndexOf(' ');
        after = [Number(last.slice(space + 1)), last.slice(0, space)];
        deleted += await deleteBatch(ctx.db, {
          ranges: joinRanges(
            blocks.map((block) => [Number(block[0]), Number(block[1])]),
            MAX_RANGE_GAP,
          ),
          rows,
          status,
          cutoff,
          from,
          to: after,
        });
        if (rows < PRUNE_BATCH) break;
        batchMs = performance.now() - started;
        await new Promise((resolve) => setTimeout(resolve, batchMs * PAUSE_RATIO));
      }
    }
    ctx.log.info(`deleted ${deleted} execution(s) scheduled before ${cutoff.toISOString()}`);
    return { deleted, cutoff: cutoff.toISOString() };
  },
});

/** A batch of a status's walk: its rows' ids in ranges, and where it starts and ends in the walk. */
interface Batch {
  ranges: Array<[number, number]>;
  rows: number;
  status: string;
  cutoff: Date;
  /** The keyset position (id, scheduled_for text) the batch starts after; none for the first. */
  from: [number, string] | undefined;
  /** The keyset position of its last row. */
  to: [number, string];
}

/**
 * Deletes a batch of old rows; how many went. Ids follow time (a row is inserted when its fire is
 * claimed), so a batch is mostly stretches of the primary key: each is deleted as a range (a third
 * cheaper than a list of its ids), the cutoff and status checked again for the rows between the
 * batch's, which may be newer, running or queued (old finished rows of another status go with
 * them, before that status's walk reaches them). When the ranges would read many rows that are
 * not the batch's, the batch's ids are read (the same stretch of the walk) and listed instead.
 */
async function deleteBatch(db: Db, batch: Batch): Promise<number> {
  const { ranges, rows, status, cutoff, from, to } = batch;
  const covered = ranges.reduce((n, [first, last]) => n + last - first + 1, 0);
  if (covered <= 1.5 * rows) {
    const res = await rawPoolQuery(
      db,
      `DELETE FROM job_executions WHERE (${ranges.map(() => 'id BETWEEN ? AND ?').join(' OR ')})
          AND scheduled_for < ? AND status NOT IN ('running', 'queued')`,
      [...ranges.flat(), cutoff],
    );
    return res.affectedRows;
  }
  const ids = await rawPoolQuery<Array<[number]>>(
    db,
    {
      sql: `SELECT id FROM job_executions FORCE INDEX (job_executions_status_sched_idx)
             WHERE status = ? AND scheduled_for < ?${from ? AFTER : ''}${THROUGH}`,
      rowsAsArray: true,
    },
    [status, cutoff, ...(from ? [from[1], from[1], from[0]] : []), to[1], to[1], to[0]],
  );
  if (ids.length === 0) return 0;
  const res = await rawPoolQuery(db, "DELETE FROM job_executions WHERE id IN (?) AND status NOT IN ('running', 'queued')", [ids.map((row) => row[0])]);
  return res.affectedRows;
}
