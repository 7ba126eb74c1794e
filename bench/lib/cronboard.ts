/**
 * Cronboard: a fresh database, N interval jobs (every second, anchored on a whole second) inserted
 * in bulk, and the real engine (`npm run scheduler`: scripts/scheduler.mjs) in a child process. What happened is read
 * back from job_executions: lateness = started_at − scheduled_for of the fires due in the window.
 */
import path from 'node:path';
import { rmSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import mysql from 'mysql2/promise';
import { dropDatabase, prepareDatabase } from '../../db/migrate';
import { DEFAULT_JOB_OPTIONS } from '../../lib/types';
import { logPath, measureWindow, peakRssMb, ROOT, serverPid, sleep, spawnNode, stopChild, type RunOptions } from './proc';
import { makeSample, type Sample } from './stats';
import { SCHED_FIFO, threadPolicy } from '../../tests/threads';

/**
 * The engine benchmark's database (dropped and made again for each run). BENCH_DATABASE_URL points it
 * elsewhere: another server, or this one through its Unix socket
 * (`mysql://root@localhost/cronboard_bench?socketPath=/run/mysqld/mysqld.sock`).
 */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/cronboard_bench';
const INSERT_CHUNK = 1000;

export async function runCronboard(n: number, o: RunOptions): Promise<Sample> {
  const url = BENCH_DATABASE_URL;
  await dropDatabase(url);
  await prepareDatabase(url);
  const conn = await mysql.createConnection({ uri: url, timezone: 'Z' });
  const log = logPath(`cronboard-${n}`);
  try {
    await insertFiringJobs(conn, n, o.task, o.trigger);
    // As `npm run scheduler` runs it: bundled, plain node.
    // BENCH_ENGINE_NODE_ARGS: node flags for the engine (say `--cpu-prof --cpu-prof-dir=/tmp/prof`).
    const nodeArgs = process.env.BENCH_ENGINE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const engine = spawnNode([...nodeArgs, path.join(ROOT, 'scripts/scheduler.mjs')], {
      logFile: log,
      env: { DATABASE_URL: url, INSTANCE_NAME: 'bench-engine', SHUTDOWN_GRACE_MS: '5000' },
    });
    let w: Awaited<ReturnType<typeof measureWindow>>;
    let rss: number;
    try {
      await waitForFirstFire(conn, engine);
      // SCHEDULER_REALTIME_PRIORITY (auto unless set): which policy its thread got.
      const [policy, priority] = threadPolicy(engine.pid!);
      console.error(`[bench] cronboard N=${n}: the engine's thread runs ${policy === SCHED_FIFO ? `at real-time priority ${priority}` : 'at normal priority'} (SCHEDULER_REALTIME_PRIORITY=${process.env.SCHEDULER_REALTIME_PRIORITY || 'auto'})`);
      w = await measureWindow(engine.pid!, o.warmupMs, o.windowS, undefined, serverPid('mariadbd', 'mysqld'));
      await sleep(o.settleMs);
      rss = peakRssMb(engine.pid!);
    } finally {
      await stopChild(engine);
    }
    const inWindow = `job_id LIKE 'bench-%' AND scheduled_for >= ? AND scheduled_for < ?`;
    const range = [new Date(w.start), new Date(w.end)];
    const [counts] = await conn.query(`SELECT status, COUNT(*) AS fires FROM job_executions WHERE ${inWindow} GROUP BY status`, range);
    const extra = Object.fromEntries((counts as Array<{ status: string; fires: number }>).map((r) => [r.status, Number(r.fires)]));
    // A fire is kept when it started; missed and skipped rows stand for fires that did not run.
    const [late] = await conn.query({
      sql: `SELECT TIMESTAMPDIFF(MICROSECOND, scheduled_for, started_at) / 1000 FROM job_executions
             WHERE ${inWindow} AND started_at IS NOT NULL AND status NOT IN ('missed', 'skipped')`,
      values: range,
      rowsAsArray: true,
    });
    const lateness = (late as Array<[string | number]>).map((r) => Number(r[0]));
    // BENCH_KEEP_LOGS=1 keeps the engine's output (say for --trace-gc) even when the run went well.
    if (!process.env.BENCH_KEEP_LOGS) rmSync(log, { force: true });
    else console.log(`[bench] engine output kept: ${log}`);
    return makeSample('cronboard', n, o.windowS, lateness, w.cpuPct, rss, extra, w.serverCpuPct);
  } catch (err) {
    throw new Error(`cronboard N=${n}: ${err instanceof Error ? err.message : err} (engine output: ${log})`);
  } finally {
    await conn.end();
    await dropDatabase(url);
  }
}

/** The tasks the engine benchmark can give its jobs, with their arguments. */
export const BENCH_TASKS: Record<string, Record<string, unknown>> = {
  /** Logs a line and returns a value at once. */
  'log.message': { message: 'bench' },
  /** Waits 0 ms on a timer: returns a promise, as a task doing I/O does. */
  'util.sleep': { ms: 0 },
};

/**
 * The triggers the engine benchmark can give its jobs, each firing every second from `anchor` (a
 * whole second). A cron job's next fire is computed by croner in the job's zone; an interval's is
 * arithmetic.
 */
export const BENCH_TRIGGERS: Record<string, (anchor: number) => Record<string, unknown>> = {
  interval: (anchor) => ({ type: 'interval', every: { seconds: 1 }, timezone: 'UTC', anchorAt: new Date(anchor).toISOString() }),
  cron: () => ({ type: 'cron', expression: '* * * * * *', timezone: 'Europe/Berlin' }),
};

/**
 * N active jobs (`bench-000000`, …) of `task` (BENCH_TASKS) and `trigger` (BENCH_TRIGGERS), every
 * 1 s from the current whole second, due at the next one. Also used by bench/interference.ts.
 */
export async function insertFiringJobs(conn: mysql.Connection, n: number, task = 'log.message', triggerKind = 'interval'): Promise<void> {
  const anchor = Math.floor(Date.now() / 1000) * 1000;
  const trigger = JSON.stringify(BENCH_TRIGGERS[triggerKind](anchor));
  const options = JSON.stringify(DEFAULT_JOB_OPTIONS);
  const args = JSON.stringify(BENCH_TASKS[task]);
  for (let i = 0; i < n; i += INSERT_CHUNK) {
    const rows = Array.from({ length: Math.min(INSERT_CHUNK, n - i) }, (_, k) => {
      const id = `bench-${String(i + k).padStart(6, '0')}`;
      return [id, id, task, args, trigger, 'active', new Date(anchor + 1000), options];
    });
    await conn.query('INSERT INTO jobs (id, name, task, args, `trigger`, state, next_run_at, options) VALUES ?', [rows]);
  }
}

/** Resolves once the engine has recorded a fire (it is up and claiming). */
async function waitForFirstFire(conn: mysql.Connection, engine: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (engine.exitCode !== null) throw new Error(`the engine exited with code ${engine.exitCode}`);
    const [rows] = await conn.query('SELECT 1 FROM job_executions LIMIT 1');
    if ((rows as unknown[]).length > 0) return;
    await sleep(200);
  }
  throw new Error(`the engine recorded no fire within ${timeoutMs} ms`);
}
