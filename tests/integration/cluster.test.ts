import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob, runJobNow } from '../../scheduler/jobs';
import { hasCapSysNice, SCHED_FIFO, SCHED_OTHER, threadPolicy } from '../threads';
import { createTestDatabase, killAllSchedulers, spawnScheduler, stopProcess, waitFor, type FireRow as ExecutionRow, type SchedulerProcess, type TestDatabase, wrongRunningCounts } from './helpers';

/**
 * Several scheduler processes (scripts/scheduler.ts, as `npm run scheduler` starts it) on one
 * database: every fire runs exactly once across the cluster, and SIGTERM leaves nothing behind.
 */

/** Two started as `node --import tsx`, one exactly as documented: `npx tsx scripts/scheduler.ts`. */
const INSTANCES = ['node-a', 'node-b', 'npx-c'];
/**
 * SCHEDULER_REALTIME_PRIORITY of each: node-b asks for real-time priority 1, npx-c leaves it to
 * the default (auto: 1 in an engine-only process on two CPUs), node-a runs at normal priority.
 * The guarantees hold with both.
 */
const REALTIME: Record<string, string> = { 'node-a': '0', 'node-b': '1', 'npx-c': 'auto' };
const JOBS = 20;
const FIRES = 11; // fires per job to wait for: ten seconds of a 1 s schedule
const SHUTDOWN_GRACE_MS = 500;

type FireRow = Pick<ExecutionRow, 'job_id' | 'scheduled_for' | 'status' | 'attempt' | 'missed_count' | 'instance'>;

let tdb: TestDatabase;
let procs: SchedulerProcess[] = [];
const firstFire = new Map<string, number>();
let exits: Array<{ name: string; via: string; code: number | string; killed: boolean; tookMs: number }> = [];

beforeAll(async () => {
  tdb = await createTestDatabase('cluster');
});

afterAll(async () => {
  await killAllSchedulers();
  await tdb?.cleanup();
});

describe('a cluster of scheduler processes on one database', () => {
  it('runs each of 20 jobs at 1 s for 10 s: every fire exactly once, spread over all instances', async () => {
    procs = INSTANCES.map((name) =>
      spawnScheduler({
        url: tdb.url,
        name,
        via: name.startsWith('npx') ? 'npx' : 'node',
        env: { SHUTDOWN_GRACE_MS: String(SHUTDOWN_GRACE_MS), SCHEDULER_REALTIME_PRIORITY: REALTIME[name] },
      }),
    );
    const output = () => procs.map((p) => `--- ${p.name}\n${p.output()}`).join('\n');
    await waitFor(
      async () => {
        const dead = procs.find((p) => p.hasExited);
        if (dead) throw new Error(`${dead.name} exited early:\n${dead.output()}`);
        return (await tdb.query('SELECT id FROM scheduler_instances')).length === INSTANCES.length;
      },
      { timeoutMs: 20_000, message: 'all instances heartbeat' },
    ).catch((err) => {
      throw new Error(`${err.message}\n${output()}`);
    });
    // With CAP_SYS_NICE (root, as in CI) they get it: node-b's main thread (the process itself,
    // started as node) is on SCHED_FIFO at 1, and each says so; node-a stays on the normal policy.
    const permitted = hasCapSysNice();
    const proc = (name: string) => procs.find((p) => p.name === name)!;
    if (permitted) expect(threadPolicy(proc('node-b').child.pid!)).toEqual([SCHED_FIFO, 1]);
    expect(threadPolicy(proc('node-a').child.pid!)).toEqual([SCHED_OTHER, 0]);
    const says = {
      'node-b': permitted ? "SCHEDULER_REALTIME_PRIORITY=1: the engine's thread runs at real-time priority 1 (SCHED_FIFO)" : "SCHEDULER_REALTIME_PRIORITY=1: the engine's thread keeps its normal priority",
      'npx-c': permitted ? "SCHEDULER_REALTIME_PRIORITY=auto: the engine's thread runs at real-time priority 1 (SCHED_FIFO)" : "SCHEDULER_REALTIME_PRIORITY=auto: the engine's thread runs at normal priority",
    };
    for (const [name, said] of Object.entries(says)) {
      await waitFor(() => proc(name).output().includes(said), { timeoutMs: 5000, message: `${name} says: ${said}` });
    }
    expect(proc('node-a').output()).not.toContain('SCHEDULER_REALTIME_PRIORITY');

    for (let i = 0; i < JOBS; i++) {
      // Half interval (anchored at creation, ms offsets), half cron with seconds (whole seconds).
      const trigger = i % 2 ? { type: 'interval', every: { seconds: 1 } } : { type: 'cron', expression: '* * * * * *' };
      const job = await createJob(tdb.ctx, { id: `c${String(i).padStart(2, '0')}`, task: 'log.message', args: { message: `job ${i}` }, trigger });
      firstFire.set(job.id, Date.parse(job.nextRunAt!));
    }

    await waitFor(
      async () => {
        const counts = await tdb.query<{ n: number }>(`SELECT COUNT(*) AS n FROM job_executions WHERE status = 'succeeded' GROUP BY job_id`);
        return counts.length === JOBS && counts.every((c) => Number(c.n) >= FIRES);
      },
      { timeoutMs: 30_000, intervalMs: 250, message: `${FIRES} fires of each job` },
    );

    // A long run in flight at SIGTERM (checked by the next test).
    await createJob(tdb.ctx, { id: 'long', task: 'util.sleep', args: { ms: 120_000 }, trigger: { type: 'interval', every: { hours: 1 } }, paused: true });
    const { executionId } = await runJobNow(tdb.ctx, 'long');
    await waitFor(async () => (await tdb.query<{ status: string }>('SELECT status FROM job_executions WHERE id = ?', [executionId]))[0]?.status === 'running', {
      timeoutMs: 5000,
      message: 'long run started',
    });

    exits = await Promise.all(
      procs.map(async (p) => {
        const t0 = Date.now();
        const res = await stopProcess(p, 'SIGTERM', 15_000);
        return { name: p.name, via: p.via, ...res, tookMs: Date.now() - t0 };
      }),
    );

    // Exactly once, at the database level...
    const [{ total, distinctFires }] = await tdb.query<{ total: number; distinctFires: number }>(
      `SELECT COUNT(*) AS total, COUNT(DISTINCT job_id, scheduled_for) AS distinctFires FROM job_executions WHERE kind = 'scheduled'`,
    );
    expect(Number(total)).toBe(Number(distinctFires));
    expect(Number(total)).toBeGreaterThanOrEqual(JOBS * FIRES);

    // ...and in time: each job's rows are its consecutive fires, from its first planned fire to
    // the one before its current next_run_at, with no gap and no extra.
    const rows = await tdb.query<FireRow>(
      `SELECT job_id, scheduled_for, status, attempt, missed_count, instance FROM job_executions WHERE kind = 'scheduled' ORDER BY job_id, scheduled_for`,
    );
    const jobsNow = await tdb.query<{ id: string; next_run_at: Date }>(`SELECT id, next_run_at FROM jobs WHERE id LIKE 'c%'`);
    expect(jobsNow).toHaveLength(JOBS);
    for (const job of jobsNow) {
      const fires = rows.filter((r) => r.job_id === job.id);
      const times = fires.map((r) => r.scheduled_for.getTime());
      expect(fires.length, job.id).toBeGreaterThanOrEqual(FIRES);
      expect(times[0], `${job.id}: first fire`).toBe(firstFire.get(job.id));
      const gaps = times.slice(1).map((t, i) => t - times[i]).filter((d) => d !== 1000);
      expect(gaps, `${job.id}: steps between fires`).toEqual([]);
      expect(job.next_run_at.getTime() - times[times.length - 1], `${job.id}: last fire to next planned`).toBe(1000);
      expect(
        fires.filter((r) => r.status !== 'succeeded' || r.attempt !== 1 || r.missed_count !== null),
        `${job.id}: every fire ran once and succeeded`,
      ).toEqual([]);
    }

    // Every instance did part of the work.
    const byInstance = new Map<string, number>();
    for (const r of rows) byInstance.set(r.instance ?? '?', (byInstance.get(r.instance ?? '?') ?? 0) + 1);
    expect([...byInstance.keys()].sort()).toEqual([...INSTANCES].sort());
    for (const name of INSTANCES) expect(byInstance.get(name), `fires run by ${name}`).toBeGreaterThan(0);

    // No instance hit a database error on the way (deadlocks, lost claims that threw...).
    expect(output()).not.toMatch(/loop failed|could not record/);
  });

  it('on SIGTERM each process finishes or interrupts its work, leaves no running row and removes its heartbeat', async () => {
    expect(exits).toHaveLength(INSTANCES.length);
    for (const e of exits) {
      expect(e.killed, `${e.name} had to be SIGKILLed`).toBe(false);
      expect(e.tookMs, `${e.name} shutdown time`).toBeLessThan(10_000);
      // The scheduler's own exit code (npx itself just dies of the signal; its children are
      // waited for through the process group).
      if (e.via === 'node') expect(e.code, `${e.name} exit code`).toBe(0);
    }
    for (const p of procs) expect(p.output(), p.name).toMatch(/SIGTERM received[\s\S]*scheduler \S+ stopped/);
    const [long] = await tdb.query<{ status: string; error: string; finished_at: Date | null; instance: string }>(
      `SELECT status, error, finished_at, instance FROM job_executions WHERE job_id = 'long'`,
    );
    expect(long.status).toBe('interrupted');
    expect(long.error).toMatch(/shut down/);
    expect(long.finished_at).not.toBeNull();
    expect(INSTANCES).toContain(long.instance);
    expect(await tdb.query(`SELECT id, job_id, status FROM job_executions WHERE status IN ('running', 'queued')`)).toEqual([]);
    expect(await wrongRunningCounts(tdb)).toEqual([]);
    expect(await tdb.query('SELECT id FROM scheduler_instances')).toEqual([]);
  });
});
