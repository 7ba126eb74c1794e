import { describe, expect, it } from 'vitest';
import { createLoginLimiter, minutesText } from './login-limiter';

function clock(start = 1_800_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('login limiter', () => {
  it('allows five failures in fifteen minutes, then refuses until the oldest one leaves the window', () => {
    const c = clock();
    const limiter = createLoginLimiter({ now: c.now });
    for (let i = 0; i < 5; i++) {
      expect(limiter.attempt('1.2.3.4')).toEqual({ allowed: true });
      c.advance(60_000);
    }
    expect(limiter.attempt('1.2.3.4')).toEqual({ allowed: false, retryAfterMs: 10 * 60_000 });
    c.advance(10 * 60_000 - 1);
    expect(limiter.attempt('1.2.3.4').allowed).toBe(false);
    c.advance(1);
    expect(limiter.attempt('1.2.3.4')).toEqual({ allowed: true });
  });

  it('refused attempts do not extend the wait', () => {
    const c = clock();
    const limiter = createLoginLimiter({ now: c.now, maxFailures: 2, windowMs: 1000 });
    limiter.attempt('k');
    limiter.attempt('k');
    for (let i = 0; i < 5; i++) {
      expect(limiter.attempt('k').allowed).toBe(false);
      c.advance(100);
    }
    c.advance(500);
    expect(limiter.attempt('k').allowed).toBe(true);
  });

  it('keeps clients apart, and a success clears only that client', () => {
    const limiter = createLoginLimiter({ maxFailures: 1 });
    expect(limiter.attempt('a').allowed).toBe(true);
    expect(limiter.attempt('b').allowed).toBe(true);
    expect(limiter.attempt('a').allowed).toBe(false);
    limiter.succeeded('a');
    expect(limiter.attempt('a').allowed).toBe(true);
    expect(limiter.attempt('b').allowed).toBe(false);
  });

  it('forgets the oldest keys past maxKeys', () => {
    const limiter = createLoginLimiter({ maxFailures: 1, maxKeys: 2 });
    limiter.attempt('a');
    limiter.attempt('b');
    limiter.attempt('c');
    expect(limiter.attempt('a').allowed).toBe(true);
    expect(limiter.attempt('c').allowed).toBe(false);
  });

  it('says the wait in whole minutes, rounded up', () => {
    expect(minutesText(1)).toBe('1 minute');
    expect(minutesText(60_000)).toBe('1 minute');
    expect(minutesText(60_001)).toBe('2 minutes');
    expect(minutesText(15 * 60_000)).toBe('15 minutes');
  });
});
