import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { hasCapSysNice, SCHED_OTHER, threadPolicy } from '../threads';

/**
 * SCHEDULER_REALTIME_PRIORITY=auto (the default) leaves `npm start` at normal priority: there the
 * engine's thread also renders the pages. Checked on every thread of the app started for these
 * tests (scripts/start.ts and the Next server it starts), where the privilege to do otherwise is
 * there (CAP_SYS_NICE: root, as in CI).
 */

/** `pid` and the processes below it, from the parent ids in /proc. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

describe.runIf(!process.env.CRONBOARD_TEST_URL && hasCapSysNice())('npm start at the default SCHEDULER_REALTIME_PRIORITY', () => {
  it('runs every thread of the app, the engine\'s included, on the normal policy', () => {
    const threads = processTree(inject('apiServerPid')).flatMap((pid) => readdirSync(`/proc/${pid}/task`).map((tid) => ({ pid, tid: Number(tid) })));
    // The Next server is among them: a node process has a dozen threads or more.
    expect(threads.length).toBeGreaterThan(20);
    const realTime = threads.filter(({ pid, tid }) => threadPolicy(pid, tid)[0] !== SCHED_OTHER);
    expect(realTime).toEqual([]);
  });
});
