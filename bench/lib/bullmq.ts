/**
 * BullMQ job schedulers on the local Redis: N schedulers firing every second (a cron pattern with
 * seconds, so fires land on whole seconds), one Worker in a child process. Lateness = processing
 * start − the instant the scheduler planned the job for (job.opts.prevMillis).
 */
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { isMain, lateRecorder, runReportingChild, serverPid, type RunOptions } from './proc';
import type { Sample } from './stats';

const QUEUE = 'bench';
const PREFIX = 'cronboard-bench';
const CONCURRENCY = 100;
const connection = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };

export async function runBullmq(n: number, o: RunOptions): Promise<Sample> {
  await flushKeys();
  try {
    return await runReportingChild('bullmq', fileURLToPath(import.meta.url), n, o, serverPid('redis-server'));
  } finally {
    await flushKeys();
  }
}

/** Deletes every key under the bench prefix (and nothing else on the server). */
export async function flushKeys(): Promise<number> {
  const queue = new Queue(QUEUE, { connection, prefix: PREFIX });
  let deleted = 0;
  try {
    const client = await queue.getBackend().client;
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, { MATCH: `${PREFIX}:*`, COUNT: 1000 });
      cursor = next;
      if (keys.length) deleted += await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    await queue.close().catch(() => {});
  }
  return deleted;
}

async function child(n: number): Promise<void> {
  const record = lateRecorder();
  const queue = new Queue(QUEUE, { connection, prefix: PREFIX });
  const worker = new Worker(
    QUEUE,
    async (job) => {
      const now = Date.now();
      record(job.opts.prevMillis ?? job.timestamp + (job.opts.delay ?? 0), now);
    },
    { connection, prefix: PREFIX, concurrency: CONCURRENCY },
  );
  for (let i = 0; i < n; i += 100) {
    const batch = Array.from({ length: Math.min(100, n - i) }, (_, k) =>
      queue.upsertJobScheduler(`job-${i + k}`, { pattern: '* * * * * *' }, { name: 'tick', opts: { removeOnComplete: true, removeOnFail: true } }),
    );
    await Promise.all(batch);
  }
  process.once('SIGTERM', () => {
    void Promise.allSettled([worker.close(), queue.close()]).finally(() => process.exit(0));
  });
  process.send!({ type: 'ready' });
}

if (isMain(import.meta.url) && process.argv[2] === '--child') {
  child(Number(process.argv[3])).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
