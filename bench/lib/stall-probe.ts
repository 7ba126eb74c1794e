/**
 * Stall probes: one small process per CPU, pinned to it (taskset) at the highest real-time
 * priority (chrt -f 99), that sleeps 1 ms at a time and notes each time it woke more than
 * STALL_MS late. No thread of the machine's own can hold it back for that long (it preempts
 * them all, and the kernel's interrupt work takes microseconds, though a kernel built without
 * preemption finishes a system call first), so a late wake-up means the CPU did not run it when
 * its timer came: on a virtual machine, the host ran something else on that CPU or woke it late
 * from idle. A late second of the engine at such a moment is the machine's, not the engine's or
 * the load's.
 *
 * Each probe costs about 1,000 wake-ups a second of a few microseconds each.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { hasCapSysNice } from '../../tests/threads';

/** A wake-up this much later than asked for is a stall. */
export const STALL_MS = 3;

/** A CPU that woke the probe `ms` late, at `end` (epoch ms). */
export interface Stall {
  cpu: number;
  end: number;
  ms: number;
}

// Atomics.wait sleeps the thread with a timeout; the probe writes with writeSync, as its loop never yields.
const PROBE = `
const { writeSync } = require('node:fs');
const cell = new Int32Array(new SharedArrayBuffer(4));
let prev = performance.now();
for (;;) {
  Atomics.wait(cell, 0, 0, 1);
  const now = performance.now();
  if (now - prev - 1 > ${STALL_MS}) writeSync(1, (performance.timeOrigin + now).toFixed(1) + ' ' + (now - prev - 1).toFixed(1) + '\\n');
  prev = now;
}`;

export interface StallProbes {
  /** Whether the probes run at real-time priority (without it they also see the machine's own contention). */
  realtime: boolean;
  /** The stalls seen so far. */
  stalls(): Stall[];
  stop(): void;
}

/** Starts a probe on each CPU; at real-time priority where permitted (CAP_SYS_NICE). */
export function startStallProbes(): StallProbes {
  const cpus = os.availableParallelism();
  const realtime = hasCapSysNice();
  const seen: Stall[] = [];
  const children: ChildProcess[] = [];
  for (let cpu = 0; cpu < cpus; cpu++) {
    const command = ['taskset', '-c', String(cpu), ...(realtime ? ['chrt', '-f', '99'] : []), process.execPath, '-e', PROBE];
    const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    let rest = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        const [end, ms] = line.split(' ').map(Number);
        seen.push({ cpu, end, ms });
      }
    });
    children.push(child);
  }
  const stop = () => children.forEach((c) => c.kill('SIGKILL'));
  // They would outlive a benchmark that fails and exits.
  process.once('exit', stop);
  return { realtime, stalls: () => [...seen], stop };
}

/** The stalls that overlap [from, to] (epoch ms). */
export function stallsDuring(stalls: Stall[], from: number, to: number): Stall[] {
  return stalls.filter((s) => s.end >= from && s.end - s.ms <= to);
}
