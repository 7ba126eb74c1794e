import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { drizzle } from 'drizzle-orm/mysql2';
import * as schema from '../../db/schema';
import { createJob } from '../../scheduler/jobs';
import { outcomeStatements, writeOutcomes, type FinishedRun } from '../../scheduler/recorder';
import { createTestDatabase, type TestDatabase } from './helpers';

/**
 * The recorder's batch write: every row gets its own outcome whatever the spacing of the ids (one
 * UPDATE per stretch of nearby ids, values picked by position), each job's count of runs in
 * progress goes down by the counted rows it finishes (a lease frees its slot by its row alone),
 * and its newest outcome becomes its last status.
 */

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase('recorder');
  for (const id of ['a', 'b', 'c']) {
    await createJob(tdb.ctx, { id, task: 'log.message', args: { message: 'x' }, trigger: { type: 'interval', every: { hours: 1 } } });
  }
});

afterAll(async () => {
  await tdb?.cleanup();
});

interface OutcomeRow {
  id: number;
  job_id: string;
  status: string;
  started_at: Date;
  finished_at: Date;
  duration_ms: number;
  error: string | null;
  stack: string | null;
  log: string | null;
  result: string | null;
}

/** Inserts `count` running rows for the job, one second apart from `from`, and returns their ids (counted on the job unless `leased`). */
async function runningRows(jobId: string, from: number, count: number, leased = false): Promise<number[]> {
  const at = (i: number) => new Date(from + i * 1000);
  const rows = Array.from({ length: count }, (_, i) => [jobId, at(i), 'running', at(i), 'test']);
  await tdb.query('INSERT INTO job_executions (job_id, scheduled_for, status, started_at, instance) VALUES ?', [rows]);
  const inserted = await tdb.query<{ id: number }>('SELECT id FROM job_executions WHERE job_id = ? AND scheduled_for >= ? ORDER BY id', [jobId, at(0)]);
  const ids = inserted.map((r) => Number(r.id));
  if (!leased) await tdb.query('UPDATE jobs SET running_count = running_count + ? WHERE id = ?', [count, jobId]);
  return ids;
}

function finished(jobId: string, executionId: number, i: number): FinishedRun {
  const started = new Date(Date.UTC(2026, 10, 24, 12, 0, 0, 7 * i));
  const failed = i % 3 === 1;
  return {
    jobId,
    executionId,
    startedAt: started,
    outcome: {
      status: failed ? 'failed' : 'succeeded',
      error: failed ? `Boom ${i}: «ünïcödé» 'quoted' \\ ${'x'.repeat(i)}` : null,
      stack: failed ? `Error: Boom ${i}\n    at task (tasks.ts:${i})` : null,
      log: i % 2 ? `line ${i}` : '',
      result: i % 4 === 0 ? JSON.stringify({ n: i }) : null,
      finishedAt: new Date(started.getTime() + 3 * i + 1),
      durationMs: 3 * i + 1,
    },
  };
}

describe('writeOutcomes', () => {
  it('writes each row its own outcome across stretches of ids, and updates counts and last statuses', async () => {
    const from = Date.UTC(2026, 10, 24, 11);
    const a = await runningRows('a', from, 12);
    const b = await runningRows('b', from, 3, true);
    const c = await runningRows('c', from, 2);
    // c's last status says missed (a claim recorded one), and its last run is the claim's: the
    // outcomes change the one, not the other.
    await tdb.query("UPDATE jobs SET last_status = 'missed', last_run_at = ? WHERE id = 'c'", [new Date(from)]);
    // Rows of a with gaps of 1, 2 and more than a stretch allows, then b's rows (leases), written in reverse.
    const picked = [a[0], a[1], a[3], a[4], a[9], a[11]];
    const runs = [
      ...picked.map((id, i) => finished('a', id, i)),
      ...b.map((id, i) => ({ ...finished('b', id, i + 10), leased: true })),
      ...c.map((id, i) => finished('c', id, i + 20)),
    ];
    await writeOutcomes(tdb.db, runs.reverse());

    const rows = await tdb.query<OutcomeRow>(
      'SELECT id, job_id, status, started_at, finished_at, duration_ms, error, stack, log, result FROM job_executions ORDER BY id',
    );
    for (const run of runs) {
      const row = rows.find((r) => Number(r.id) === run.executionId)!;
      expect(row, `execution ${run.executionId}`).toMatchObject({
        job_id: run.jobId,
        status: run.outcome.status,
        started_at: run.startedAt,
        finished_at: run.outcome.finishedAt,
        duration_ms: run.outcome.durationMs,
        error: run.outcome.error,
        stack: run.outcome.stack,
        log: run.outcome.log || null,
        result: run.outcome.result,
      });
    }
    const untouched = rows.filter((r) => !runs.some((run) => run.executionId === Number(r.id)));
    expect(untouched.map((r) => r.status)).toEqual(Array(6).fill('running'));

    const jobs = await tdb.query<{ id: string; running_count: number; last_status: string; last_run_at: Date | null }>(
      'SELECT id, running_count, last_status, last_run_at FROM jobs ORDER BY id',
    );
    const newestA = finished('a', a[11], 5).outcome;
    const newestB = finished('b', b[2], 12).outcome;
    const newestC = finished('c', c[1], 21).outcome;
    expect(newestC.status).not.toBe('missed');
    expect(jobs).toEqual([
      { id: 'a', running_count: 6, last_status: newestA.status, last_run_at: null },
      { id: 'b', running_count: 0, last_status: newestB.status, last_run_at: null },
      { id: 'c', running_count: 0, last_status: newestC.status, last_run_at: new Date(from) },
    ]);
  });

  it('frees only the slots of rows still running: a row interrupted meanwhile gets its real outcome and leaves its count alone', async () => {
    const from = Date.UTC(2026, 10, 25, 11);
    const ids = await runningRows('b', from, 3);
    // Recovery marked the middle one interrupted and took it off b's count already.
    await tdb.query("UPDATE job_executions SET status = 'interrupted' WHERE id = ?", [ids[1]]);
    await tdb.query("UPDATE jobs SET running_count = running_count - 1 WHERE id = 'b'");
    const [before] = await tdb.query<{ running_count: number }>("SELECT running_count FROM jobs WHERE id = 'b'");
    const runs = ids.map((id, i) => finished('b', id, 30 + i));
    await writeOutcomes(tdb.db, runs);

    const rows = await tdb.query<{ id: number; status: string }>('SELECT id, status FROM job_executions WHERE id IN (?) ORDER BY id', [ids]);
    expect(rows.map((r) => r.status)).toEqual(runs.map((r) => r.outcome.status));
    const [after] = await tdb.query<{ running_count: number; last_status: string }>("SELECT running_count, last_status FROM jobs WHERE id = 'b'");
    expect(after).toEqual({ running_count: before.running_count - 2, last_status: runs[2].outcome.status });
  });

  it('uses one statement for a stretch of close ids, with shared values written once', () => {
    const runs = [100, 101, 103, 107].map((id, i) => ({ ...finished('a', id, 0), executionId: id, startedAt: new Date(1000 + i) }));
    const statements = outcomeStatements(runs);
    expect(statements).toHaveLength(1);
    expect(statements[0].sql).toContain('started_at = ELT(id - ?, ?)');
    expect(statements[0].sql).toContain('status = ?');
    expect(statements[0].values.at(-1)).toEqual([100, 101, 103, 107]);
    expect(outcomeStatements([...runs, { ...runs[0], executionId: 112 }])).toHaveLength(2);
  });

  it("gives the same counts and last statuses whatever the order of assignments (MariaDB's SIMULTANEOUS_ASSIGNMENT mode)", async () => {
    const from = Date.UTC(2026, 10, 26, 11);
    const pool = mysql.createPool({ uri: tdb.url, timezone: 'Z', connectionLimit: 1 });
    pool.on('connection', (conn) => {
      (conn as unknown as { query(sql: string, done: () => void): void }).query("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',SIMULTANEOUS_ASSIGNMENT')", () => {});
    });
    try {
      const [[mode]] = (await pool.query('SELECT @@SESSION.sql_mode AS mode')) as unknown as [[{ mode: string }]];
      expect(mode.mode).toContain('SIMULTANEOUS_ASSIGNMENT');
      const a = await runningRows('a', from, 2);
      const c = await runningRows('c', from, 2);
      const [before] = await tdb.query<{ running_count: number }>("SELECT running_count FROM jobs WHERE id = 'a'");
      await tdb.query("UPDATE jobs SET last_status = 'missed' WHERE id = 'c'");
      const runs = [finished('a', a[0], 40), finished('a', a[1], 41), finished('c', c[0], 42), finished('c', c[1], 43)];
      await writeOutcomes(drizzle(pool, { schema, mode: 'default' }), runs);
      const jobs = await tdb.query<{ id: string; running_count: number; last_status: string }>(
        "SELECT id, running_count, last_status FROM jobs WHERE id IN ('a', 'c') ORDER BY id",
      );
      expect(jobs).toEqual([
        { id: 'a', running_count: before.running_count - 2, last_status: runs[1].outcome.status },
        { id: 'c', running_count: 0, last_status: runs[3].outcome.status },
      ]);
    } finally {
      await pool.end();
    }
  });
});
