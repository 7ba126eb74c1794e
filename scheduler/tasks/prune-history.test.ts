import { describe, expect, it } from 'vitest';
import { joinRanges } from './prune-history';

describe('joinRanges', () => {
  it('joins sorted ranges that start at most the gap after the previous one ends', () => {
    expect(
      joinRanges(
        [
          [1, 10],
          [64, 70],
          [135, 140],
          [200, 200],
        ],
        64,
      ),
    ).toEqual([
      [1, 70],
      [135, 200],
    ]);
    expect(
      joinRanges(
        [
          [5, 5],
          [7, 7],
          [9, 9],
        ],
        1,
      ),
    ).toEqual([
      [5, 5],
      [7, 7],
      [9, 9],
    ]);
    expect(joinRanges([], 64)).toEqual([]);
  });

  it('does not change the ranges it is given', () => {
    const ranges: Array<[number, number]> = [
      [1, 2],
      [3, 4],
    ];
    expect(joinRanges(ranges, 64)).toEqual([[1, 4]]);
    expect(ranges).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
});
