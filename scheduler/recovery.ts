import { and, eq, gte, lt, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { jobExecutions, schedulerInstances } from '../db/schema';
import { interruptRuns } from './slots';

/** Heartbeats: each engine keeps its row fresh; survivors recover a dead one's running rows. */

/**
 * Writes (or refreshes) this instance's heartbeat row. last_seen_at is the database's clock, so
 * instances on hosts whose clocks disagree still judge each other's heartbeats correctly.
 */
export async function heartbeat(db: Db, instance: { id: string; host: string; pid: number; startedAt: Date }): Promise<void> {
  await db
    .insert(schedulerInstances)
    .values({ ...instance, lastSeenAt: sql`CURRENT_TIMESTAMP(3)` })
    .onDuplicateKeyUpdate({ set: { lastSeenAt: sql`CURRENT_TIMESTAMP(3)` } });
}

/** Removes this instance's heartbeat (clean shutdown). */
export async function removeHeartbeat(db: Db, id: string): Promise<void> {
  await db.delete(schedulerInstances).where(eq(schedulerInstances.id, id));
}

/**
 * Marks `running` rows interrupted when their instance has not heartbeat for `staleMs` (or has
 * no heartbeat row at all) and they started before that. Returns how many rows it changed.
 */
export async function recoverDeadInstances(db: Db, now: Date, staleMs: number): Promise<number> {
  const cutoff = new Date(now.getTime() - staleMs);
  const dbCutoff = sql`CURRENT_TIMESTAMP(3) - INTERVAL ${staleMs * 1000} MICROSECOND`;
  const alive = db.select({ id: schedulerInstances.id }).from(schedulerInstances).where(gte(schedulerInstances.lastSeenAt, dbCutoff));
  const ids = await candidates(db, and(eq(jobExecutions.status, 'running'), lt(jobExecutions.startedAt, cutoff), notInArray(jobExecutions.instance, alive))!);
  const changed = await interruptRuns(db, ids, now, 'Interrupted: instance {instance} stopped before the run finished (no heartbeat).');
  // Forget instances that have been dead for a day.
  await db.delete(schedulerInstances).where(lt(schedulerInstances.lastSeenAt, new Date(now.getTime() - 24 * 3_600_000)));
  return changed;
}

/**
 * Marks this instance's own `running` rows interrupted when no run of this process owns them:
 * a claim whose commit reached the database while its answer was lost (an outage mid-commit)
 * would otherwise stay `running` for ever while the instance keeps heartbeating.
 */
export async function recoverOrphans(db: Db, instance: string, owned: number[], now: Date, minAgeMs: number): Promise<number> {
  const conditions = [
    eq(jobExecutions.status, 'running'),
    eq(jobExecutions.instance, instance),
    lt(jobExecutions.startedAt, new Date(now.getTime() - minAgeMs)),
  ];
  if (owned.length) conditions.push(notInArray(jobExecutions.id, owned));
  const ids = await candidates(db, and(...conditions)!);
  return interruptRuns(db, ids, now, 'Interrupted: the claim of this run was committed while the database connection failed, so the run never started.');
}

/**
 * Finds rows with a plain (non-locking) read first: most beats find none and write nothing, so
 * recovery never takes range locks that could deadlock with the engine's claims.
 */
async function candidates(db: Db, where: SQL): Promise<number[]> {
  const rows = await db.select({ id: jobExecutions.id }).from(jobExecutions).where(where).limit(1000);
  return rows.map((r) => r.id);
}
