import { describe, expect, it } from 'vitest';
import { idRanges } from './prune-history';

describe('idRanges', () => {
  it('joins sorted ids into ranges, starting a new one past the gap', () => {
    expect(idRanges([1, 2, 3, 10, 11, 70, 200], 64)).toEqual([
      [1, 70],
      [200, 200],
    ]);
    expect(idRanges([5, 7, 9], 1)).toEqual([
      [5, 5],
      [7, 7],
      [9, 9],
    ]);
    expect(idRanges([], 64)).toEqual([]);
  });
});
