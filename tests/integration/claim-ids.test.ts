import { drizzle } from 'drizzle-orm/mysql2';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import * as schema from '../../db/schema';
import { claimDueBatch } from '../../scheduler/batch-claim';
import { createJob } from '../../scheduler/jobs';
import { createTestDatabase, type TestDatabase } from './helpers';

/**
 * A claim learns the ids of the rows it inserts without INSERT … RETURNING: from the insert id
 * when the session's multi-row INSERTs get consecutive ids (auto-increment lock mode 0 or 1 and
 * an increment of 1, MariaDB's defaults), else by reading them back by fire key. Both must give
 * every run the id of its own row, missed and skipped rows in between included.
 */

let tdb: TestDatabase;
/** A pool whose sessions step auto-increment ids by 2: the read-back path. */
let stepped: mysql.Pool;
let steppedDb: Db;

beforeAll(async () => {
  tdb = await createTestDatabase('claim_ids');
  stepped = mysql.createPool({ uri: tdb.url, timezone: 'Z', connectionLimit: 2 });
  stepped.on('connection', (conn) => {
    (conn as unknown as { query(sql: string, done: () => void): void }).query('SET SESSION auto_increment_increment = 2', () => {});
  });
  steppedDb = drizzle(stepped, { schema, mode: 'default' });
  // Coalesce off and a 1 s grace: a job 3 s behind writes missed rows before the fire it runs.
  for (let i = 0; i < 12; i++) {
    await createJob(tdb.ctx, {
      id: `job-${String(i).padStart(2, '0')}`,
      task: 'log.message',
      args: { message: 'ids' },
      trigger: { type: 'interval', every: { seconds: 1 } },
      options: { coalesce: false, misfireGraceMs: 1000 },
    });
  }
});

afterAll(async () => {
  await stepped?.end();
  await tdb?.cleanup();
});

/** Makes every job due: the even ones 3 s behind (missed rows first), the odd ones on time, one of them with its slot taken. */
async function makeDue(now: number): Promise<void> {
  await tdb.query("UPDATE job_executions SET status = 'succeeded' WHERE status = 'running'");
  await tdb.query('UPDATE jobs SET running_count = 0, last_run_at = NULL, last_status = NULL, next_run_at = IF(CAST(RIGHT(id, 2) AS UNSIGNED) % 2 = 0, ?, ?)', [
    new Date(now - 3000),
    new Date(now),
  ]);
  await tdb.query("UPDATE jobs SET running_count = 1 WHERE id = 'job-03'");
}

describe.each([
  ['consecutive ids (from the insert id)', () => tdb.db, 1],
  ['ids read back by fire key (auto_increment_increment = 2)', () => steppedDb, 2],
])('a claim with %s', (_label, db, step) => {
  it('gives every run the id of its own row', async () => {
    const now = Math.ceil(Date.now() / 1000) * 1000 + 10_000 * step;
    await makeDue(now);
    const batch = await claimDueBatch(db(), [...Array(12).keys()].map((i) => `job-${String(i).padStart(2, '0')}`), new Date(now), 'ids-test');
    expect(batch.claimed).toBe(12);
    // job-03's slot is taken: its fire is skipped, not run.
    expect(batch.runs.map((r) => r.job.id).sort()).toEqual([...Array(12).keys()].filter((i) => i !== 3).map((i) => `job-${String(i).padStart(2, '0')}`));
    for (const run of batch.runs) {
      const [row] = await tdb.query<{ job_id: string; scheduled_for: Date; status: string; instance: string }>(
        'SELECT job_id, scheduled_for, status, instance FROM job_executions WHERE id = ?',
        [run.executionId],
      );
      expect(row).toEqual({ job_id: run.job.id, scheduled_for: run.scheduledFor, status: 'running', instance: 'ids-test' });
    }
    // The rows of the batch: missed and skipped ones among the running ones, ids stepping as the session says.
    const rows = await tdb.query<{ id: number; status: string }>("SELECT id, status FROM job_executions WHERE instance = 'ids-test' AND scheduled_for >= ? ORDER BY id", [new Date(now - 3000)]);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['missed', 'running', 'skipped']));
    expect(rows.slice(1).every((r, i) => r.id - rows[i].id === step)).toBe(true);
    // A job that skipped its fire: last status skipped, as of the claim. A job that starts a run:
    // its lease is that fire, its last run too, its last status unchanged (nothing finished).
    const job = async (id: string) =>
      (await tdb.query<{ last_status: string | null; last_run_at: Date | null; lease_at: Date | null }>('SELECT last_status, last_run_at, lease_at FROM jobs WHERE id = ?', [id]))[0];
    expect(await job('job-03')).toMatchObject({ last_status: 'skipped', last_run_at: new Date(now) });
    expect(await job('job-01')).toEqual({ last_status: null, last_run_at: new Date(now), lease_at: new Date(now) });
    // Missed fires, then a run: the run is the newest, so the last status stays as it was.
    const started = batch.runs.find((r) => r.job.id === 'job-02')!;
    expect(started.leased).toBe(true);
    expect(await job('job-02')).toEqual({ last_status: null, last_run_at: started.scheduledFor, lease_at: started.scheduledFor });
  });
});
