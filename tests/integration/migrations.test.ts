import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, prepareDatabase } from '../../db/migrate';
import { ROOT, SERVER, wrongRunningCounts } from './helpers';

/**
 * Upgrading a database that holds jobs: migrations up to a given one (a copy of the folder cut
 * there), rows written as that version could, then the current migrations.
 */

const MIGRATIONS = path.join(ROOT, 'db/migrations');

/** A copy of the migrations folder holding the migrations up to `lastIdx` only. */
function migrationsUpTo(lastIdx: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cronboard-migrations-'));
  mkdirSync(path.join(dir, 'meta'));
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ idx: number; tag: string }> };
  journal.entries = journal.entries.filter((e) => e.idx <= lastIdx);
  for (const { idx, tag } of journal.entries) {
    copyFileSync(path.join(MIGRATIONS, `${tag}.sql`), path.join(dir, `${tag}.sql`));
    const snapshot = `${String(idx).padStart(4, '0')}_snapshot.json`;
    if (readdirSync(path.join(MIGRATIONS, 'meta')).includes(snapshot)) copyFileSync(path.join(MIGRATIONS, 'meta', snapshot), path.join(dir, 'meta', snapshot));
  }
  writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify(journal, null, 2));
  return dir;
}

/**
 * A database of its own, migrated up to `lastIdx` before the tests of the describe block that
 * calls this, and dropped after them: its URL, and a connection to it once made.
 */
function databaseAt(lastIdx: number): { url: string; conn: () => mysql.Connection } {
  const url = `${SERVER}/cronboard_test_migrations_${randomBytes(4).toString('hex')}`;
  let conn: mysql.Connection | undefined;
  let older: string | undefined;
  beforeAll(async () => {
    older = migrationsUpTo(lastIdx);
    await prepareDatabase(url, older);
    conn = await mysql.createConnection({ uri: url, timezone: 'Z' });
  });
  afterAll(async () => {
    await conn?.end();
    await dropDatabase(url);
    if (older) rmSync(older, { recursive: true, force: true });
  });
  return { url, conn: () => conn! };
}

describe('migration 0006 (a next fire exactly while active)', () => {
  const at5 = databaseAt(5);

  it('mends the jobs that disagree, then enforces it', async () => {
    const { url } = at5;
    const conn = at5.conn();
    const next = new Date('2030-01-01T00:00:00Z');
    const rows: Array<[string, string, Date | null]> = [
      ['paused-with-next', 'paused', next],
      ['completed-with-next', 'completed', next],
      ['active-without-next', 'active', null],
      ['active-ok', 'active', next],
      ['paused-ok', 'paused', null],
    ];
    for (const [id, state, at] of rows) {
      await conn.query("INSERT INTO jobs (id, name, task, args, `trigger`, state, next_run_at, options) VALUES (?, ?, 'log.message', '{}', '{}', ?, ?, '{}')", [id, id, state, at]);
    }
    await prepareDatabase(url);
    const [after] = await conn.query('SELECT id, state, next_run_at FROM jobs ORDER BY id');
    expect(after).toEqual([
      { id: 'active-ok', state: 'active', next_run_at: next },
      // An active job without a next fire would never run: paused, for someone to resume.
      { id: 'active-without-next', state: 'paused', next_run_at: null },
      { id: 'completed-with-next', state: 'completed', next_run_at: null },
      { id: 'paused-ok', state: 'paused', next_run_at: null },
      { id: 'paused-with-next', state: 'paused', next_run_at: null },
    ]);
    await expect(conn.query("UPDATE jobs SET next_run_at = NOW(3) WHERE id = 'paused-ok'")).rejects.toThrow(/jobs_next_run_active_chk/);
    // Applying the migrations again changes nothing.
    await prepareDatabase(url);
    expect((await conn.query('SELECT id, state, next_run_at FROM jobs ORDER BY id'))[0]).toEqual(after);
  });
});

describe('migration 0007 (slot leases)', () => {
  const at6 = databaseAt(6);

  it('keeps the runs in progress counted, with no lease, and drops last_execution_id', async () => {
    const url7 = at6.url;
    const conn7 = at6.conn();
    const at = new Date('2030-01-01T00:00:00Z');
    await conn7.query(
      "INSERT INTO jobs (id, name, task, args, `trigger`, state, next_run_at, options, running_count, last_status, last_run_at) VALUES ('busy', 'busy', 'log.message', '{}', '{}', 'active', ?, '{}', 1, 'succeeded', ?)",
      [at, at],
    );
    await conn7.query("INSERT INTO job_executions (job_id, scheduled_for, status, started_at) VALUES ('busy', ?, 'running', ?)", [at, at]);
    await conn7.query("UPDATE jobs SET last_execution_id = LAST_INSERT_ID() WHERE id = 'busy'");
    await prepareDatabase(url7);
    const [[job]] = (await conn7.query("SELECT running_count, lease_at, last_status FROM jobs WHERE id = 'busy'")) as unknown as [[Record<string, unknown>]];
    expect(job).toEqual({ running_count: 1, lease_at: null, last_status: 'succeeded' });
    const [columns] = (await conn7.query("SHOW COLUMNS FROM jobs LIKE 'last_execution_id'")) as unknown as [unknown[]];
    expect(columns).toEqual([]);
    const query = async <T>(sql: string) => (await conn7.query(sql))[0] as T[];
    expect(await wrongRunningCounts({ query })).toEqual([]);
  });
});
