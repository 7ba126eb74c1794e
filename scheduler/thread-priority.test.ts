import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasCapSysNice, SCHED_FIFO, SCHED_OTHER } from '../tests/threads';
import { realTimePriorityFor } from './thread-priority';

const ROOT = path.resolve(__dirname, '..');

/**
 * In a fresh node process (the test runner's own threads are not touched): the nice value of
 * each of its threads before and after lowerHelperThreads, and how many it lowered.
 */
function runScript(script: string, command: string[] = []): string {
  const [bin, ...args] = [...command, process.execPath, '--import', 'tsx', '--input-type=module', '-e', script];
  return execFileSync(bin, args, { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').at(-1)!;
}

function niceValues(call: string): { main: number; before: Record<string, number>; after: Record<string, number>; lowered: number } {
  const script = `
    import { readdirSync } from 'node:fs';
    import os from 'node:os';
    import { lowerHelperThreads } from './scheduler/thread-priority.ts';
    const read = () => Object.fromEntries(readdirSync('/proc/self/task').map((t) => [t, os.getPriority(Number(t))]));
    const before = read();
    const lowered = ${call};
    console.log(JSON.stringify({ main: process.pid, before, after: read(), lowered }));`;
  return JSON.parse(runScript(script));
}

describe.runIf(existsSync('/proc/self/task'))('lowerHelperThreads', () => {
  it('lowers every thread but the calling one to nice 10, and leaves the caller as it was', () => {
    const { main, before, after, lowered } = niceValues('lowerHelperThreads()');
    const helpers = Object.keys(before).filter((tid) => Number(tid) !== main);
    expect(helpers.length).toBeGreaterThan(0);
    for (const tid of helpers) expect(after[tid]).toBe(Math.max(10, before[tid]));
    expect(after[main]).toBe(before[main]);
    expect(lowered).toBe(helpers.filter((tid) => before[tid] < 10).length);
  });

  it('never raises a priority: a second call lowers nothing, and a higher nice value already set stays', () => {
    const { main, after, lowered } = niceValues('(lowerHelperThreads(15), lowerHelperThreads(10))');
    expect(lowered).toBe(0);
    for (const [tid, nice] of Object.entries(after)) expect(nice).toBe(Number(tid) === main ? 0 : 15);
  });
});

/**
 * In a fresh node process (run through `command`, say to drop root): raiseToRealTime(priority)'s
 * answer, then the scheduling policy and real-time priority (fields 41 and 40 of /proc's stat) of
 * the calling thread, of a worker thread it starts afterwards, and of a child process.
 */
function realTime(priority: number, command: string[] = []): { failure: string | null; main: number[]; worker: number[]; child: number[] } {
  const script = `
    import { readFileSync } from 'node:fs';
    import { execFileSync } from 'node:child_process';
    import { Worker } from 'node:worker_threads';
    import { raiseToRealTime } from './scheduler/thread-priority.ts';
    import { policyOf as sched } from './tests/threads.ts';
    const failure = raiseToRealTime(${priority});
    const main = sched(readFileSync('/proc/thread-self/stat', 'utf8'));
    const child = sched(execFileSync(process.execPath, ['-p', "require('node:fs').readFileSync('/proc/self/stat', 'utf8')"], { encoding: 'utf8' }));
    const code = "import { parentPort } from 'node:worker_threads'; import { readFileSync } from 'node:fs'; parentPort.postMessage(readFileSync('/proc/thread-self/stat', 'utf8'))";
    const w = new Worker(code, { eval: true });
    w.once('message', (stat) => { console.log(JSON.stringify({ failure, main, worker: sched(stat), child })); w.terminate(); });`;
  return JSON.parse(runScript(script, command));
}

const isRoot = process.getuid?.() === 0;
const hasSysNice = hasCapSysNice();

describe.runIf(existsSync('/proc/thread-self'))('raiseToRealTime', () => {
  it.runIf(hasSysNice)('puts the calling thread on SCHED_FIFO at the priority, and threads and processes started later on the normal policy', () => {
    const r = realTime(3);
    expect(r.failure).toBeNull();
    expect(r.main).toEqual([SCHED_FIFO, 3]);
    expect(r.worker).toEqual([SCHED_OTHER, 0]);
    expect(r.child).toEqual([SCHED_OTHER, 0]);
  });

  it.runIf(isRoot)('without the privilege, says why and leaves the thread as it was', () => {
    // As nobody, with no capabilities and RLIMIT_RTPRIO 0.
    const r = realTime(1, ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all']);
    expect(r.failure).toMatch(/not permitted/i);
    expect(r.main).toEqual([SCHED_OTHER, 0]);
  });

  it('says so when chrt cannot be found, and refuses a priority outside 1-99', () => {
    const r = realTime(1, ['env', 'PATH=/nonexistent']);
    expect(r.failure).toBe('the chrt command (package util-linux) is not installed');
    expect(r.main).toEqual([SCHED_OTHER, 0]);
    expect(realTime(100).failure).toBe('a real-time priority is a whole number from 1 to 99, not 100');
  });
});

describe('realTimePriorityFor', () => {
  const engineOnly = { engineOnly: true, cpus: 2, platform: 'linux' };

  it('auto: priority 1 for an engine-only process on Linux with two CPUs or more', () => {
    expect(realTimePriorityFor('auto', engineOnly)).toBe(1);
    expect(realTimePriorityFor('auto', { ...engineOnly, cpus: 64 })).toBe(1);
  });

  it('auto: normal priority beside the web server, on one CPU, and off Linux', () => {
    expect(realTimePriorityFor('auto', { ...engineOnly, engineOnly: false })).toBe(0);
    expect(realTimePriorityFor('auto', { ...engineOnly, cpus: 1 })).toBe(0);
    expect(realTimePriorityFor('auto', { ...engineOnly, platform: 'darwin' })).toBe(0);
  });

  it('a number is taken as it is, wherever the engine runs', () => {
    expect(realTimePriorityFor(0, engineOnly)).toBe(0);
    expect(realTimePriorityFor(5, { engineOnly: false, cpus: 1, platform: 'linux' })).toBe(5);
  });
});
