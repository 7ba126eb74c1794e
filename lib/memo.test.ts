import { describe, expect, it } from 'vitest';
import { memo } from './memo';

describe('memo', () => {
  it('makes each value once, null and undefined included', () => {
    const made: string[] = [];
    const f = memo(10, (key: string) => (made.push(key), key === 'none' ? null : key === 'nothing' ? undefined : key.length));
    for (let i = 0; i < 3; i++) expect([f('abc'), f('none'), f('nothing')]).toEqual([3, null, undefined]);
    expect(made).toEqual(['abc', 'none', 'nothing']);
  });

  it('keeps at most `cap` values, starting again when full', () => {
    let calls = 0;
    const f = memo(2, (n: number) => (calls++, n * 2));
    f(1);
    f(2);
    f(1);
    expect(calls).toBe(2);
    f(3); // full: starts again with 3
    f(1);
    expect(calls).toBe(4);
  });

  it('keeps nothing when making throws', () => {
    let calls = 0;
    const f = memo(10, () => {
      calls++;
      throw new RangeError('no');
    });
    expect(() => f('x')).toThrow(RangeError);
    expect(() => f('x')).toThrow(RangeError);
    expect(calls).toBe(2);
  });
});
