import { describe, expect, it } from 'vitest';
import { BusyTracker } from './quiet';

/** A tracker on a clock the test sets, and a way to see whether a quiet() call has resolved. */
function setup() {
  let now = 1_000_000;
  const busy = new BusyTracker(() => now);
  const track = (p: Promise<void>) => {
    const state = { done: false };
    void p.then(() => (state.done = true));
    return state;
  };
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  /** Fires claimed to start `ms` from now; returns what starts them. */
  const startsIn = (ms: number) => {
    let start!: () => void;
    busy.startsAt(now + ms, new Promise<void>((resolve) => (start = resolve)));
    return start;
  };
  return { busy, track, flush, startsIn, now: () => now };
}

describe('BusyTracker.quiet', () => {
  it('resolves at once when nothing is planned within the window', async () => {
    const { busy, track, flush, now } = setup();
    busy.turnEnded(now() + 500);
    const q = track(busy.quiet(100));
    await flush();
    expect(q.done).toBe(true);
  });

  it('waits out a claim turn in progress, then fires starting within the window', async () => {
    const { busy, track, flush, startsIn, now } = setup();
    busy.turnStarted();
    const q = track(busy.quiet(100));
    await flush();
    expect(q.done).toBe(false);
    // The turn claims fires starting in 50 ms and plans the next turn a second later.
    const start = startsIn(50);
    busy.turnEnded(now() + 1000);
    await flush();
    expect(q.done).toBe(false);
    start();
    await flush();
    expect(q.done).toBe(true);
  });

  it('waits for the next turn when it is due within the window', async () => {
    const { busy, track, flush, now } = setup();
    busy.turnEnded(now() + 30);
    const q = track(busy.quiet(100));
    await flush();
    expect(q.done).toBe(false);
    busy.turnStarted();
    busy.turnEnded(now() + 1000);
    await flush();
    expect(q.done).toBe(true);
  });

  it('ignores fires starting after the window', async () => {
    const { busy, track, flush, now } = setup();
    busy.turnEnded(now() + 1000);
    busy.startsAt(now() + 500, new Promise<void>(() => {}));
    const q = track(busy.quiet(100));
    await flush();
    expect(q.done).toBe(true);
  });

  it('waits out a few bursts at most, so dense fires never hold the caller for good', async () => {
    const { busy, track, flush, now } = setup();
    const starts: Array<() => void> = [];
    for (let i = 1; i <= 10; i++) busy.startsAt(now() + i, new Promise<void>((resolve) => starts.push(resolve)));
    busy.turnEnded(now() + 1000);
    const q = track(busy.quiet(100));
    for (const start of starts.slice(0, 2)) {
      start();
      await flush();
      expect(q.done).toBe(false);
    }
    starts[2]();
    await flush();
    expect(q.done).toBe(true);
  });

  it('lets every waiter go when the engine stops', async () => {
    const { busy, track, flush } = setup();
    busy.turnStarted();
    const q = track(busy.quiet(100));
    busy.close();
    await flush();
    expect(q.done).toBe(true);
    const after = track(busy.quiet(100));
    await flush();
    expect(after.done).toBe(true);
  });

  it('waits out the several turns a burst of fires takes, then the fires starting', async () => {
    const { busy, track, flush, startsIn, now } = setup();
    busy.turnStarted();
    const q = track(busy.quiet(100));
    // Three turns in quick succession (claims in rounds, a deferred fire), then the fires' start.
    for (let i = 0; i < 3; i++) {
      busy.turnEnded(now() + 5);
      await flush();
      expect(q.done).toBe(false);
      busy.turnStarted();
    }
    const start = startsIn(40);
    busy.turnEnded(now() + 1000);
    await flush();
    expect(q.done).toBe(false);
    start();
    await flush();
    expect(q.done).toBe(true);
  });
});
