import mysql from 'mysql2/promise';
import { indexUnindexedJobs } from '../../db/job-words';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchedulerContext } from '../../scheduler/context';
import { CROWDED_LIST_TTL_MS } from '../../scheduler/job-search';
import { SEARCH_COUNT_CAP, lastPageCursor, listJobs } from '../../scheduler/list-jobs';
import { createTestDatabase, type TestDatabase } from './helpers';
import { countingConnection, numbers, type CountingConnection } from './jobs-at-scale';

/**
 * The jobs list's search at the database: what a search matches, and that the two ways of
 * reading it — the lookup in the word table (rare words) and the walk along the sort order (common words)
 * — give the same rows in the same order, on every sort and across cursor pages.
 */

let tdb: TestDatabase;
let pool: mysql.Pool;
let ctx: SchedulerContext;
let rowsRead: CountingConnection['rowsRead'];
const N = 4000;

/** Jobs written with SQL: [id, name, next run in minutes (null: none), last run minutes ago (null: never)]. */
const SPECIAL: Array<[string, string, number | null, number | null]> = [
  ['zurich-nightly', 'Zürich Nightly backup', 5, 10],
  ['voices-x', 'Sync invoices acme', 7, null],
  ['what-now', 'What now', null, 3],
  ['whatever-job', 'Whatever works', 9, 4],
  ['long-token', `Report ${'x'.repeat(90)}`, 11, 5],
  ['long-ok', `Report ${'x'.repeat(80)}`, 12, 6],
  ['inv-split', 'Xinv abc', 13, 7],
  ['café-ops', 'Café opening report', null, null],
  ['under_score', 'snake_case_report job', 14, 8],
];

beforeAll(async () => {
  tdb = await createTestDatabase('job_search');
  const trigger = JSON.stringify({ type: 'cron', expression: '*/5 * * * *', timezone: 'UTC' });
  const options = JSON.stringify({ maxInstances: 1, coalesce: true, misfireGraceMs: 60000, timeoutMs: null, retries: null });
  // n = 0..N-1: every 3rd job's name holds "common" (a third of the jobs), every 250th "rare";
  // every 4th job has no next run, every 6th has never run.
  await tdb.query(
    `INSERT INTO jobs (id, name, task, args, \`trigger\`, state, next_run_at, options, last_run_at)
     SELECT CONCAT('job-', n), CONCAT(IF(n % 3 = 0, 'Common ', 'Plain '), IF(n % 250 = 0, 'rare ', ''), 'task ', LPAD(n, 5, '0')), 'log.message', '{}', ?,
            IF(n % 4 = 0, 'paused', 'active'), IF(n % 4 = 0, NULL, NOW(3) + INTERVAL (n * 37) % 86400 SECOND), ?,
            IF(n % 6 = 0, NULL, NOW(3) - INTERVAL (n * 13) % 86400 SECOND)
     FROM ${numbers(N)}`,
    [trigger, options],
  );
  for (const [id, name, next, last] of SPECIAL) {
    await tdb.query(
      `INSERT INTO jobs (id, name, task, args, \`trigger\`, state, next_run_at, options, last_run_at)
       VALUES (?, ?, 'log.message', '{}', ?, IF(? IS NULL, 'paused', 'active'), IF(? IS NULL, NULL, NOW(3) + INTERVAL ? MINUTE), ?, IF(? IS NULL, NULL, NOW(3) - INTERVAL ? MINUTE))`,
      [id, name, trigger, next, next, next, options, last, last],
    );
  }
  // Written by SQL, so their search words too (Cronboard's own writes index them: db/job-words.ts).
  expect(await indexUnindexedJobs(tdb.db)).toBe(N + SPECIAL.length);
  await tdb.query('ANALYZE TABLE jobs, job_words');
  ({ ctx, pool, rowsRead } = countingConnection(tdb));
});

afterAll(async () => {
  await pool?.end();
  await tdb?.cleanup();
});

const ids = async (query: Record<string, unknown>, countCap?: number) => (await listJobs(ctx, { pageSize: 100, ...query }, { countCap })).items.map((j) => j.id);

/** Every page of a search by following nextCursor, then back by prevCursor; the ids seen each way. */
async function walkPages(query: Record<string, unknown>, countCap: number): Promise<{ forward: string[]; backward: string[]; pages: number }> {
  const forward: string[] = [];
  const stack: string[][] = [];
  let page = await listJobs(ctx, { pageSize: 7, ...query }, { countCap });
  for (;;) {
    forward.push(...page.items.map((j) => j.id));
    stack.push(page.items.map((j) => j.id));
    if (!page.nextCursor) break;
    page = await listJobs(ctx, { pageSize: 7, ...query, cursor: page.nextCursor }, { countCap });
  }
  const backward: string[] = [];
  const pages = page.page;
  while (page.prevCursor) {
    page = await listJobs(ctx, { pageSize: 7, ...query, cursor: page.prevCursor }, { countCap });
    backward.unshift(...page.items.map((j) => j.id));
  }
  backward.push(...stack.at(-1)!);
  return { forward, backward, pages };
}

describe('what a search matches', () => {
  it('matches words by their start in the name or in the id, case and accents ignored', async () => {
    expect(await ids({ q: 'zurich' })).toEqual(['zurich-nightly']);
    expect(await ids({ q: 'ZÜRICH back' })).toEqual(['zurich-nightly']);
    expect(await ids({ q: 'invoices' })).toEqual(['voices-x']);
    expect(await ids({ q: 'voices', sort: 'name' })).toEqual(['voices-x']); // from the id; not "invoices" in the name
    expect(await ids({ q: 'cafe report' })).toEqual(['café-ops']);
    expect(await ids({ q: 'snake_case' })).toEqual(['under_score']);
    expect(await ids({ q: 'case_report' })).toEqual([]); // `_` joins words
  });

  it('needs every word in the same field', async () => {
    expect(await ids({ q: 'inv abc' })).toEqual([]); // "inv" begins a word of the id, "abc" one of the name
    expect(await ids({ q: 'xinv abc' })).toEqual(['inv-split']);
  });

  it('finds a word that begins a stop word, the stop word included', async () => {
    expect(await ids({ q: 'wha', sort: 'name' })).toEqual(['what-now', 'whatever-job']);
  });

  it('looks up short words and stop words too, accents ignored, all in the same field', async () => {
    expect(await ids({ q: 'zu nightly' })).toEqual(['zurich-nightly']); // "zu" begins "Zürich"
    expect(await ids({ q: 'now what' })).toEqual(['what-now']);
    expect(await ids({ q: 'xi ab' })).toEqual(['inv-split']);
    expect(await ids({ q: 'ab inv' })).toEqual([]); // "ab" begins a word of the name, "inv" one of the id
    expect(await ids({ q: `report ${'x'.repeat(85)}` })).toEqual([]);
    // More words than lists read (the longest are read, the rows checked).
    expect(await ids({ q: 'zurich nightly backup zu ni ba' })).toEqual(['zurich-nightly']);
    expect(await ids({ q: 'zurich nightly backup zu ni bx' })).toEqual([]);
  });

  it('does not find a word longer than the index holds (84 characters)', async () => {
    expect(await ids({ q: 'report xxx', sort: 'name' })).toEqual(['long-ok']);
  });
});

describe('the lookup and the walk give the same pages', () => {
  const searches = ['common', 'common task', 'rare', 'task 0001', 'plain rare', 'plain ta', 'report', 'job', 'wha', 'nothing-such'];
  const sorts = ['nextRunAt', '-nextRunAt', 'name', '-name', 'lastRunAt', '-lastRunAt', 'updatedAt', '-createdAt'];

  it('on every sort, and with filters', async () => {
    for (const q of searches) {
      for (const sort of sorts) {
        // countCap 1: more than one match is read by walking; the default: up to SEARCH_COUNT_CAP by the lookup.
        const looked = await ids({ q, sort });
        const walked = await ids({ q, sort }, 1);
        expect(walked, `${q} ${sort}`).toEqual(looked);
      }
      expect(await ids({ q, state: 'paused', sort: 'name' }, 1), q).toEqual(await ids({ q, state: 'paused', sort: 'name' }));
      expect(await ids({ q, lastStatus: 'never', sort: 'lastRunAt' }, 1), q).toEqual(await ids({ q, lastStatus: 'never', sort: 'lastRunAt' }));
    }
  });

  it('page by page, forward and back by cursor, and by page number', async () => {
    for (const [q, sort] of [['rare', 'nextRunAt'], ['rare', '-lastRunAt'], ['plain rare', 'name'], ['report', '-nextRunAt']]) {
      const all = await ids({ q, sort });
      expect(all.length, q).toBeGreaterThan(1);
      for (const countCap of [1, 10_000]) {
        const { forward, backward, pages } = await walkPages({ q, sort }, countCap);
        expect(forward, `${q} ${sort} ${countCap}`).toEqual(all);
        expect(backward, `${q} ${sort} ${countCap}`).toEqual(all);
        expect(pages).toBe(Math.ceil(all.length / 7));
        const second = await listJobs(ctx, { q, sort, page: 2, pageSize: 3 }, { countCap });
        expect(second.items.map((j) => j.id)).toEqual(all.slice(3, 6));
      }
    }
  });

  it('pages through matches tied on the sort value the same both ways', async () => {
    // 20 matches sharing 3 next runs and 2 last runs (some none), ids differing in case: a page of
    // known matches is read among the few that can be on it, and ties are ordered by the database.
    const rows = Array.from({ length: 20 }, (_, i) => {
      const id = `${i % 2 ? 'TIE' : 'tie'}-${String(i).padStart(2, '0')}`;
      const paused = i % 5 === 0;
      return [id, `Tiedbatch ${i}`, paused ? 'paused' : 'active', paused ? null : 60 + (i % 3), i % 4 === 0 ? null : 30 + (i % 2)];
    });
    for (const [id, name, state, next, last] of rows) {
      await tdb.query(
        `INSERT INTO jobs (id, name, task, args, \`trigger\`, state, next_run_at, options, last_run_at)
         VALUES (?, ?, 'log.message', '{}', '{}', ?, IF(? IS NULL, NULL, TIMESTAMP('2031-01-01') + INTERVAL ? MINUTE), '{}', IF(? IS NULL, NULL, TIMESTAMP('2030-01-01') + INTERVAL ? MINUTE))`,
        [id, name, state, next, next, last, last],
      );
    }
    await indexUnindexedJobs(tdb.db);
    try {
      for (const sort of ['nextRunAt', '-nextRunAt', 'lastRunAt', '-lastRunAt', 'createdAt']) {
        const all = await ids({ q: 'tiedbatch', sort }, 1);
        expect(all, sort).toHaveLength(20);
        expect(await ids({ q: 'tiedbatch', sort }), sort).toEqual(all);
        const { forward, backward } = await walkPages({ q: 'tiedbatch', sort }, 10_000);
        expect(forward, sort).toEqual(all);
        expect(backward, sort).toEqual(all);
        const third = await listJobs(ctx, { q: 'tiedbatch', sort, page: 3, pageSize: 4 });
        expect(third.items.map((j) => j.id), sort).toEqual(all.slice(8, 12));
        const last = await listJobs(ctx, { q: 'tiedbatch', sort, pageSize: 6, cursor: lastPageCursor(sort as 'nextRunAt') });
        expect(last.items.map((j) => j.id), sort).toEqual(all.slice(18));
      }
    } finally {
      await tdb.query("DELETE FROM jobs WHERE name LIKE 'Tiedbatch %'");
    }
  });
});

describe('counting a search', () => {
  it('counts up to SEARCH_COUNT_CAP, exactly on the last page', async () => {
    const common = Math.ceil(N / 3);
    expect(common).toBeGreaterThan(SEARCH_COUNT_CAP);
    expect(await listJobs(ctx, { q: 'common' })).toMatchObject({ total: SEARCH_COUNT_CAP, totalExact: false, page: 1 });
    expect(await listJobs(ctx, { q: 'rare' })).toMatchObject({ total: N / 250, totalExact: true });
    expect(await listJobs(ctx, { q: 'common' }, { countCap: 100 })).toMatchObject({ total: 100, totalExact: false });
    const last = await listJobs(ctx, { q: 'common', sort: 'name', pageSize: 100, cursor: lastPageCursor('name') });
    expect(last).toMatchObject({ total: common, totalExact: true, page: Math.ceil(common / 100), nextCursor: null });
    expect(last.items.at(-1)?.id).toBe(`job-${Math.floor((N - 1) / 3) * 3}`);
  });

  it('counts a common word with a filter among all its jobs, not the ones its lookup read', async () => {
    // "common" is held by more jobs than a lookup reads (SEARCH_COUNT_CAP + 1); every 12th job is both.
    const paused = Math.ceil(N / 12);
    expect(paused).toBeLessThan(SEARCH_COUNT_CAP);
    expect(await listJobs(ctx, { q: 'common', state: 'paused' })).toMatchObject({ total: paused, totalExact: true });
    const last = await listJobs(ctx, { q: 'common', state: 'paused', sort: 'name', pageSize: 100, cursor: lastPageCursor('name') });
    expect(last).toMatchObject({ total: paused, page: Math.ceil(paused / 100) });
    expect(last.items.at(-1)?.id).toBe(`job-${Math.floor((N - 1) / 12) * 12}`);
  });

  it('remembers for a while that a search has more matches than it counts, and walks it at once', async () => {
    // A clock of its own, a day ahead: nothing another test searched is remembered at it.
    let now = Date.now() + 86_400_000;
    const clocked = { ...ctx, now: () => new Date(now) };
    const query = { q: 'common', sort: 'name' };
    // Count the statements: the lookup's, the page's.
    const selects = async (fn: () => Promise<unknown>) => {
      const count = async () => Number(((await pool.query("SHOW SESSION STATUS LIKE 'Com_select'"))[0] as Array<{ Value: string }>)[0].Value);
      const before = await count();
      await fn();
      return (await count()) - before;
    };
    // The lookup, the page, and the page's last executions; then without the lookup.
    expect(await selects(() => listJobs(clocked, query))).toBe(3);
    const first = await listJobs(clocked, query);
    expect(await selects(() => listJobs(clocked, query))).toBe(2);
    expect(first).toMatchObject({ total: SEARCH_COUNT_CAP, totalExact: false });
    // The page is read row by row all the same: a job that stops matching is gone from it at once.
    const renamed = first.items[0];
    await tdb.query('UPDATE jobs SET name = ? WHERE id = ?', [renamed.name.replace('Common', 'Plain'), renamed.id]);
    try {
      const after = await listJobs(clocked, query);
      expect(after.items.map((j) => j.id)).toEqual([...first.items.slice(1).map((j) => j.id), after.items.at(-1)!.id]);
      expect(after.items.map((j) => j.id)).not.toContain(renamed.id);
    } finally {
      await tdb.query('UPDATE jobs SET name = ? WHERE id = ?', [renamed.name, renamed.id]);
    }
    // Once CROWDED_LIST_TTL_MS is over, the lookup runs again.
    now += CROWDED_LIST_TTL_MS;
    expect(await selects(() => listJobs(clocked, query))).toBe(3);
  });

  it('reads about a page for a common word, and the matches only for a rare one', async () => {
    for (const q of ['common', 'rare']) {
      for (const sort of ['nextRunAt', 'name', '-lastRunAt']) {
        // Checking every job would read N rows (about 200 here: a page's walk and both ends of the
        // NULLs), plus the lookup: a common word's jobs in the word table up to the cap (counted twice:
        // DISTINCT goes through a temporary table).
        const lookup = q === 'common' ? 2 * (SEARCH_COUNT_CAP + 1) : 0;
        expect(await rowsRead(() => listJobs(ctx, { q, sort })), `${q} ${sort}`).toBeLessThan(N / 10 + lookup);
      }
    }
    // The measure does see full reads: an infix LIKE reads every row.
    expect(await rowsRead(() => pool.query("SELECT id FROM jobs WHERE name LIKE '%no such job%' LIMIT 20"))).toBeGreaterThanOrEqual(N);
  });
});
