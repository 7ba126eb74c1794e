import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasCapSysNice, SCHED_FIFO, SCHED_OTHER } from '../tests/threads';

const ROOT = path.resolve(__dirname, '..');

interface Seen {
  raised: string | null;
  /** The guard's events, each with the thread's policy and priority when it arrived. */
  events: { kind: string; at: number[]; message?: string }[];
  /** The thread's policy and priority after its busy spell, and at the end. */
  afterBusy: number[];
  end: number[];
}

/**
 * In a fresh node process: raises the calling thread to SCHED_FIFO 1, guards it with short
 * timings (1 s window, real-time again after 1.5 s calm), then keeps the thread busy for up to
 * `busyMs` (stopping early once the thread left SCHED_FIFO), then lets it idle for `idleMs`.
 * `before` runs just before the guard starts.
 */
function guarded(busyMs: number, idleMs: number, before = ''): Seen {
  const script = `
    import { readFileSync } from 'node:fs';
    import { callingThread, raiseToRealTime } from './scheduler/thread-priority.ts';
    import { guardRealTime } from './scheduler/realtime-guard.ts';
    import { policyOf } from './tests/threads.ts';
    const policy = () => policyOf(readFileSync('/proc/thread-self/stat', 'utf8'));
    const raised = raiseToRealTime(1);
    const events = [];
    ${before}
    const guard = guardRealTime({ tid: callingThread(), priority: 1, sampleMs: 100, windowMs: 1000, restoreAfterMs: 1500, onEvent: (e) => events.push({ ...e, at: policy() }) });
    setTimeout(() => {
      const start = Date.now();
      while (policy()[0] === 1 && Date.now() - start < ${busyMs}) {}
      const afterBusy = policy();
      setTimeout(async () => {
        const end = policy();
        await guard.stop();
        console.log(JSON.stringify({ raised, events, afterBusy, end }));
      }, ${idleMs});
    }, 1200);`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

// Each test runs a process for several seconds.
describe.runIf(existsSync('/proc/thread-self') && hasCapSysNice())('guardRealTime', { timeout: 30_000 }, () => {
  it('puts a thread that keeps a CPU busy back on the normal policy, and gives it real-time priority again once it is calm', () => {
    const seen = guarded(10_000, 5_000);
    expect(seen.raised).toBeNull();
    // The busy spell ended because the guard demoted the thread, long before 10 s.
    expect(seen.afterBusy).toEqual([SCHED_OTHER, 0]);
    expect(seen.events.map((e) => e.kind)).toEqual(['demoted', 'restored']);
    expect(seen.events[1].at).toEqual([SCHED_FIFO, 1]);
    expect(seen.end).toEqual([SCHED_FIFO, 1]);
  });

  it('leaves a thread that mostly waits on real-time priority', () => {
    // Busy for 300 ms of the 1 s window at most, then idle.
    const seen = guarded(300, 2_500);
    expect(seen.events).toEqual([]);
    expect(seen.afterBusy).toEqual([SCHED_FIFO, 1]);
    expect(seen.end).toEqual([SCHED_FIFO, 1]);
  });

  it('says why when it cannot change the policy, and stops', () => {
    // The guard's worker gets this environment: no chrt to run.
    const seen = guarded(4_000, 500, "process.env.PATH = '/nonexistent';");
    expect(seen.events).toEqual([{ kind: 'failed', message: expect.stringContaining('ENOENT'), at: [SCHED_FIFO, 1] }]);
    expect(seen.end).toEqual([SCHED_FIFO, 1]);
  });
});
