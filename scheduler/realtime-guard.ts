import { Worker } from 'node:worker_threads';

/**
 * Keeps a real-time engine thread from starving the machine: a small worker thread (at normal
 * priority) reads how much CPU the engine's thread used, and puts it back on the normal policy
 * while it keeps a CPU busy most of the time, then on real-time priority again once it has been
 * calm for a while.
 *
 * Why: a SCHED_FIFO thread is never made to wait for normal threads. That is what makes fires
 * start on time, and it costs nothing while the thread mostly waits (the engine starts 20,000
 * fires a second with about half a core). But a task doing a lot of CPU work on the thread (a
 * tight loop, a big JSON parse every second), or more fires than the machine keeps up with,
 * would take that CPU from the database and the web server for as long as it lasts (Linux leaves
 * normal threads 5% of it). Then real-time priority no longer helps the fires either: they wait
 * for the thread itself. The worker sees that within `windowMs` even when the thread is stuck in
 * a synchronous loop, since it runs on a thread of its own.
 */

export interface RealTimeGuardOptions {
  /** The engine's thread id (Linux). */
  tid: number;
  /** Its real-time priority, given back after a calm spell. */
  priority: number;
  /** How often the worker reads the thread's CPU time. */
  sampleMs?: number;
  /** The span over which the thread's CPU use is judged. */
  windowMs?: number;
  /** Back to the normal policy when the thread used at least this share of a CPU over `windowMs`. */
  demoteAt?: number;
  /** Real-time again after the share stayed below this for `restoreAfterMs`. */
  restoreBelow?: number;
  restoreAfterMs?: number;
  onEvent: (event: RealTimeGuardEvent) => void;
}

export type RealTimeGuardEvent =
  | { kind: 'demoted'; busy: number; windowMs: number; restoreBelow: number; restoreAfterMs: number }
  | { kind: 'restored'; priority: number }
  | { kind: 'failed'; message: string };

export const GUARD_DEFAULTS = { sampleMs: 250, windowMs: 2000, demoteAt: 0.8, restoreBelow: 0.5, restoreAfterMs: 30_000 };

// Plain JavaScript run with eval, so that no bundler (esbuild for npm run scheduler, Turbopack
// under npm start) has to find a worker file. CPU time from schedstat (nanoseconds), or from stat
// (utime + stime, in 1/100 s) where the kernel keeps no schedstat.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
const { tid, priority, sampleMs, windowMs, demoteAt, restoreBelow, restoreAfterMs } = workerData;
const dir = '/proc/self/task/' + tid + '/';
function cpuMs() {
  try {
    return Number(readFileSync(dir + 'schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    const stat = readFileSync(dir + 'stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  }
}
function chrt(args) {
  execFileSync('chrt', [...args, String(tid)], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5000 });
}
const samples = [];
const needed = Math.ceil(windowMs / sampleMs) + 1;
let realtime = true;
let calmSince = null;
const timer = setInterval(() => {
  let cpu;
  try {
    cpu = cpuMs();
  } catch {
    clearInterval(timer); // the thread is gone: the process is ending
    return;
  }
  const now = performance.now();
  samples.push([now, cpu]);
  if (samples.length > needed) samples.shift();
  if (samples.length < needed) return;
  const busy = (cpu - samples[0][1]) / (now - samples[0][0]);
  try {
    if (realtime && busy >= demoteAt) {
      chrt(['--other', '--pid', '0']);
      realtime = false;
      calmSince = null;
      parentPort.postMessage({ kind: 'demoted', busy, windowMs, restoreBelow, restoreAfterMs });
    } else if (!realtime) {
      if (busy >= restoreBelow) calmSince = null;
      else if (calmSince === null) calmSince = now;
      else if (now - calmSince >= restoreAfterMs) {
        chrt(['--fifo', '--reset-on-fork', '--pid', String(priority)]);
        realtime = true;
        parentPort.postMessage({ kind: 'restored', priority });
      }
    }
  } catch (err) {
    clearInterval(timer);
    parentPort.postMessage({ kind: 'failed', message: String(err.stderr || '').trim() || err.message });
  }
}, sampleMs);
`;

/** Starts the guard for the engine's real-time thread; `stop()` ends it. Does not keep the process alive. */
export function guardRealTime(options: RealTimeGuardOptions): { stop(): Promise<void> } {
  const { onEvent, ...rest } = options;
  const workerData = { ...GUARD_DEFAULTS, ...rest };
  // execArgv: [] so that a loader the process was started with (tsx) is not loaded again.
  const worker = new Worker(WORKER, { eval: true, workerData, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1 } });
  worker.unref();
  worker.on('message', (event: RealTimeGuardEvent) => onEvent(event));
  worker.on('error', (err) => onEvent({ kind: 'failed', message: err.message }));
  return {
    async stop() {
      await worker.terminate();
    },
  };
}
