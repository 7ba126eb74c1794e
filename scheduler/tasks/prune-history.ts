import { and, asc, eq, gt, inArray, lt, notInArray, or } from 'drizzle-orm';
import { z } from 'zod';
import { jobExecutions } from '../../db/schema';
import { defineTask } from '../task';

/**
 * Rows deleted per statement: small enough that no statement holds its row locks for long (a
 * batch takes tens of milliseconds), large enough to delete tens of thousands of rows a second.
 */
export const PRUNE_BATCH = 5000;

/**
 * How the old rows are found and deleted, batch by batch:
 * 1. the next PRUNE_BATCH ids in (scheduled_for, id) order before the cutoff, read from the
 *    job_executions_sched_idx index alone, starting after the last row of the previous batch (a
 *    keyset, so no batch re-reads the entries the previous ones deleted and purge has not yet
 *    removed — what makes a repeated `DELETE … WHERE scheduled_for < ? LIMIT n` slow down);
 * 2. `DELETE … WHERE id IN (…)` in primary-key order: only those rows are locked, never a range,
 *    so the engine's inserts of new fires are never blocked by the retention run.
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
    let after: { scheduledFor: Date; id: number } | undefined;
    for (;;) {
      ctx.signal.throwIfAborted();
      const batch = await ctx.db
        .select({ id: jobExecutions.id, scheduledFor: jobExecutions.scheduledFor })
        .from(jobExecutions)
        .where(
          and(
            lt(jobExecutions.scheduledFor, cutoff),
            after && or(gt(jobExecutions.scheduledFor, after.scheduledFor), and(eq(jobExecutions.scheduledFor, after.scheduledFor), gt(jobExecutions.id, after.id))),
          ),
        )
        .orderBy(asc(jobExecutions.scheduledFor), asc(jobExecutions.id))
        .limit(PRUNE_BATCH);
      if (batch.length === 0) break;
      after = batch[batch.length - 1];
      const ids = batch.map((r) => r.id).sort((a, b) => a - b);
      // Running and queued rows stay (their outcome is still to be written), however old.
      const [res] = await ctx.db.delete(jobExecutions).where(and(inArray(jobExecutions.id, ids), notInArray(jobExecutions.status, ['running', 'queued'])));
      deleted += res.affectedRows;
      if (batch.length < PRUNE_BATCH) break;
      // Let other work (the engine's own claims) in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    ctx.log.info(`deleted ${deleted} execution(s) scheduled before ${cutoff.toISOString()}`);
    return { deleted, cutoff: cutoff.toISOString() };
  },
});
