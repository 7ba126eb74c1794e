import { and, count, desc, eq, gte, sql } from 'drizzle-orm';
import { jobExecutions, jobs, schedulerInstances } from '../db/schema';
import { listExecutionsQuerySchema } from '../lib/schemas';
import type { Execution, InstanceInfo, Page } from '../lib/types';
import type { SchedulerContext } from './context';
import { toExecution } from './serialize';
import { parseInput } from './validate';
import { NotFoundError } from '../lib/errors';
import { env } from '../lib/env';

/** An instance whose heartbeat is older than three beats is considered dead (as recovery does). */
const staleMs = () => 3 * env().SCHEDULER_HEARTBEAT_MS;

/** A job's executions are counted up to this many; beyond it `total` is this number and `totalExact` false. */
export const EXECUTION_COUNT_CAP = 10_000;

/**
 * GET /api/jobs/{id}/executions: newest first (by scheduled instant, then attempt: the fire
 * key's order), optional status filter. 404 for an unknown job. Rows come from the fire key's
 * index; the total is counted up to EXECUTION_COUNT_CAP rows.
 */
export async function listExecutions(ctx: SchedulerContext, jobId: string, query: unknown): Promise<Page<Execution>> {
  const q = parseInput(listExecutionsQuerySchema, query, 'query');
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const [job] = await ctx.db.select({ id: jobs.id }).from(jobs).where(eq(jobs.id, jobId)).limit(1);
  if (!job) throw new NotFoundError(`No job with id "${jobId}".`);
  const where = q.status ? and(eq(jobExecutions.jobId, jobId), eq(jobExecutions.status, q.status)) : eq(jobExecutions.jobId, jobId);
  const [rows, [{ total }]] = await Promise.all([
    ctx.db
      .select()
      .from(jobExecutions)
      .where(where)
      .orderBy(desc(jobExecutions.scheduledFor), desc(jobExecutions.attempt))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    ctx.db
      .select({ total: count() })
      .from(ctx.db.select({ one: sql`1` }).from(jobExecutions).where(where).limit(EXECUTION_COUNT_CAP + 1).as('c')),
  ]);
  const exact = Number(total) <= EXECUTION_COUNT_CAP;
  return { items: rows.map(toExecution), total: exact ? Number(total) : EXECUTION_COUNT_CAP, totalExact: exact, page, pageSize };
}

/** GET a single execution (for "run now" follow-up and tests). */
export async function getExecution(ctx: SchedulerContext, id: number): Promise<Execution> {
  const [row] = await ctx.db.select().from(jobExecutions).where(eq(jobExecutions.id, id)).limit(1);
  if (!row) throw new NotFoundError(`No execution with id ${id}.`);
  return toExecution(row);
}

/** Scheduler instances that heartbeat recently (alive) or not long ago (dead), newest first. */
export async function listInstances(ctx: SchedulerContext): Promise<InstanceInfo[]> {
  const now = ctx.now().getTime();
  const rows = await ctx.db
    .select()
    .from(schedulerInstances)
    .where(gte(schedulerInstances.lastSeenAt, new Date(now - 24 * 3_600_000)))
    .orderBy(desc(schedulerInstances.lastSeenAt));
  return rows.map((r) => ({
    id: r.id,
    host: r.host,
    pid: r.pid,
    startedAt: r.startedAt.toISOString(),
    lastSeenAt: r.lastSeenAt.toISOString(),
    alive: now - r.lastSeenAt.getTime() < staleMs(),
  }));
}

/** GET /api/health: is the database reachable, and is any scheduler alive? Never throws. */
export async function health(ctx: SchedulerContext): Promise<{ status: 'ok' | 'degraded'; database: 'up' | 'down'; scheduler: { instancesAlive: number } }> {
  try {
    await ctx.db.execute(sql`SELECT 1`);
    const alive = (await listInstances(ctx)).filter((i) => i.alive).length;
    return { status: alive > 0 ? 'ok' : 'degraded', database: 'up', scheduler: { instancesAlive: alive } };
  } catch {
    return { status: 'degraded', database: 'down', scheduler: { instancesAlive: 0 } };
  }
}
