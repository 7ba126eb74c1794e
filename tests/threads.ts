import { readFileSync } from 'node:fs';

/** Linux's scheduling policies, as /proc shows them. */
export const SCHED_OTHER = 0;
export const SCHED_FIFO = 1;

/**
 * A thread's scheduling policy and real-time priority, from the text of its /proc stat file
 * (fields 41 and 40, counted after the command name, which may hold spaces).
 */
export function policyOf(stat: string): [policy: number, priority: number] {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [Number(fields[38]), Number(fields[37])];
}

/** The scheduling policy and real-time priority of thread `tid` of process `pid`. */
export function threadPolicy(pid: number, tid = pid): [policy: number, priority: number] {
  return policyOf(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
}

/**
 * Whether this process may give a thread a real-time policy: it holds CAP_SYS_NICE (bit 23 of its
 * effective capabilities in /proc). Root usually does, root in a container may not.
 */
export function hasCapSysNice(): boolean {
  let status: string;
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return false;
  }
  const effective = /^CapEff:\s*([0-9a-f]+)$/m.exec(status);
  return effective !== null && ((BigInt(`0x${effective[1]}`) >> 23n) & 1n) === 1n;
}
