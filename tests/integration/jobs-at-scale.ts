import { drizzle } from 'drizzle-orm/mysql2';
import mysql from 'mysql2/promise';
import * as schema from '../../db/schema';
import type { SchedulerContext } from '../../scheduler/context';
import type { TestDatabase } from './helpers';

/** Test plumbing of the jobs list at scale: numbered rows written by one INSERT … SELECT, and reads counted on one connection. */

const DIGITS = `(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)`;

/** A derived table `digits` of one column n = 0 … count − 1 (count at most 10,000), to INSERT … SELECT from. */
export function numbers(count: number): string {
  if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new Error(`numbers(): count is 1 to 10,000, got ${count}`);
  return `(SELECT n FROM (SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d AS n FROM ${DIGITS} a, ${DIGITS} b, ${DIGITS} c, ${DIGITS} e) all_n
           WHERE n < ${count}) digits`;
}

export interface CountingConnection {
  /** A context whose queries all run on the one connection. */
  ctx: SchedulerContext;
  pool: mysql.Pool;
  /** Rows the storage engine handed over (all Handler_read_* counters) while `fn` ran on the connection. */
  rowsRead(fn: () => Promise<unknown>): Promise<number>;
}

/** A one-connection pool on the test database, so its session counters see every query of a call. Close it with `pool.end()`. */
export function countingConnection(tdb: TestDatabase): CountingConnection {
  const pool = mysql.createPool({ uri: tdb.url, timezone: 'Z', connectionLimit: 1 });
  const reads = async () => {
    const [rows] = await pool.query("SHOW SESSION STATUS LIKE 'Handler_read%'");
    return (rows as Array<{ Value: string }>).reduce((sum, r) => sum + Number(r.Value), 0);
  };
  return {
    ctx: { ...tdb.ctx, db: drizzle(pool, { schema, mode: 'default' }) },
    pool,
    async rowsRead(fn) {
      const before = await reads();
      await fn();
      const after = await reads();
      // SHOW STATUS reads rows itself: take one's cost off.
      const showCost = (await reads()) - after;
      return after - before - showCost;
    },
  };
}
