import { drizzle, type MySql2Database } from 'drizzle-orm/mysql2';
import mysql from 'mysql2/promise';
import * as schema from './schema';

export type Db = MySql2Database<typeof schema>;

interface DbHandle {
  url: string;
  pool: mysql.Pool;
  db: Db;
}

/**
 * Pools live on globalThis: Next gives instrumentation and each route module their own copy of
 * this file, and dev hot reload re-evaluates it; one pool per URL per process is the invariant.
 */
const g = globalThis as unknown as { __cronboardDb?: Map<string, DbHandle> };

/** Opens (or reuses) the pool for `url`. */
export function connect(url: string, connectionLimit = 10): DbHandle {
  g.__cronboardDb ??= new Map();
  const existing = g.__cronboardDb.get(url);
  if (existing) return existing;
  const pool = mysql.createPool({
    uri: url,
    timezone: 'Z',
    connectionLimit,
    maxIdle: connectionLimit,
    enableKeepAlive: true,
    dateStrings: false,
    supportBigNumbers: true,
    connectTimeout: 5000,
  });
  pool.on('connection', (conn) => {
    // An idle connection that dies (server restart) must not crash the process.
    conn.on('error', () => {});
  });
  const handle = { url, pool, db: drizzle(pool, { schema, mode: 'default' }) };
  g.__cronboardDb.set(url, handle);
  return handle;
}

/** Closes the pool for `url`, if open. */
export async function disconnect(url: string): Promise<void> {
  const handle = g.__cronboardDb?.get(url);
  if (!handle) return;
  g.__cronboardDb!.delete(url);
  await handle.pool.end().catch(() => {});
}

/** The mysql2 error code behind a drizzle error ("ER_DUP_ENTRY", "ECONNREFUSED"...). */
export function dbErrorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

const TRANSIENT = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', 'ER_QUERY_INTERRUPTED']);

/**
 * True for errors that say the database is (for now) unreachable or busy — network errors,
 * lost connections, deadlocks — as opposed to errors about a particular row or statement.
 */
export function isTransientDbError(err: unknown): boolean {
  const code = dbErrorCode(err);
  if (code) return /^E[A-Z]+$/.test(code) || code.startsWith('PROTOCOL_') || TRANSIENT.has(code);
  const text = err instanceof Error ? `${err.message} ${err.cause instanceof Error ? err.cause.message : ''}` : '';
  return /Pool is closed|connect|Connection lost/i.test(text);
}
