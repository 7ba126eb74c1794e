import { and, lt, notInArray } from 'drizzle-orm';
import { z } from 'zod';
import { jobExecutions } from '../../db/schema';
import { defineTask } from '../task';

/** Rows deleted per statement: small enough that no statement holds locks for long. */
const BATCH = 5000;

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
    for (;;) {
      ctx.signal.throwIfAborted();
      const [res] = await ctx.db
        .delete(jobExecutions)
        .where(and(lt(jobExecutions.scheduledFor, cutoff), notInArray(jobExecutions.status, ['running', 'queued'])))
        .limit(BATCH);
      deleted += res.affectedRows;
      if (res.affectedRows < BATCH) break;
      // Let other work (the engine's own claims) in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    ctx.log.info(`deleted ${deleted} execution(s) scheduled before ${cutoff.toISOString()}`);
    return { deleted, cutoff: cutoff.toISOString() };
  },
});
