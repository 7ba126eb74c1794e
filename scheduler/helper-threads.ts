import { readdirSync, readlinkSync } from 'node:fs';
import os from 'node:os';

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
  let self: number;
  let tids: number[];
  try {
    self = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
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
