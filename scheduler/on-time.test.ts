import { describe, expect, it } from 'vitest';
import { EarlyWake, SPIN_BUDGET_MS, WAKE_EARLY_MS } from './on-time';

/** A clock that moves `step` ms each time it is read: the engine's and the real one at once. */
function ticking(start: number, step = 0.25) {
  let t = start;
  return { read: () => (t += step), peek: () => t, jump: (ms: number) => (t += ms) };
}

describe('EarlyWake', () => {
  it('watches the clock until the instant when it is at most WAKE_EARLY_MS away', () => {
    const clock = ticking(1000);
    const wake = new EarlyWake(clock.read);
    expect(wake.spinUntil(clock.read, 1000 + WAKE_EARLY_MS)).toBe(true);
    expect(clock.peek()).toBeGreaterThanOrEqual(1000 + WAKE_EARLY_MS);
    // It stopped at the instant, not later.
    expect(clock.peek()).toBeLessThan(1000 + WAKE_EARLY_MS + 1);
  });

  it('leaves an instant further away to a timer', () => {
    const clock = ticking(1000);
    const wake = new EarlyWake(clock.read);
    expect(wake.spinUntil(clock.read, 1000 + WAKE_EARLY_MS + 2)).toBe(false);
    expect(clock.peek()).toBeLessThan(1001);
  });

  it(`watches at most ${SPIN_BUDGET_MS} ms in a second, then leaves the instants to timers until the next second`, () => {
    const clock = ticking(0);
    const wake = new EarlyWake(clock.read);
    let waited = 0;
    for (let i = 0; i < 20; i++) {
      const at = clock.peek() + 4;
      if (wake.spinUntil(clock.read, at)) waited++;
      else break;
    }
    // 4 ms each: 12 fit in 50 ms.
    expect(waited).toBe(Math.floor(SPIN_BUDGET_MS / 4.25));
    expect(wake.spinUntil(clock.read, clock.peek() + 4)).toBe(false);
    clock.jump(1000);
    expect(wake.spinUntil(clock.read, clock.peek() + 4)).toBe(true);
  });

  it('gives up by the real clock when the engine\'s clock does not move (an injected one)', () => {
    const real = ticking(0);
    const wake = new EarlyWake(real.read);
    expect(wake.spinUntil(() => 500, 503)).toBe(true);
    // Three milliseconds to go, a millisecond more at most.
    expect(real.peek()).toBeGreaterThanOrEqual(4);
    expect(real.peek()).toBeLessThanOrEqual(4.5);
  });
});
