import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { call, expectFieldError, expectProblem } from './client';

/**
 * GET /api/jobs at the edges of keyset paging, search and the lastStatus filter: cursors walk
 * every page of every sort (nullable ones included, with ties) with no duplicate and no gap,
 * forwards and backwards, and a cursor that is not one of ours is a 400 problem+json.
 */

const DATABASE_URL = process.env.CRONBOARD_TEST_DATABASE_URL ?? inject('apiDatabaseUrl');
const run = Date.now().toString(36);
const PREFIX = `paging-${run}`;
const N = 23;
const ids = Array.from({ length: N }, (_, i) => `${PREFIX}-${String(i).padStart(2, '0')}`);
let db: mysql.Connection;

const list = async (query: Record<string, string | number | undefined>) => {
  const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
  const res = await call('GET', `/api/jobs?${params}`);
  expect(res.status, res.text.slice(0, 300)).toBe(200);
  return res.body as { items: Array<{ id: string }>; total: number; totalExact: boolean; page: number; nextCursor: string | null; prevCursor: string | null };
};

beforeAll(async () => {
  for (const [i, id] of ids.entries()) {
    const res = await call('POST', '/api/jobs', {
      json: {
        id,
        name: `Paging ${['Zürich invoices', 'nightly backup', 'café report'][i % 3]} ${i}`,
        task: 'log.message',
        args: { message: 'paging' },
        trigger: { type: 'interval', every: { hours: 1 + i } },
        paused: i % 4 === 0,
      },
    });
    expect(res.status, res.text).toBe(201);
  }
  db = await mysql.createConnection({ uri: DATABASE_URL, timezone: 'Z' });
  // Ties: groups of three share a next run; every third job never ran, the others share last runs in pairs.
  const base = Date.now() + 86_400_000;
  for (const [i, id] of ids.entries()) {
    await db.query('UPDATE jobs SET next_run_at = IF(state = ?, ?, NULL), last_run_at = ?, last_status = ? WHERE id = ?', [
      'active',
      new Date(base + Math.floor(i / 3) * 60_000),
      i % 3 === 0 ? null : new Date(base - Math.floor(i / 2) * 60_000),
      i % 3 === 0 ? null : i % 5 === 0 ? 'failed' : 'succeeded',
      id,
    ]);
  }
});

afterAll(async () => {
  await db?.query('DELETE FROM jobs WHERE id LIKE ?', [`${PREFIX}-%`]);
  await db?.end();
});

describe('cursor paging', () => {
  const sorts = ['nextRunAt', '-nextRunAt', 'lastRunAt', '-lastRunAt', 'name', '-name', 'updatedAt', '-createdAt'];

  it.each(sorts)('walks every page of sort %s forwards and backwards with no duplicate and no gap', async (sort) => {
    const q = PREFIX;
    const all = (await list({ q, sort, pageSize: 100 })).items.map((j) => j.id);
    expect(all.slice().sort()).toEqual(ids);

    const pages: string[][] = [];
    let page = await list({ q, sort, pageSize: 4 });
    expect(page).toMatchObject({ page: 1, prevCursor: null, total: N, totalExact: true });
    pages.push(page.items.map((j) => j.id));
    while (page.nextCursor) {
      const next = await list({ q, sort, pageSize: 4, cursor: page.nextCursor });
      expect(next.page).toBe(page.page + 1);
      expect(next.total).toBe(N);
      pages.push(next.items.map((j) => j.id));
      page = next;
    }
    expect(pages).toHaveLength(Math.ceil(N / 4));
    expect(pages.flat()).toEqual(all);

    // And back from the last page to the first, page by page.
    const back: string[][] = [page.items.map((j) => j.id)];
    while (page.prevCursor) {
      const prev = await list({ q, sort, pageSize: 4, cursor: page.prevCursor });
      expect(prev.page).toBe(page.page - 1);
      back.unshift(prev.items.map((j) => j.id));
      page = prev;
    }
    expect(page.page).toBe(1);
    // Going back aligns pages on the rows, not on multiples of pageSize, and ends at a full first page.
    expect(back.flat().slice(0, 4)).toEqual(all.slice(0, 4));
    expect(new Set(back.flat()).size).toBe(back.flat().length);
  });

  it('page numbers and cursors mix: page 2 by number gives the cursor to page 3', async () => {
    const byNumber = await list({ q: PREFIX, pageSize: 5, page: 2 });
    const third = await list({ q: PREFIX, pageSize: 5, cursor: byNumber.nextCursor! });
    expect(third.items.map((j) => j.id)).toEqual((await list({ q: PREFIX, pageSize: 5, page: 3 })).items.map((j) => j.id));
    expect(third.page).toBe(3);
    const second = await list({ q: PREFIX, pageSize: 5, cursor: third.prevCursor! });
    expect(second.items).toEqual(byNumber.items);
  });

  it.each([
    ['not base64url', 'not a cursor!'],
    ['base64url of no JSON', 'bm90IGpzb24'],
    ['JSON of the wrong shape', 'eyJzIjoibmFtZSJ9'],
    ['a cursor of another sort', 'eyJzIjoiLW5hbWUiLCJkIjoiYWZ0ZXIiLCJrIjpbIngiLCJ5Il0sInAiOjJ9'],
    ['a cursor whose instant is no instant', 'eyJzIjoibmV4dFJ1bkF0IiwiZCI6ImFmdGVyIiwiayI6WyJub3QgYSBkYXRlIiwieSJdLCJwIjoyfQ'],
    ['a cursor without a value for a sort every job has', 'eyJzIjoibmFtZSIsImQiOiJhZnRlciIsImsiOltudWxsLCJ5Il0sInAiOjJ9'],
  ])('a cursor that is %s is a 400 naming the cursor', async (_label, cursor) => {
    const sort = cursor.startsWith('eyJzIjoibmV4dFJ1bkF0') ? 'nextRunAt' : 'name';
    const res = await call('GET', `/api/jobs?sort=${sort}&cursor=${encodeURIComponent(cursor)}`);
    expectProblem(res, 400, true);
    expectFieldError(res, 'cursor');
  });

  it('a cursor together with a page number is a 400', async () => {
    const { nextCursor } = await list({ q: PREFIX, pageSize: 5 });
    const res = await call('GET', `/api/jobs?q=${PREFIX}&pageSize=5&page=2&cursor=${nextCursor}`);
    expectProblem(res, 400, true);
    expectFieldError(res, 'cursor');
  });
});

describe('search and the lastStatus filter', () => {
  const found = async (q: string, extra: Record<string, string> = {}) =>
    (await list({ q, pageSize: 100, sort: 'name', ...extra })).items.map((j) => j.id).filter((id) => id.startsWith(PREFIX));
  const where = (pred: (i: number) => boolean) => ids.filter((_, i) => pred(i));

  it('finds words by their start in names, case and accents ignored, and ids by their words or start', async () => {
    expect(await found(`Paging zurich ${run}`)).toEqual([]); // the run id is in ids, not in names: one field must hold every word
    expect((await found('ZURICH invoi')).sort()).toEqual(where((i) => i % 3 === 0));
    expect((await found('nightly back')).sort()).toEqual(where((i) => i % 3 === 1));
    expect((await found(`${PREFIX}-1`)).sort()).toEqual(where((i) => i >= 10 && i < 20));
    expect(await found(`${run}-07`)).toEqual([ids[7]]);
    expect(await found('voices')).toEqual([]); // a word is matched from its start, not in its middle
    expect(await found(`café report ${run}`)).toEqual([]);
  });

  it('looks short words up too: each begins a word, accents ignored', async () => {
    // The ids' words: "paging", the run, and the number ("00" to "22").
    expect((await found(`${run} 1`)).sort()).toEqual(ids.slice(10, 20));
    expect((await found(`zu ${run}`)).sort()).toEqual([]); // "zu" begins "Zürich" in the names, the run is in the ids
    expect((await found(`zu in`)).sort()).toEqual(ids.filter((_, i) => i % 3 === 0));
  });

  it('filters by last status, with cursors', async () => {
    const failed = where((i) => i % 3 !== 0 && i % 5 === 0);
    expect((await found(PREFIX, { lastStatus: 'failed' })).sort()).toEqual(failed);
    expect((await found(PREFIX, { lastStatus: 'never' })).sort()).toEqual(where((i) => i % 3 === 0));
    const first = await list({ q: PREFIX, lastStatus: 'succeeded', pageSize: 3 });
    const second = await list({ q: PREFIX, lastStatus: 'succeeded', pageSize: 3, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((j) => j.id)).toEqual((await list({ q: PREFIX, lastStatus: 'succeeded', pageSize: 6 })).items.map((j) => j.id));
  });
});
