import { drizzle } from 'drizzle-orm/mysql2';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '../../db/schema';
import { EXECUTION_STATUSES } from '../../lib/schemas';
import { PRUNE_BATCH, pruneHistory } from '../../scheduler/tasks/prune-history';
import { createJob } from '../../scheduler/jobs';
import { createTestDatabase, type TestDatabase } from './helpers';

/**
 * The retention task's batching: one bounded DELETE by primary key per batch, batches found by a
 * keyset on (status, scheduled_for, id), so rows sharing an instant across a batch boundary are neither
 * skipped nor deleted twice. (Its speed is measured by `npm run bench:dashboard`, not here.)
 */

let tdb: TestDatabase;
let pool: mysql.Pool;

beforeAll(async () => {
  tdb = await createTestDatabase('prune_history');
  await createJob(tdb.ctx, { id: 'busy', task: 'log.message', args: { message: 'x' }, trigger: { type: 'interval', every: { hours: 1 } } });
  // One connection, so its session counters see every statement of the run.
  pool = mysql.createPool({ uri: tdb.url, timezone: 'Z', connectionLimit: 1 });
});

afterAll(async () => {
  await pool?.end();
  await tdb?.cleanup();
});

/** Runs the retention task for executions older than 30 days as of `now`, on the pool's one connection. */
async function pruneAsOf(now: number, signal = new AbortController().signal): Promise<{ deleted: number }> {
  const ctx = {
    jobId: 'busy',
    executionId: 0,
    scheduledFor: new Date(now),
    attempt: 1,
    signal,
    log: { info: () => {}, warn: () => {}, error: () => {} },
    db: drizzle(pool, { schema, mode: 'default' }),
  };
  return (await pruneHistory.run({ olderThanDays: 30 }, ctx)) as { deleted: number };
}

/** Statements of a kind (Com_delete, Com_select) run so far on the pool's one connection. */
async function statementsRun(counter: string): Promise<number> {
  const [rows] = await pool.query('SHOW SESSION STATUS LIKE ?', [counter]);
  return Number((rows as Array<{ Value: string }>)[0].Value);
}
const deletesRun = () => statementsRun('Com_delete');
const selectsRun = () => statementsRun('Com_select');

describe('system.prune-history batches', () => {
  it('deletes 2.2 batches of old rows that share instants, one DELETE per batch, keeping queued, running and recent rows among them', async () => {
    const now = Date.now();
    const total = Math.floor(PRUNE_BATCH * 2.2);
    // Seven attempts per instant (the fire key is job, instant, attempt): PRUNE_BATCH is not a
    // multiple of 7, so instants straddle batch boundaries (the keyset's id tie-break is needed).
    const rows = Array.from({ length: total }, (_, i) => ['busy', new Date(now - 40 * 86_400_000 + Math.floor(i / 7) * 1000), 1 + (i % 7), 'succeeded']);
    // Between every 500 old rows, a recent row and an old running one: inside the id ranges of the batches.
    let kept = 0;
    for (let i = 0; i < rows.length; i += 500) {
      await tdb.query('INSERT INTO job_executions (job_id, scheduled_for, attempt, status) VALUES ?', [rows.slice(i, i + 500)]);
      await tdb.query("INSERT INTO job_executions (job_id, scheduled_for, status) VALUES ('busy', ?, 'succeeded'), ('busy', ?, 'running')", [
        new Date(now - 2000 - i),
        new Date(now - 45 * 86_400_000 - i),
      ]);
      kept++;
    }
    await tdb.query("INSERT INTO job_executions (job_id, scheduled_for, status) VALUES ('busy', ?, 'queued'), ('busy', ?, 'succeeded')", [
      new Date(now - 50 * 86_400_000),
      new Date(now - 1000),
    ]);

    const before = await deletesRun();
    const result = await pruneAsOf(now);
    const after = await deletesRun();

    expect(result.deleted).toBe(total);
    const left = await tdb.query<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM job_executions GROUP BY status ORDER BY status');
    expect(left.map((r) => [r.status, Number(r.n)])).toEqual([
      ['queued', 1],
      ['running', kept],
      ['succeeded', kept + 1],
    ]);
    // One DELETE per batch of PRUNE_BATCH old succeeded rows (the walk does not see running and queued ones).
    expect(after - before).toBe(Math.ceil(total / PRUNE_BATCH));
  });

  it('deletes old rows scattered among recent ones (every other id) by listing their ids, batch after batch', async () => {
    await tdb.query('DELETE FROM job_executions');
    const now = Date.now();
    const old = Math.floor(PRUNE_BATCH * 2.5);
    // Seven old rows per instant (attempts 1-7), so instants straddle batch boundaries here too.
    const rows = Array.from({ length: 2 * old }, (_, i) =>
      i % 2 ? ['busy', new Date(now - 3000 - i), 1, 'succeeded'] : ['busy', new Date(now - 40 * 86_400_000 + Math.floor(i / 14) * 1000), 1 + ((i / 2) % 7), 'failed'],
    );
    for (let i = 0; i < rows.length; i += 1000) await tdb.query('INSERT INTO job_executions (job_id, scheduled_for, attempt, status) VALUES ?', [rows.slice(i, i + 1000)]);
    const deletesBefore = await deletesRun();
    const selectsBefore = await selectsRun();
    const result = await pruneAsOf(now);
    expect(result.deleted).toBe(old);
    const batches = Math.ceil(old / PRUNE_BATCH);
    expect(await deletesRun()).toBe(deletesBefore + batches);
    // The ids were listed: per batch of the failed walk, its summary and a read of its ids; one
    // (empty) summary for each other finished status.
    const otherStatuses = EXECUTION_STATUSES.filter((s) => !['running', 'queued', 'failed'].includes(s)).length;
    expect(await selectsRun()).toBe(selectsBefore + 2 * batches + otherStatuses);
    const left = await tdb.query<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM job_executions GROUP BY status');
    expect(left.map((r) => [r.status, Number(r.n)])).toEqual([['succeeded', old]]);
  });

  it('walks each finished status in turn, deleting old rows of every status interleaved by id and keeping the running and queued ones', async () => {
    await tdb.query('DELETE FROM job_executions');
    const now = Date.now();
    const statuses = ['succeeded', 'failed', 'timed_out', 'missed', 'skipped', 'interrupted', 'running', 'queued'];
    // 2.5 batches, the statuses taking turns by id, so each status's walk meets the others' rows within its ranges.
    const rows = Array.from({ length: Math.floor(PRUNE_BATCH * 2.5) }, (_, i) => [
      'busy',
      new Date(now - 40 * 86_400_000 + i * 1000),
      1,
      i % 7 === 0 ? statuses[(i / 7) % statuses.length] : 'succeeded',
    ]);
    await tdb.query('INSERT INTO job_executions (job_id, scheduled_for, attempt, status) VALUES ?', [rows]);
    const stay = rows.filter((r) => r[3] === 'running' || r[3] === 'queued').length;
    const result = await pruneAsOf(now);
    expect(result.deleted).toBe(rows.length - stay);
    const left = await tdb.query<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM job_executions GROUP BY status ORDER BY status');
    expect(left.map((r) => r.status)).toEqual(['queued', 'running']);
    expect(left.reduce((n, r) => n + Number(r.n), 0)).toBe(stay);
  });

  it('stops between batches when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutdown'));
    await expect(pruneAsOf(Date.now(), controller.signal)).rejects.toThrow('shutdown');
  });
});
