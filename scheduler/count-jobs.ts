import { sql, type SQL } from 'drizzle-orm';
import { jobs } from '../db/schema';
import type { SchedulerContext } from './context';

export type Counted = { total: number; totalExact: boolean };

/** Jobs matching `where`, counted up to `cap` (an index range read through a LIMIT); beyond it `cap`, not exact. */
export async function countJobs(ctx: SchedulerContext, where: SQL | undefined, cap = Infinity): Promise<Counted> {
  const base = ctx.db.select({ one: sql`1` }).from(jobs).where(where);
  const counted = Number.isFinite(cap) ? base.limit(cap + 1).as('c') : base.as('c');
  const [{ n }] = await ctx.db.select({ n: sql<number>`COUNT(*)` }).from(counted);
  const total = Number(n);
  return total > cap ? { total: cap, totalExact: false } : { total, totalExact: true };
}
