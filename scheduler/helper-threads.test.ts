import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');

/**
 * In a fresh node process (the test runner's own threads are not touched): the nice value of
 * each of its threads before and after lowerHelperThreads, and how many it lowered.
 */
function niceValues(call: string): { main: number; before: Record<string, number>; after: Record<string, number>; lowered: number } {
  const script = `
    import { readdirSync } from 'node:fs';
    import os from 'node:os';
    import { lowerHelperThreads } from './scheduler/helper-threads.ts';
    const read = () => Object.fromEntries(readdirSync('/proc/self/task').map((t) => [t, os.getPriority(Number(t))]));
    const before = read();
    const lowered = ${call};
    console.log(JSON.stringify({ main: process.pid, before, after: read(), lowered }));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!);
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
