import { describe, expect, it } from 'vitest';
import { pageCandidates, type Candidate } from './search-page';

/** The list's real order of `rows` (ties by id; ids here compare the same in any collation). */
function ordered(rows: Candidate[], ascending: boolean): Candidate[] {
  return [...rows].sort((a, b) => {
    if ((a.at === null) !== (b.at === null)) return a.at === null ? 1 : -1;
    if (a.at !== null && b.at !== null && a.at !== b.at) return ascending ? a.at - b.at : b.at - a.at;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

const rows: Candidate[] = [
  { id: 'a', at: 30 },
  { id: 'b', at: 10 },
  { id: 'c', at: 20 },
  { id: 'd', at: 20 },
  { id: 'e', at: null },
  { id: 'f', at: 40 },
  { id: 'g', at: null },
  { id: 'h', at: 20 },
];

describe('pageCandidates', () => {
  it('keeps the first rows of a read and everything tied with the last of them', () => {
    expect(pageCandidates(rows, { ascending: true, reverse: false, limit: 2 }).sort()).toEqual(['b', 'c', 'd', 'h']);
    expect(pageCandidates(rows, { ascending: false, reverse: false, limit: 2 }).sort()).toEqual(['a', 'f']);
    expect(pageCandidates(rows, { ascending: true, reverse: false, limit: 7 }).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(pageCandidates(rows, { ascending: true, reverse: false, limit: 5 }).sort()).toEqual(['a', 'b', 'c', 'd', 'h']);
    expect(pageCandidates([], { ascending: true, reverse: false, limit: 3 })).toEqual([]);
  });

  it('reads backwards with the rows without a value first', () => {
    expect(pageCandidates(rows, { ascending: true, reverse: true, limit: 1 }).sort()).toEqual(['e', 'g']);
    expect(pageCandidates(rows, { ascending: true, reverse: true, limit: 3 }).sort()).toEqual(['e', 'f', 'g']);
    expect(pageCandidates(rows, { ascending: false, reverse: true, limit: 3 }).sort()).toEqual(['b', 'e', 'g']);
  });

  it('starts at a cursor, keeping the rows tied with it', () => {
    expect(pageCandidates(rows, { ascending: true, reverse: false, from: { at: 20 }, limit: 1 }).sort()).toEqual(['a', 'c', 'd', 'h']);
    expect(pageCandidates(rows, { ascending: true, reverse: false, from: { at: 40 }, limit: 5 }).sort()).toEqual(['e', 'f', 'g']);
    expect(pageCandidates(rows, { ascending: true, reverse: false, from: { at: null }, limit: 5 }).sort()).toEqual(['e', 'g']);
    expect(pageCandidates(rows, { ascending: true, reverse: true, from: { at: 20 }, limit: 1 }).sort()).toEqual(['b', 'c', 'd', 'h']);
    expect(pageCandidates(rows, { ascending: false, reverse: true, from: { at: null }, limit: 2 }).sort()).toEqual(['b', 'c', 'd', 'e', 'g', 'h']);
  });

  it('always holds the rows the read returns, whatever the page', () => {
    // Every cursor position, direction and page size: the true next rows are all kept.
    for (const ascending of [true, false]) {
      const order = ordered(rows, ascending);
      for (let from = -1; from < order.length; from++) {
        for (let limit = 1; limit <= order.length; limit++) {
          const cursor = from >= 0 ? { at: order[from].at } : undefined;
          const forward = order.slice(from + 1, from + 1 + limit).map((r) => r.id);
          expect(pageCandidates(rows, { ascending, reverse: false, from: cursor, limit })).toEqual(expect.arrayContaining(forward));
          const back = from >= 0 ? order.slice(Math.max(0, from - limit), from).map((r) => r.id) : order.slice(-limit).map((r) => r.id);
          expect(pageCandidates(rows, { ascending, reverse: true, from: cursor, limit })).toEqual(expect.arrayContaining(back));
        }
      }
    }
  });
});
