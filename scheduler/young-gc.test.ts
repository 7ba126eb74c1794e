import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BurstRoom, readYoung, scavenge, type YoungSpace } from './young-gc';

const MB = 1024 * 1024;

/** A young generation of 16 MB whose use the test sets, and the scavenges asked of it. */
function fakeYoung(used: number) {
  const space = { used, capacity: 16 * MB };
  const calls = { scavenges: 0 };
  const room = new BurstRoom(
    (): YoungSpace => ({ ...space }),
    () => {
      calls.scavenges++;
      space.used = 1 * MB;
      return true;
    },
  );
  return { space, calls, room };
}

describe('BurstRoom', () => {
  it('before any burst is measured, scavenges when more than about 40% full', () => {
    // A burst is taken to be a quarter (4 MB): 6 MB + 1.5 x 4 MB is below 80% of 16 MB, 7 MB + 6 MB above.
    const { space, calls, room } = fakeYoung(6 * MB);
    expect(room.prepare(1000)).toBe(false);
    space.used = 7 * MB;
    expect(room.prepare(1000)).toBe(true);
    expect(calls.scavenges).toBe(1);
  });

  it('leaves room for 1.5 times the largest recent burst below V8 own trigger (80%)', () => {
    const { space, calls, room } = fakeYoung(2 * MB);
    room.prepare(1000);
    space.used = 6 * MB; // a burst of 4 MB
    room.started(1000);
    expect(room.expected(16 * MB)).toBe(4 * MB);
    // 6.7 MB used + 6 MB for the burst = 12.7 MB, below 80% of 16 MB (12.8 MB): room enough.
    space.used = 6.7 * MB;
    expect(room.prepare(1000)).toBe(false);
    room.started(1000);
    // The burst was 0; the 4 MB one still counts. 7 MB used + 6 MB > 12.8 MB: scavenge.
    space.used = 7 * MB;
    expect(room.prepare(1000)).toBe(true);
    expect(calls.scavenges).toBe(1);
  });

  it('a scavenge amid the burst counts as having filled the young generation to the trigger', () => {
    const { space, room } = fakeYoung(5 * MB);
    expect(room.prepare(1000)).toBe(false);
    // Went from 5 MB to V8's trigger (12.8 MB), was scavenged, then 3 MB more.
    space.used = 3 * MB;
    room.started(1000);
    expect(room.expected(16 * MB)).toBeCloseTo(10.8 * MB, -3);
  });

  it('forgets old bursts: the largest of the last eight counts', () => {
    const { space, room } = fakeYoung(0);
    const burst = (mb: number) => {
      space.used = 0;
      room.prepare(1000);
      space.used = mb * MB;
      room.started(1000);
    };
    burst(5);
    for (let i = 0; i < 7; i++) burst(1);
    expect(room.expected(16 * MB)).toBe(5 * MB);
    burst(1);
    expect(room.expected(16 * MB)).toBe(1 * MB);
  });

  it('started() without prepare(), or for another instant, notes nothing', () => {
    const { room } = fakeYoung(2 * MB);
    room.started(1000);
    room.prepare(2000);
    room.started(1000);
    expect(room.expected(16 * MB)).toBe(4 * MB);
  });
});

describe('scavenge', () => {
  it('runs a real scavenge of this process: the young generation is emptied of its garbage', () => {
    const youngUsed = () => readYoung()!.used;
    let garbage: unknown[] | null = Array.from({ length: 50_000 }, (_, i) => ({ i }));
    expect(garbage.length).toBe(50_000);
    garbage = null;
    const before = youngUsed();
    expect(scavenge()).toBe(true);
    expect(youngUsed()).toBeLessThan(before / 2);
  });

  it('leaves no gc() behind: contexts made afterwards do not get one', () => {
    scavenge();
    expect(vm.runInNewContext('typeof gc')).toBe('undefined');
  });
});
