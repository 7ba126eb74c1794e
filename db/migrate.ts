import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { drizzle } from 'drizzle-orm/mysql2';
import { migrate } from 'drizzle-orm/mysql2/migrator';
import { dbErrorCode } from './client';
import { indexUnindexedJobs } from './job-words';

/** Next to this file; a bundle of it (scripts/scheduler.mjs) says where they are instead. */
const migrationsFolder = process.env.CRONBOARD_MIGRATIONS_DIR ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Splits mysql://user:pw@host:port/db into the server URL and the database name. */
export function parseDatabaseUrl(url: string): { serverUrl: string; database: string } {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_$]+$/.test(database)) {
    throw new Error(`DATABASE_URL must name a database (letters, digits, _), got "${database}".`);
  }
  u.pathname = '/';
  return { serverUrl: u.toString(), database };
}

/**
 * Creates the database when missing, applies the committed migrations and indexes the search
 * words of jobs that have none (db/job-words.ts). Safe to run from several processes at once: a
 * named lock (GET_LOCK) serialises the migrations, and the migrator skips what is applied, so a
 * second run changes nothing; another lock lets one process at a time index words.
 */
export async function prepareDatabase(url: string, folder = migrationsFolder): Promise<void> {
  const { serverUrl, database } = parseDatabaseUrl(url);
  const server = await mysql.createConnection({ uri: serverUrl, timezone: 'Z', connectTimeout: 10_000 });
  try {
    await server.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await server.end();
  }
  const conn = await mysql.createConnection({ uri: url, timezone: 'Z', multipleStatements: false, connectTimeout: 10_000 });
  const lock = `cronboard_migrate_${database}`;
  const wordsLock = `cronboard_words_${database}`;
  try {
    const [rows] = await conn.query('SELECT GET_LOCK(?, 60) AS got', [lock]);
    if ((rows as Array<{ got: number }>)[0]?.got !== 1) {
      throw new Error(`Timed out waiting for another process to finish migrating ${database}.`);
    }
    await migrate(drizzle(conn), { migrationsFolder: folder });
    await conn.query('SELECT RELEASE_LOCK(?)', [lock]);
    // Jobs written by SQL outside Cronboard, and every job once migration 0009 has made the
    // table (an older set of migrations, in tests, has none). Not under the migrations' lock: on
    // a big table it takes a while (20–30 s for 100,000 jobs), and processes starting beside
    // it would time out waiting. One process at a time: one that finds another indexing goes on
    // (that one indexes until no job is left without words).
    const [indexing] = await conn.query('SELECT GET_LOCK(?, 0) AS got', [wordsLock]);
    if ((indexing as Array<{ got: number }>)[0]?.got === 1) {
      await indexUnindexedJobs(drizzle(conn)).catch((err: unknown) => {
        if (dbErrorCode(err) !== 'ER_NO_SUCH_TABLE') throw err;
      });
    }
  } finally {
    await conn.query('SELECT RELEASE_LOCK(?), RELEASE_LOCK(?)', [lock, wordsLock]).catch(() => {});
    await conn.end();
  }
}

/** Drops a database (tests only). */
export async function dropDatabase(url: string): Promise<void> {
  const { serverUrl, database } = parseDatabaseUrl(url);
  const server = await mysql.createConnection({ uri: serverUrl });
  try {
    await server.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await server.end();
  }
}
