import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import os from 'node:os';

/**
 * CPU priorities of the engine's threads. The engine starts a second's fires on its main thread
 * at the second's instant, so every millisecond that thread waits for a CPU then is a millisecond
 * of lateness for all of them.
 */

/** The calling thread's id (Linux: /proc/thread-self), or null elsewhere. */
export function callingThread(): number | null {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').at(-1));
  } catch {
    return null;
  }
}

/**
 * The nice value the engine gives its process's other threads: V8's helpers (the optimizing
 * compiler, and the marking and scavenging of its garbage collector) and Node's. 10 is a tenth of
 * the main thread's CPU weight.
 */
export const HELPER_THREAD_NICE = 10;

/**
 * Lowers the priority of the process's threads other than the calling one (the engine's, which
 * starts the fires) to `nice`, where it is higher; returns how many were lowered. Linux only (its
 * thread ids under /proc), elsewhere nothing and 0.
 *
 * Why: V8 compiles hot code and collects garbage on helper threads, and it hands them work when
 * the main thread is busiest, which for the engine is the instant a second's fires start. At
 * equal weight, a helper woken then took the CPU from the main thread for 1-2 ms, even with the
 * other core idle (seen with `perf sched`), and while a web server and the database kept the
 * machine busy the main thread waited several milliseconds behind its own helpers (npm run
 * bench:interference). At a tenth of the weight they run while the main thread waits. Where the
 * kernel groups a process's threads for CPU time (autogroup, a cgroup per service), this moves CPU
 * time only within the engine's own share; elsewhere the helpers also yield to other processes.
 * Lowering a priority needs no privilege (a nice value is per thread on Linux: os.setPriority
 * with the thread's id). Threads the main thread starts later (libuv's pool) keep its priority.
 */
export function lowerHelperThreads(nice = HELPER_THREAD_NICE): number {
  const self = callingThread();
  if (self === null) return 0;
  let tids: number[];
  try {
    tids = readdirSync('/proc/self/task').map(Number);
  } catch {
    return 0;
  }
  let lowered = 0;
  for (const tid of tids) {
    if (tid === self) continue;
    try {
      if (os.getPriority(tid) < nice) {
        os.setPriority(tid, nice);
        lowered++;
      }
    } catch {
      // The thread ended meanwhile.
    }
  }
  return lowered;
}

/**
 * Gives the calling thread (the engine's) the real-time policy SCHED_FIFO at `priority` (1-99),
 * with SCHED_RESET_ON_FORK: threads and processes it starts later (libuv's pool, a task's child
 * processes) get the normal policy, not this one. Returns null when done, else why not (no
 * permission, no `chrt`, not Linux).
 *
 * Why: at normal priority, a thread woken by its timer while both cores are busy (the database
 * deleting old rows, the web server answering) waits for the running thread's time slice to end,
 * up to a scheduler tick (4 ms here) and more: in `npm run bench:interference`, one or two seconds
 * of a 20 s window under load started all their fires 5-14 ms late, and nice values did not
 * change that. A real-time thread takes a CPU from normal ones as soon as it wakes: 3 of 720
 * seconds were late with it, 16 of 240 without. The cost: while it runs (a task's own CPU work included), normal
 * threads on its CPU wait, so it is for an engine whose tasks do little CPU work on its thread,
 * on a machine with more than one core. The kernel keeps a share of each CPU for normal threads
 * (sched_rt_runtime_us, 95 % by default), so a runaway task cannot lock the machine up.
 *
 * Node has no call for a scheduling policy, so this runs util-linux's `chrt` on the thread's id.
 * It needs CAP_SYS_NICE (root, `docker run --cap-add SYS_NICE`) or an RLIMIT_RTPRIO of at least
 * `priority` (systemd: LimitRTPRIO=).
 */
export function raiseToRealTime(priority: number): string | null {
  if (!Number.isInteger(priority) || priority < 1 || priority > 99) return `a real-time priority is a whole number from 1 to 99, not ${priority}`;
  const tid = callingThread();
  if (tid === null) return 'real-time priority is set through Linux\'s /proc and chrt; this system has no /proc/thread-self';
  try {
    execFileSync('chrt', ['--fifo', '--reset-on-fork', '--pid', String(priority), String(tid)], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5000 });
    return null;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer | string };
    if (e.code === 'ENOENT') return 'the chrt command (package util-linux) is not installed';
    return String(e.stderr ?? '').trim() || e.message;
  }
}

/**
 * The real-time priority SCHEDULER_REALTIME_PRIORITY asks for: a number as it is; `auto`, 1 in a
 * process that runs only the engine (npm run scheduler) on Linux with two CPUs or more, else 0.
 *
 * Why not under npm start: there the engine's thread also renders the dashboard's pages, CPU work
 * that real-time priority would put ahead of the database's. And on one CPU a real-time thread
 * leaves the other processes only the share Linux keeps for them.
 */
export function realTimePriorityFor(setting: number | 'auto', where: { engineOnly: boolean; cpus: number; platform: string }): number {
  if (setting !== 'auto') return setting;
  return where.engineOnly && where.cpus >= 2 && where.platform === 'linux' ? 1 : 0;
}
