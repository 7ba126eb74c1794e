import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { JobRow } from '../db/schema';
import type { Scope } from './list-jobs';
import { eitherWay, walksBesideLookups, type SearchScope } from './list-search';

/** Pages read by a slow lookup's two ways (eitherWay); the reads are stand-ins that say which way ran. */

const walking: Scope = { where: sql`walk` };
const known: SearchScope = { where: sql`known`, countWhere: sql`c`, counted: { total: 3, totalExact: true }, amongMatches: true };
const crowded: SearchScope = { where: sql`walk`, countWhere: sql`c`, counted: { total: 500, totalExact: false } };
const row = (id: string) => ({ id }) as JobRow;

/** A deferred value: resolve or reject it later. */
function later<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A read whose walk answers when told to, and whose read among known matches answers at once; the scopes it was asked for. */
function reads() {
  const walk = later<JobRow[]>();
  const asked: Scope[] = [];
  const read = (s: Scope) => {
    asked.push(s);
    return s === walking ? walk.promise : Promise.resolve([row('by-lookup')]);
  };
  return { read, walk, asked };
}

describe('eitherWay', () => {
  it('takes the page read among the matches when the lookup ends before the walk', async () => {
    const { read, walk, asked } = reads();
    const page = eitherWay(read, walking, Promise.resolve(known), 'active');
    expect(await page).toEqual([row('by-lookup')]);
    expect(asked).toEqual([walking, { ...known, state: 'active' }]);
    walk.resolve([row('by-walk')]);
  });

  it('takes the walk when it ends first', async () => {
    const { read, walk } = reads();
    const settled = later<SearchScope>();
    const page = eitherWay(read, walking, settled.promise, undefined);
    walk.resolve([row('by-walk')]);
    expect(await page).toEqual([row('by-walk')]);
    settled.resolve(known);
  });

  it('takes the walk when the lookup finds more matches than it counts', async () => {
    const { read, walk, asked } = reads();
    const page = eitherWay(read, walking, Promise.resolve(crowded), undefined);
    await new Promise((r) => setTimeout(r, 5));
    walk.resolve([row('by-walk')]);
    expect(await page).toEqual([row('by-walk')]);
    expect(asked).toEqual([walking]);
  });

  it('walks beside two slow lookups at once at most; beyond, reads the page the way the lookup says', async () => {
    const busy = [reads(), reads()];
    const pages = busy.map(({ read }) => eitherWay(read, walking, new Promise<SearchScope>(() => {}), undefined));
    expect(walksBesideLookups()).toBe(2);
    const third = reads();
    expect(await eitherWay(third.read, walking, Promise.resolve(known), undefined)).toEqual([row('by-lookup')]);
    expect(third.asked).toEqual([{ ...known, state: undefined }]);
    // Over the cap, the lookup's scope is the walk: read once it says so.
    const fourth = reads();
    const crowdedPage = eitherWay(fourth.read, walking, Promise.resolve({ ...crowded, where: walking.where }), undefined);
    await new Promise((r) => setTimeout(r, 5));
    expect(fourth.asked).toHaveLength(1);
    for (const b of busy) b.walk.resolve([row('by-walk')]);
    expect(await Promise.all(pages)).toEqual([[row('by-walk')], [row('by-walk')]]);
    await new Promise((r) => setTimeout(r, 0));
    expect(walksBesideLookups()).toBe(0);
    await crowdedPage;
  });

  it('fails with the way that fails first, and a later failure of the other is not unhandled', async () => {
    const { read, walk } = reads();
    const settled = later<SearchScope>();
    const page = eitherWay(read, walking, settled.promise, undefined);
    walk.reject(new Error('walk failed'));
    await expect(page).rejects.toThrow('walk failed');
    settled.reject(new Error('lookup failed'));
    // An unhandled rejection would fail the run.
    await new Promise((r) => setTimeout(r, 5));
  });
});
