import { readFileSync } from 'node:fs';

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
