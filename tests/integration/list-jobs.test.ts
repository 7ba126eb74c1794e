import mysql from 'mysql2/promise';
import { indexUnindexedJobs } from '../../db/job-words';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors';
import type { SchedulerContext } from '../../scheduler/context';
import { dueJobIds } from '../../scheduler/batch-claim';
import { earliestFire } from '../../scheduler/claim';
import { bulkJobAction, createJob, getJob, pauseJob, resumeJob } from '../../scheduler/jobs';
import { CROWDED_LIST_TTL_MS } from '../../scheduler/job-search';
import { TOTAL_COUNT_CAP, lastPageCursor, listJobs } from '../../scheduler/list-jobs';
import { createTestDatabase, type TestDatabase } from './helpers';
import { countingConnection, numbers, type CountingConnection } from './jobs-at-scale';

/**
 * The jobs table's query (filters, NULLs-last sorts across page boundaries, index use at scale)
 * and its bulk actions, against the real database with no engine running.
 */

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase('list_jobs');
});

afterAll(async () => {
  await tdb?.cleanup();
});

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

/** Runs `fn`, expects a ValidationError, returns the names of its fields. */
async function invalidFields(fn: () => Promise<unknown>): Promise<string[]> {
  const err = await fn().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ValidationError);
  return Object.keys((err as ValidationError).fieldErrors).sort();
}

describe('listJobs', () => {
  // id, next run in hours (null: paused), last status, last run minutes ago, updated minutes ago
  const seed: Array<[string, number | null, string | null, number | null, number]> = [
    ['t-a', 3, 'succeeded', 30, 5],
    ['t-b', null, 'failed', 10, 1],
    ['t-c', 1, null, null, 9],
    ['t-d', 2, 'failed', 50, 5],
    ['t-e', null, null, null, 3],
    ['t-f', 4, 'missed', 20, 7],
    ['t-g', null, 'succeeded', 40, 2],
  ];
  const ids = seed.map(([id]) => id);

  beforeAll(async () => {
    for (const [id, hours] of seed) {
      await createJob(tdb.ctx, {
        id,
        name: `Table ${id.slice(2)}`,
        task: id === 't-d' || id === 't-e' ? 'util.sleep' : 'log.message',
        args: id === 't-d' || id === 't-e' ? { ms: 1 } : { message: 'x' },
        trigger: { type: 'date', runAt: inHours(hours ?? 5) },
        paused: hours === null,
      });
    }
    const now = Date.now();
    for (const [id, , status, lastAgo, updatedAgo] of seed) {
      const lastRun = lastAgo === null ? null : new Date(now - lastAgo * 60_000);
      await tdb.query('UPDATE jobs SET last_status = ?, last_run_at = ?, updated_at = ? WHERE id = ?', [status, lastRun, new Date(now - updatedAgo * 60_000), id]);
      // The row shown as its last execution, and a newer one still running (not shown).
      if (status && lastRun) {
        await tdb.query('INSERT INTO job_executions (job_id, scheduled_for, status, started_at, finished_at) VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, NULL)', [
          id, lastRun, status, lastRun, lastRun,
          id, new Date(now), 'running', new Date(now),
        ]);
      }
    }
  });

  const list = (query: Record<string, unknown>) => listJobs(tdb.ctx, { pageSize: 100, ...query });
  const idsOf = async (query: Record<string, unknown>) => (await list(query)).items.map((j) => j.id);

  it('filters by last status, "never" meaning no run recorded, together with the other filters', async () => {
    expect(await idsOf({ lastStatus: 'failed', sort: 'name' })).toEqual(['t-b', 't-d']);
    expect(await idsOf({ lastStatus: 'never', sort: 'name' })).toEqual(['t-c', 't-e']);
    expect(await idsOf({ lastStatus: 'failed', state: 'active' })).toEqual(['t-d']);
    expect(await idsOf({ lastStatus: 'never', task: 'util.sleep' })).toEqual(['t-e']);
    expect(await idsOf({ lastStatus: 'succeeded', q: 'table g' })).toEqual(['t-g']);
    expect((await list({ lastStatus: 'timed_out' })).total).toBe(0);
    const failed = await list({ lastStatus: 'failed', sort: 'name' });
    expect(failed.total).toBe(2);
    const [shown] = await tdb.query<{ id: number; finished_at: Date }>("SELECT id, finished_at FROM job_executions WHERE job_id = ? AND status = 'failed'", [failed.items[0].id]);
    expect(failed.items[0].lastExecution).toEqual({ id: Number(shown.id), status: 'failed', at: shown.finished_at.toISOString() });
    expect((await list({ lastStatus: 'never', sort: 'name' })).items.map((j) => j.lastExecution)).toEqual([null, null]);
    expect(await invalidFields(() => listJobs(tdb.ctx, { lastStatus: 'exploded' }))).toEqual(['lastStatus']);
  });

  it('sorts next and last run with NULLs last in both directions, and by last update', async () => {
    expect(await idsOf({ sort: 'nextRunAt' })).toEqual(['t-c', 't-d', 't-a', 't-f', 't-b', 't-e', 't-g']);
    expect(await idsOf({ sort: '-nextRunAt' })).toEqual(['t-f', 't-a', 't-d', 't-c', 't-g', 't-e', 't-b']);
    expect(await idsOf({ sort: 'lastRunAt' })).toEqual(['t-d', 't-g', 't-a', 't-f', 't-b', 't-c', 't-e']);
    expect(await idsOf({ sort: '-lastRunAt' })).toEqual(['t-b', 't-f', 't-a', 't-g', 't-d', 't-e', 't-c']);
    expect(await idsOf({ sort: '-updatedAt' })).toEqual(['t-b', 't-g', 't-e', 't-d', 't-a', 't-f', 't-c']);
    expect(await idsOf({ sort: 'updatedAt' })).toEqual(['t-c', 't-f', 't-a', 't-d', 't-e', 't-g', 't-b']);
  });

  it('pages across the boundary between jobs with and without a next run', async () => {
    for (const sort of ['nextRunAt', 'lastRunAt', '-nextRunAt', 'name']) {
      const all = await idsOf({ sort });
      for (const pageSize of [1, 2, 3, 4]) {
        const pages = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((page) => listJobs(tdb.ctx, { sort, page, pageSize })));
        expect(pages.every((p) => p.total === all.length)).toBe(true);
        expect(pages.flatMap((p) => p.items.map((j) => j.id)).slice(0, all.length)).toEqual(all);
      }
    }
    expect((await listJobs(tdb.ctx, { sort: 'nextRunAt', page: 9, pageSize: 1 })).items).toEqual([]);
  });
});

describe('listJobs at scale', () => {
  let big: TestDatabase;
  let pool: mysql.Pool;
  let ctx: SchedulerContext;
  let rowsRead: CountingConnection['rowsRead'];
  const N = 4000;

  beforeAll(async () => {
    big = await createTestDatabase('list_jobs_scale');
    const trigger = JSON.stringify({ type: 'cron', expression: '*/5 * * * *', timezone: 'UTC' });
    const options = JSON.stringify({ maxInstances: 1, coalesce: true, misfireGraceMs: 60000, timeoutMs: null, retries: null });
    // n = 0..N-1 from a cross join of digits; every 10th job paused (no next run), every 7th never run.
    await big.query(
      `INSERT INTO jobs (id, name, task, args, \`trigger\`, state, next_run_at, options, last_run_at, last_status)
       SELECT CONCAT('s-', n), CONCAT('Scale ', LPAD(n, 5, '0')), IF(n % 2, 'log.message', 'util.sleep'), '{}', ?,
              IF(n % 10 = 0, 'paused', 'active'), IF(n % 10 = 0, NULL, NOW(3) + INTERVAL (n * 37) % 86400 SECOND), ?,
              IF(n % 7 = 0, NULL, NOW(3) - INTERVAL (n * 13) % 86400 SECOND), IF(n % 7 = 0, NULL, 'succeeded')
       FROM ${numbers(N)}`,
      [trigger, options],
    );
    // Written by SQL, so their search words too (Cronboard's own writes index them: db/job-words.ts).
    await indexUnindexedJobs(big.db);
    await big.query('ANALYZE TABLE jobs, job_words');
    ({ ctx, pool, rowsRead } = countingConnection(big));
  });

  afterAll(async () => {
    await pool?.end();
    await big?.cleanup();
  });

  /** Rows read by a listJobs call's page query: the call's reads minus those of its (capped) COUNT alone. */
  async function pageRowsRead(query: Record<string, unknown>, countWhere = ''): Promise<number> {
    const all = await rowsRead(() => listJobs(ctx, query));
    const counting = await rowsRead(() => pool.query(`SELECT COUNT(*) FROM (SELECT 1 FROM jobs ${countWhere} LIMIT ${TOTAL_COUNT_CAP + 1}) c`));
    return all - counting;
  }

  it('reads a page along an index instead of sorting the whole table', async () => {
    expect((await listJobs(ctx, {})).total).toBe(N);
    const queries: Array<[Record<string, unknown>, string?]> = [
      [{}],
      [{ sort: '-nextRunAt' }],
      [{ sort: 'name' }],
      [{ sort: '-name' }],
      [{ sort: 'lastRunAt' }],
      [{ sort: '-lastRunAt' }],
      [{ sort: '-updatedAt' }],
      [{ state: 'active' }, "WHERE state = 'active'"],
      [{ state: 'paused', sort: 'nextRunAt' }, "WHERE state = 'paused'"],
      [{ sort: 'nextRunAt', page: 3, pageSize: 50 }],
    ];
    for (const [query, countWhere] of queries) {
      const page = await listJobs(ctx, query);
      expect(page.items.length, JSON.stringify(query)).toBeGreaterThan(0);
      // Sorting the table would read all N rows; an index read touches about a page (or, with a
      // filter on a small table, the optimizer may read the filter's matches).
      expect(await pageRowsRead(query, countWhere), JSON.stringify(query)).toBeLessThan(countWhere ? N / 2 : N / 4);
    }
    // The measure does see full reads: an infix LIKE reads every row.
    expect(await rowsRead(() => pool.query("SELECT id FROM jobs WHERE name LIKE '%no such job%' LIMIT 20"))).toBeGreaterThanOrEqual(N);
    const first = await listJobs(ctx, { pageSize: 3 });
    expect(first.items.map((j) => j.state)).toEqual(['active', 'active', 'active']);
    const lastPage = await listJobs(ctx, { page: N / 100, pageSize: 100 });
    expect(lastPage.items.every((j) => j.state === 'paused' && j.nextRunAt === null)).toBe(true);
  });

  it('reads a deep page by cursor along the index, in both directions, whatever the depth', async () => {
    for (const sort of ['nextRunAt', '-name', 'lastRunAt']) {
      let page = await listJobs(ctx, { sort, pageSize: 50 });
      for (let i = 0; i < 30; i++) page = await listJobs(ctx, { sort, pageSize: 50, cursor: page.nextCursor });
      expect(page.page).toBe(31);
      const here = page.items.map((j) => j.id);
      const reads = await pageRowsRead({ sort, pageSize: 50, cursor: page.nextCursor });
      expect(reads, sort).toBeLessThan(N / 4);
      const next = await listJobs(ctx, { sort, pageSize: 50, cursor: page.nextCursor });
      const back = await listJobs(ctx, { sort, pageSize: 50, cursor: next.prevCursor });
      expect(back.items.map((j) => j.id)).toEqual(here);
      expect(back.page).toBe(31);
      expect(await pageRowsRead({ sort, pageSize: 50, cursor: next.prevCursor }), sort).toBeLessThan(N / 4);
    }
  });

  it('finds the earliest fire and the due jobs at the start of the next-run index, not through the state', async () => {
    // The engine asks these all the time; the active jobs (9 in 10 here) are never read one by one.
    const [{ first }] = await big.query<{ first: Date }>("SELECT MIN(next_run_at) AS first FROM jobs WHERE state = 'active'");
    expect(await earliestFire(ctx.db)).toEqual(first);
    expect(await rowsRead(() => earliestFire(ctx.db))).toBeLessThan(10);
    const horizon = new Date(first.getTime() + 10 * 60_000);
    const due = await dueJobIds(ctx.db, horizon, 500);
    const [{ n }] = await big.query<{ n: number }>("SELECT COUNT(*) AS n FROM jobs WHERE state = 'active' AND next_run_at <= ?", [horizon]);
    expect(due).toHaveLength(Number(n));
    expect(due.length).toBeGreaterThan(0);
    expect(await rowsRead(() => dueJobIds(ctx.db, horizon, 500))).toBeLessThan(due.length + 10);
  });

  it('refuses a job whose next fire disagrees with its state', async () => {
    // The list and the claims rely on it: a job has a next fire exactly while it is active.
    await expect(big.query("UPDATE jobs SET state = 'paused' WHERE id = 's-1'")).rejects.toThrow(/jobs_next_run_active_chk/);
    await expect(big.query("UPDATE jobs SET next_run_at = NULL WHERE id = 's-1'")).rejects.toThrow(/jobs_next_run_active_chk/);
    await expect(big.query("UPDATE jobs SET next_run_at = NOW(3) WHERE id = 's-0'")).rejects.toThrow(/jobs_next_run_active_chk/);
    expect((await getJob(ctx, 's-1')).state).toBe('active');
  });

  it('searches through the word table, reading the matches only', async () => {
    const found = await listJobs(ctx, { q: 's-123', sort: 'name' });
    expect(found.items.map((j) => j.id).sort()).toEqual(['s-123', ...Array.from({ length: 10 }, (_, i) => `s-123${i}`)].sort());
    // 11 words found; their 11 rows read by id for the page and again for the count (two words:
    // "s" is checked on the rows); the page's last executions. Nowhere near the N jobs.
    expect(await rowsRead(() => listJobs(ctx, { q: 's-123' }))).toBeLessThan(N / 20);
  });

  it('counts up to the cap, and exactly on the last page', async () => {
    expect(await listJobs(ctx, { pageSize: 5 }, { countCap: 1000 })).toMatchObject({ total: 1000, totalExact: false, page: 1 });
    expect(await listJobs(ctx, { pageSize: 5, state: 'paused' }, { countCap: 1000 })).toMatchObject({ total: N / 10, totalExact: true });
    const page = await listJobs(ctx, { pageSize: 100, cursor: lastPageCursor('name'), sort: 'name' }, { countCap: 1000 });
    expect(page).toMatchObject({ total: N, totalExact: true, page: N / 100, nextCursor: null });
    expect(page.items.at(-1)?.id).toBe(`s-${N - 1}`);
  });

  it('remembers for a while that a list has more jobs than it counts, and does not count them again', async () => {
    // A clock of its own, a day ahead: nothing another test listed is remembered at it.
    let now = Date.now() + 86_400_000;
    const clocked = { ...ctx, now: () => new Date(now) };
    const crowded = { pageSize: 5, state: 'active' };
    const cap = 1000;
    const counting = await rowsRead(() => listJobs(clocked, crowded, { countCap: cap }));
    // Counting reads cap + 1 index entries; the page about 5 rows and their last executions.
    expect(counting).toBeGreaterThan(cap);
    const remembered = await rowsRead(() => listJobs(clocked, crowded, { countCap: cap }));
    expect(remembered).toBeLessThan(50);
    expect(await listJobs(clocked, crowded, { countCap: cap })).toMatchObject({ total: cap, totalExact: false });
    // Other filters, and a list with fewer matches than the cap, are counted every time.
    expect(await rowsRead(() => listJobs(clocked, { ...crowded, task: 'util.sleep' }, { countCap: cap }))).toBeGreaterThan(cap);
    const few = { pageSize: 5, state: 'paused' };
    for (let i = 0; i < 2; i++) {
      expect(await listJobs(clocked, few, { countCap: cap })).toMatchObject({ total: N / 10, totalExact: true });
      expect(await rowsRead(() => listJobs(clocked, few, { countCap: cap }))).toBeGreaterThanOrEqual(N / 10);
    }
    // Once CROWDED_LIST_TTL_MS is over, the list is counted again.
    now += CROWDED_LIST_TTL_MS;
    expect(await rowsRead(() => listJobs(clocked, crowded, { countCap: cap }))).toBeGreaterThan(cap);
    expect(await rowsRead(() => listJobs(clocked, crowded, { countCap: cap }))).toBeLessThan(50);
    // A change made through this process forgets it at once (a bulk delete may take a list under its cap).
    await pauseJob(clocked, 's-1');
    try {
      expect(await rowsRead(() => listJobs(clocked, crowded, { countCap: cap }))).toBeGreaterThan(cap);
    } finally {
      await resumeJob(clocked, 's-1');
    }
  });

  it('gives the exact total on a page by number where the list ends, even when its count is remembered as over the cap', async () => {
    const now = Date.now() + 2 * 86_400_000;
    const clocked = { ...ctx, now: () => new Date(now) };
    // Counted up to 100 of the N active and paused jobs: remembered as more than 100.
    expect(await listJobs(clocked, { pageSize: 5 }, { countCap: 100 })).toMatchObject({ total: 100, totalExact: false });
    const pageSize = 100;
    const lastPage = N / pageSize;
    expect(await listJobs(clocked, { pageSize, page: lastPage }, { countCap: 100 })).toMatchObject({ total: N, totalExact: true, page: lastPage });
    // A page past the end says nothing of the total: the remembered one stands.
    expect(await listJobs(clocked, { pageSize, page: lastPage + 2 }, { countCap: 100 })).toMatchObject({ total: 100, totalExact: false, items: [] });
  });
});

describe('bulkJobAction', () => {
  beforeAll(async () => {
    for (const id of ['b-1', 'b-2', 'b-3']) {
      await createJob(tdb.ctx, { id, task: 'log.message', args: { message: id }, trigger: { type: 'interval', every: { hours: 1 } } });
    }
    await createJob(tdb.ctx, { id: 'b-done', task: 'log.message', args: { message: 'x' }, trigger: { type: 'date', runAt: inHours(1) } });
    // As the engine leaves a one-shot job after its fire: completed, its date in the past.
    await tdb.query(
      "UPDATE jobs SET state = 'completed', next_run_at = NULL, `trigger` = JSON_SET(`trigger`, '$.runAt', '2020-01-01T00:00:00.000Z') WHERE id = 'b-done'",
    );
  });

  it('pauses, resumes, runs and deletes each job, reporting the ones that failed', async () => {
    const paused = await bulkJobAction(tdb.ctx, 'pause', ['b-1', 'b-2', 'b-1', 'b-done', 'b-missing']);
    expect(paused.done).toEqual(['b-1', 'b-2']);
    expect(paused.failed.map((f) => f.id)).toEqual(['b-done', 'b-missing']);
    expect(paused.failed[0].error).toMatch(/completed/);
    expect(paused.failed[1].error).toMatch(/No job with id "b-missing"/);
    expect((await getJob(tdb.ctx, 'b-2')).state).toBe('paused');

    const resumed = await bulkJobAction(tdb.ctx, 'resume', ['b-1', 'b-2', 'b-3', 'b-done']);
    expect(resumed.done).toEqual(['b-1', 'b-2', 'b-3']);
    expect(resumed.failed).toEqual([{ id: 'b-done', error: expect.stringMatching(/no fires left/) }]);
    expect((await getJob(tdb.ctx, 'b-1')).state).toBe('active');

    const ran = await bulkJobAction(tdb.ctx, 'run', ['b-1', 'b-done']);
    expect(ran).toEqual({ done: ['b-1', 'b-done'], failed: [] });
    const queued = await tdb.query<{ job_id: string }>("SELECT job_id FROM job_executions WHERE status = 'queued' ORDER BY job_id");
    expect(queued.map((r) => r.job_id)).toEqual(['b-1', 'b-done']);

    const deleted = await bulkJobAction(tdb.ctx, 'delete', ['b-1', 'b-2', 'b-nope']);
    expect(deleted.done).toEqual(['b-1', 'b-2']);
    expect(deleted.failed.map((f) => f.id)).toEqual(['b-nope']);
    const left = (await listJobs(tdb.ctx, { q: 'b', sort: 'name' })).items.map((j) => j.id);
    expect(left.filter((id) => id.startsWith('b-'))).toEqual(['b-3', 'b-done']);
  });

  it('rejects a bad id list before touching any job', async () => {
    const tooMany = Array.from({ length: 101 }, (_, i) => `b-${i}`);
    for (const bad of [[], tooMany, 'b-3', [''], ['x'.repeat(192)], [42], null, { ids: ['b-3'] }]) {
      await expect(bulkJobAction(tdb.ctx, 'pause', bad)).rejects.toBeInstanceOf(ValidationError);
    }
    expect((await getJob(tdb.ctx, 'b-3')).state).toBe('active');
  });
});
