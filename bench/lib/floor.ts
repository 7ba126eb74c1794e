/**
 * The floor: croner in memory, one `new Cron('* * * * * *')` per job in a child process, nothing
 * persisted. Lateness = callback time − the whole second it was scheduled for (croner never fires
 * early, and it skips rather than queues a fire it is over a second late for, so the scheduled
 * second is the callback's second).
 */
import { fileURLToPath } from 'node:url';
import { Cron } from 'croner';
import { isMain, lateRecorder, runReportingChild, type RunOptions } from './proc';
import type { Sample } from './stats';

export function runFloor(n: number, o: RunOptions): Promise<Sample> {
  return runReportingChild('floor', fileURLToPath(import.meta.url), n, o);
}

function child(n: number): void {
  const record = lateRecorder();
  const crons: Cron[] = [];
  for (let i = 0; i < n; i++) {
    crons.push(
      new Cron('* * * * * *', () => {
        const now = Date.now();
        record(now - (now % 1000), now);
      }),
    );
  }
  process.send!({ type: 'ready' });
}

if (isMain(import.meta.url) && process.argv[2] === '--child') child(Number(process.argv[3]));
