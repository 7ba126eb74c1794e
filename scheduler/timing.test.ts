import { describe, expect, it } from 'vitest';
import { MAX_LOOKAHEAD_MS, nextLookahead } from './timing';

describe('nextLookahead', () => {
  const quick = { min: 50, claimMs: 5 };

  it('stays at the minimum while claims are quick', () => {
    expect(nextLookahead({ current: 50, ...quick, elapsedMs: 1000 })).toBe(50);
  });

  it('grows to twice a slow turn at once, up to a second', () => {
    expect(nextLookahead({ current: 50, min: 50, claimMs: 110, elapsedMs: 1000 })).toBe(220);
    expect(nextLookahead({ current: 50, min: 50, claimMs: 900, elapsedMs: 1000 })).toBe(MAX_LOOKAHEAD_MS);
  });

  it('halves every 30 s after slow turns, by the clock, however many turns there were', () => {
    expect(nextLookahead({ current: 400, ...quick, elapsedMs: 30_000 })).toBeCloseTo(200, 6);
    // Thirty turns a second apart end where one turn 30 s later does.
    let lookahead = 400;
    for (let i = 0; i < 30; i++) lookahead = nextLookahead({ current: lookahead, ...quick, elapsedMs: 1000 });
    expect(lookahead).toBeCloseTo(200, 6);
  });

  it('still covers a turn four times slower than the last, ten seconds after a slow one', () => {
    // A 110 ms turn, then quick ones (30 ms) for 10 s: the next 110 ms turn still ends before the instant.
    let lookahead = nextLookahead({ current: 50, min: 50, claimMs: 110, elapsedMs: 1000 });
    for (let i = 0; i < 10; i++) lookahead = nextLookahead({ current: lookahead, min: 50, claimMs: 30, elapsedMs: 1000 });
    expect(lookahead).toBeGreaterThan(110);
  });

  it('is 0 when the engine is told never to claim ahead', () => {
    expect(nextLookahead({ current: 0, min: 0, claimMs: 500, elapsedMs: 10 })).toBe(0);
  });

  it('does not grow when the clock steps back', () => {
    expect(nextLookahead({ current: 300, ...quick, elapsedMs: -5000 })).toBe(300);
  });
});
