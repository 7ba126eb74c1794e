import { getTableColumns, type Table } from 'drizzle-orm';
import mysql from 'mysql2/promise';
import type { Db } from './client';
import { memo } from '../lib/memo';

/**
 * Plain mysql2 for the engine's hot path. Building a statement of hundreds of rows through
 * Drizzle's query builder costs more CPU than the database spends running it (measured: about
 * 60 ms of the 80 ms of a 500-fire claim), so batch claims and batch records write their SQL
 * here, with mysql2's escaping (`?` placeholders; an array expands to a list, an array of arrays
 * to VALUES rows). Everything else goes through Drizzle.
 */

export type RawConnection = Pick<mysql.PoolConnection, 'query'>;

/** The mysql2 pool (or connection) behind a Drizzle database. */
function clientOf(db: Db): mysql.Pool | mysql.Connection {
  const client = (db as unknown as { $client?: mysql.Pool | mysql.Connection }).$client;
  if (!client) throw new Error('this Drizzle database has no mysql2 client');
  return client;
}

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ';

/** A deadlock victim is rolled back whole; its transaction is run again this often before giving up. */
const DEADLOCK_RETRIES = 3;

/**
 * Runs `fn` in a transaction on one connection of the pool; rolls back when it throws. A
 * transaction chosen as a deadlock victim is run again (`fn` must only compute from what it
 * reads), a few times, before the error is passed on.
 */
export async function rawTransaction<T>(db: Db, isolation: IsolationLevel, fn: (conn: RawConnection) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transactionOnce(db, isolation, fn);
    } catch (err) {
      if ((err as { code?: string }).code !== 'ER_LOCK_DEADLOCK' || attempt > DEADLOCK_RETRIES) throw err;
    }
  }
}

async function transactionOnce<T>(db: Db, isolation: IsolationLevel, fn: (conn: RawConnection) => Promise<T>): Promise<T> {
  const client = clientOf(db);
  const pooled = 'getConnection' in client;
  const conn = pooled ? await (client as mysql.Pool).getConnection() : (client as mysql.Connection);
  try {
    await conn.query(`SET TRANSACTION ISOLATION LEVEL ${isolation}`);
    await conn.query('START TRANSACTION');
    try {
      const result = await fn(conn);
      await conn.query('COMMIT');
      return result;
    } catch (err) {
      await conn.query('ROLLBACK').catch(() => {});
      throw err;
    }
  } finally {
    if (pooled) (conn as mysql.PoolConnection).release();
  }
}

/**
 * The database session behind a connection handle: mysql2's promise API hands out a new wrapper
 * for the same session at each getConnection, so per-session facts are kept by what it wraps.
 */
export function sessionOf(conn: RawConnection): object {
  return (conn as { connection?: object }).connection ?? conn;
}

/** Runs one statement on a connection of the pool, outside any transaction. */
export async function rawPoolQuery<T = mysql.ResultSetHeader>(db: Db, sql: string | mysql.QueryOptions, values: unknown[] = []): Promise<T> {
  return rawQuery<T>(clientOf(db) as RawConnection, sql, values);
}

/** Runs one statement; returns the rows (SELECT) or the result header (INSERT, UPDATE). */
export async function rawQuery<T = mysql.ResultSetHeader>(conn: RawConnection, sql: string | mysql.QueryOptions, values: unknown[] = []): Promise<T> {
  const [result] = await conn.query(typeof sql === 'string' ? { sql } : sql, values);
  return result as T;
}

/**
 * Turns raw rows of `table` (database column names, driver values) into the objects Drizzle's
 * select would return (property names, mapped values: JSON parsed, dates as Date).
 */
export function rowMapper<T extends Table>(table: T): { columns: string; map: (raw: Record<string, unknown>) => T['$inferSelect'] } {
  const entries = Object.entries(getTableColumns(table));
  const columns = entries.map(([, c]) => `\`${c.name}\``).join(', ');
  return {
    columns,
    map: (raw) => {
      const out: Record<string, unknown> = {};
      for (const [key, column] of entries) {
        const value = raw[column.name];
        // Drizzle's own queries ask mysql2 for DATETIME as text; plain mysql2 gives a Date already.
        out[key] = value === null || value === undefined ? null : value instanceof Date ? value : column.mapFromDriverValue(value);
      }
      return out as T['$inferSelect'];
    },
  };
}

/**
 * `CASE WHEN id IN (…) THEN ? … END` for a multi-row UPDATE whose WHERE selects exactly `items`
 * (`column`: the key column's name as the statement knows it):
 * items sharing a value are grouped (MySQL searches an IN list of constants by bisection), so a
 * batch of rows moving together costs one comparison per row, not one per item. When they all
 * share one value it is just `?` (no list to send, parse or search). Returns the SQL and its
 * values, in order.
 */
export function groupedCase<T extends { id: string }>(
  items: T[],
  key: (t: T) => unknown,
  value: (t: T) => unknown,
  column = 'id',
  /** SQL for the rows not among `items` (`CASE … ELSE otherwise END`); then there is always a CASE. */
  otherwise?: string,
): { sql: string; values: unknown[] } {
  const groups = new Map<unknown, { value: unknown; ids: string[] }>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.ids.push(item.id);
    else groups.set(k, { value: value(item), ids: [item.id] });
  }
  if (groups.size === 1 && otherwise === undefined) return { sql: '?', values: [[...groups.values()][0].value] };
  const values = [...groups.values()].flatMap((g) => [g.ids, g.value]);
  return { sql: `CASE ${`WHEN ${column} IN (?) THEN ? `.repeat(groups.size)}${otherwise === undefined ? '' : `ELSE ${otherwise} `}END`, values };
}

/**
 * An assignment `target = …` for a multi-row UPDATE whose WHERE selects exactly `items`, by
 * groupedCase, where an item whose key is `undefined` keeps its row's value. Empty (no
 * assignment) when every item keeps it.
 */
export function groupedAssignment<T extends { id: string }>(
  target: string,
  items: T[],
  key: (t: T) => unknown,
  value: (t: T) => unknown,
): { sql: string; values: unknown[] } {
  const changing = items.filter((i) => key(i) !== undefined);
  if (!changing.length) return { sql: '', values: [] };
  if (changing.length === items.length) {
    const all = groupedCase(items, key, value);
    return { sql: `${target} = ${all.sql}`, values: all.values };
  }
  const some = groupedCase(changing, key, value, 'id', target);
  return { sql: `${target} = ${some.sql}`, values: some.values };
}

/**
 * An instant as a SQL literal (`'YYYY-MM-DD HH:MM:SS.mmm'`, UTC, as the pool writes a Date),
 * formatted once per millisecond and shared: mysql2 formats every Date it escapes anew (a copy of
 * the Date and a dozen string pieces), and the engine's batches send the same few instants (a
 * scheduled second, a claim's clock) hundreds of times a statement.
 */
export class SqlInstant {
  private constructor(
    readonly ms: number,
    private readonly literal: string,
  ) {}

  /**
   * The literals made, by millisecond: instants of a few seconds around now are what is asked
   * for, so the cache starts again when full. The pool's own formatting (timezone 'Z'), so a
   * literal is exactly what the Date would give.
   */
  private static readonly byMs = memo(20_000, (ms: number) => new SqlInstant(ms, mysql.escape(new Date(ms), false, 'Z')));

  /** The literal of `date` (null stays null, for SQL NULL). */
  static of(date: Date | null | undefined): SqlInstant | null {
    return date ? SqlInstant.byMs(date.getTime()) : null;
  }

  /** What mysql2's escaping writes for this value. */
  toSqlString(): string {
    return this.literal;
  }
}
