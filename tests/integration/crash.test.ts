import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { createJob } from '../../scheduler/jobs';
import { createTestDatabase, killAllSchedulers, spawnScheduler, stopProcess, waitFor, type FireRow, type SchedulerProcess, type TestDatabase, wrongRunningCounts } from './helpers';

/**
 * A crash in a cluster: three scheduler processes (scripts/scheduler.ts) share one database, 100
 * jobs fire every second for 30 s, and one process is SIGKILLed halfway, with runs in flight.
 *
 * "The window" of a job is every 1 s step from its first planned fire (next_run_at when it was
 * created) to the last fire that has a row when the survivors are stopped; the job's final
 * next_run_at is one step after that, so no fire was claimed without a row. Each step of the
 * window must have exactly one row: succeeded, or as the policy says for the crash:
 *   - interrupted: the victim's runs that were in flight when it died (found by a survivor once
 *     the victim's heartbeat is older than 3 beats);
 *   - skipped: a fire claimed while another run of the job was still in progress (max instances
 *     is 1), which the dead runs are until they are recovered; checked against the other rows.
 * With the default misfire grace (60 s) no fire may be missed: a fire the victim would have run
 * is claimed by a survivor within about a second.
 */

const INSTANCES = ['crash-a', 'crash-b', 'crash-c'];
const VICTIM = 'crash-b';
const SURVIVORS = INSTANCES.filter((n) => n !== VICTIM);
const JOBS = 100;
const FIRES = 30; // per job: 30 s of a 1 s schedule
const KILL_AFTER = 15; // fires per job before the SIGKILL
const HEARTBEAT_MS = 500; // dead after 3 beats: recovery about 1.5 s after the kill
const SLEEP_MS = 400; // half the jobs take this long, so the victim has runs in flight
/**
 * Between a run's end (or recovery's clock) and its row leaving `running`: normally a few ms, but
 * a write that loses a deadlock is retried 0.5 s later, and the machine may be loaded.
 */
const WRITE_SLACK_MS = 1000;

let tdb: TestDatabase;
let procs: SchedulerProcess[] = [];

beforeAll(async () => {
  tdb = await createTestDatabase('crash');
});

afterAll(async () => {
  await killAllSchedulers();
  await tdb?.cleanup();
});

const output = () => procs.map((p) => `--- ${p.name}\n${p.output()}`).join('\n');

/** Fires recorded so far for the test's jobs: the fewest any job has. */
async function fewestFires(): Promise<number> {
  const counts = await tdb.query<{ n: number }>(`SELECT COUNT(*) AS n FROM job_executions WHERE job_id LIKE 'k%' GROUP BY job_id`);
  return counts.length === JOBS ? Math.min(...counts.map((c) => Number(c.n))) : 0;
}

/**
 * The run that held the job's one instance slot when `skip` was claimed (a skipped row's
 * finished_at is its claim instant): started before it and not yet over. A run's finished_at is
 * when its task ended, its row says `running` until the outcome is written a moment later; a
 * dead run's finished_at is when recovery read the clock, a moment before it committed.
 */
function slotHolder(fires: FireRow[], skip: FireRow): FireRow | undefined {
  const claimedAt = skip.finished_at!.getTime();
  return fires.find(
    (p) =>
      p.scheduled_for < skip.scheduled_for &&
      (p.status === 'succeeded' || p.status === 'interrupted') &&
      p.started_at!.getTime() <= claimedAt &&
      p.finished_at!.getTime() + WRITE_SLACK_MS >= claimedAt,
  );
}

/** p50/p99/max of how late fires were claimed (a skipped row's finished_at is its claim instant). */
function lateness(rows: FireRow[]): string {
  const ms = rows.map((r) => (r.started_at ?? r.finished_at)!.getTime() - r.scheduled_for.getTime()).sort((x, y) => x - y);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
  return `${at(0.5)}/${at(0.99)}/${ms[ms.length - 1]}`;
}

describe('a scheduler process killed with SIGKILL in a cluster of three', () => {
  it('loses no fire and runs none twice; survivors interrupt its in-flight runs once its heartbeat is stale', async () => {
    procs = INSTANCES.map((name) =>
      spawnScheduler({ url: tdb.url, name, env: { SCHEDULER_HEARTBEAT_MS: String(HEARTBEAT_MS), SHUTDOWN_GRACE_MS: '2000' } }),
    );
    onTestFailed(() => console.log(output()));
    await waitFor(
      async () => {
        const dead = procs.find((p) => p.hasExited);
        if (dead) throw new Error(`${dead.name} exited early`);
        return (await tdb.query('SELECT id FROM scheduler_instances')).length === INSTANCES.length;
      },
      { timeoutMs: 20_000, message: 'all instances heartbeat' },
    );

    // Half interval (anchored at creation, so spread over the second), half cron (whole seconds);
    // each kind half sleeping, half logging.
    const firstFire = new Map<string, number>();
    for (let i = 0; i < JOBS; i++) {
      const trigger = i % 2 ? { type: 'interval', every: { seconds: 1 } } : { type: 'cron', expression: '* * * * * *' };
      const sleeps = Math.floor(i / 2) % 2 === 0;
      const job = await createJob(tdb.ctx, {
        id: `k${String(i).padStart(3, '0')}`,
        task: sleeps ? 'util.sleep' : 'log.message',
        args: sleeps ? { ms: SLEEP_MS } : { message: `job ${i}` },
        trigger,
      });
      firstFire.set(job.id, Date.parse(job.nextRunAt!));
    }

    await waitFor(async () => (await fewestFires()) >= KILL_AFTER, { timeoutMs: 30_000, intervalMs: 250, message: `${KILL_AFTER} fires of each job` });
    // Kill the victim the moment it has runs in flight that started just now (so are far from done).
    await waitFor(
      async () => {
        const fresh = await tdb.query(`SELECT id FROM job_executions WHERE status = 'running' AND instance = ? AND started_at > ?`, [
          VICTIM,
          new Date(Date.now() - SLEEP_MS / 2),
        ]);
        return fresh.length >= 2;
      },
      { timeoutMs: 5000, intervalMs: 10, message: `${VICTIM} has runs in flight` },
    );
    const victim = procs.find((p) => p.name === VICTIM)!;
    const killedAt = Date.now();
    const killed = await stopProcess(victim, 'SIGKILL', 5000);
    expect(killed.code).toBe('SIGKILL');
    // What it left behind: its claims that never got an outcome.
    const inFlight = await tdb.query<FireRow>(`SELECT * FROM job_executions WHERE status = 'running' AND instance = ?`, [VICTIM]);
    expect(inFlight.length, 'runs in flight in the killed process').toBeGreaterThan(0);

    // A survivor marks them interrupted once the victim's heartbeat is older than 3 beats.
    const ids = inFlight.map((r) => r.id);
    const recovered = await waitFor(
      async () => {
        const rows = await tdb.query<FireRow>(`SELECT * FROM job_executions WHERE id IN (?)`, [ids]);
        return rows.every((r) => r.status === 'interrupted') ? rows : null;
      },
      { timeoutMs: 10_000, intervalMs: 50, message: `${VICTIM}'s running rows interrupted` },
    );
    const recoveredAfterMs = Date.now() - killedAt;
    const [beat] = await tdb.query<{ last_seen_at: Date }>('SELECT last_seen_at FROM scheduler_instances WHERE id = ?', [VICTIM]);
    for (const r of recovered) {
      expect(r.instance).toBe(VICTIM);
      expect(r.error).toBe(`Interrupted: instance ${VICTIM} stopped before the run finished (no heartbeat).`);
      // Not before the heartbeat was 3 beats old. (finished_at is the recovering instance's clock
      // when its beat began, a few ms before the statement that judged the heartbeat stale.)
      expect(r.finished_at!.getTime() - beat.last_seen_at.getTime()).toBeGreaterThanOrEqual(3 * HEARTBEAT_MS - 100);
    }
    expect(recoveredAfterMs, 'recovery time after the kill').toBeLessThan(3 * HEARTBEAT_MS + 3000);

    await waitFor(async () => (await fewestFires()) >= FIRES, { timeoutMs: 30_000, intervalMs: 250, message: `${FIRES} fires of each job` });
    const survivors = procs.filter((p) => p.name !== VICTIM);
    const exits = await Promise.all(survivors.map((p) => stopProcess(p, 'SIGTERM', 15_000)));
    for (const e of exits) expect(e).toEqual({ code: 0, killed: false });

    // No (job_id, scheduled_for, attempt) twice, and no fire with a second attempt.
    const [{ total, keys, fires }] = await tdb.query<{ total: number; keys: number; fires: number }>(
      `SELECT COUNT(*) AS total, COUNT(DISTINCT job_id, scheduled_for, attempt) AS \`keys\`, COUNT(DISTINCT job_id, scheduled_for) AS fires
       FROM job_executions WHERE job_id LIKE 'k%'`,
    );
    expect(Number(keys)).toBe(Number(total));
    expect(Number(fires)).toBe(Number(total));

    const rows = await tdb.query<FireRow>(`SELECT * FROM job_executions WHERE job_id LIKE 'k%' ORDER BY job_id, scheduled_for`);
    const nextRun = new Map(
      (await tdb.query<{ id: string; next_run_at: Date }>(`SELECT id, next_run_at FROM jobs WHERE id LIKE 'k%'`)).map((j) => [j.id, j.next_run_at.getTime()]),
    );
    const interruptedIds = new Set(ids);
    const unexpected: string[] = [];
    const skips: Array<{ skip: FireRow; by: FireRow }> = [];
    for (const [jobId, first] of firstFire) {
      const fires = rows.filter((r) => r.job_id === jobId);
      const times = fires.map((r) => r.scheduled_for.getTime());
      expect(fires.length, jobId).toBeGreaterThanOrEqual(FIRES);
      // The window: every 1 s step from the first planned fire to the last recorded one, once.
      expect(times[0], `${jobId}: first fire`).toBe(first);
      expect(times.slice(1).map((t, i) => t - times[i]).filter((d) => d !== 1000), `${jobId}: steps between fires`).toEqual([]);
      expect(nextRun.get(jobId)! - times[times.length - 1], `${jobId}: last fire to next planned`).toBe(1000);
      expect(times[0], `${jobId}: window starts before the kill`).toBeLessThan(killedAt);
      expect(times[times.length - 1], `${jobId}: window goes on after the kill`).toBeGreaterThan(killedAt + 5000);

      for (const r of fires) {
        const at = r.scheduled_for.toISOString();
        if (r.attempt !== 1) unexpected.push(`${jobId} ${at}: attempt ${r.attempt}`);
        if (r.status === 'succeeded') continue;
        if (r.status === 'interrupted' && interruptedIds.has(r.id)) continue;
        if (r.status === 'skipped' && /max instances is 1/.test(r.error ?? '')) {
          const by = slotHolder(fires, r);
          if (by) {
            skips.push({ skip: r, by });
            continue;
          }
        }
        const prev = fires[fires.indexOf(r) - 1];
        const before = prev ? `; previous: ${prev.status} ${prev.started_at?.toISOString()}..${prev.finished_at?.toISOString()} on ${prev.instance}` : '';
        unexpected.push(`${jobId} ${at}: ${r.status} on ${r.instance} at ${r.finished_at?.toISOString()} (${r.error})${before}`);
      }
    }
    expect(unexpected, 'rows that are neither succeeded nor explained by the crash').toEqual([]);

    // The victim ran fires before its death and none after it; the survivors took its share.
    const victimRows = rows.filter((r) => r.instance === VICTIM);
    expect(victimRows.length).toBeGreaterThan(0);
    expect(victimRows.filter((r) => (r.started_at ?? r.finished_at)!.getTime() > killedAt)).toEqual([]);
    expect(victimRows.filter((r) => r.status === 'interrupted' || r.status === 'running').map((r) => r.id).sort()).toEqual([...ids].sort());
    for (const name of SURVIVORS) {
      expect(rows.filter((r) => r.instance === name && r.scheduled_for.getTime() > killedAt).length, `fires after the kill run by ${name}`).toBeGreaterThan(0);
    }
    // A survivor said what it did.
    expect(output()).toMatch(/marked \d+ execution\(s\) of dead instances interrupted/);

    // Nothing left running; the survivors removed their heartbeats, the victim's stale one stays.
    expect(await tdb.query(`SELECT id, job_id, status, instance FROM job_executions WHERE status IN ('running', 'queued')`)).toEqual([]);
    expect(await wrongRunningCounts(tdb)).toEqual([]);
    expect((await tdb.query<{ id: string }>('SELECT id FROM scheduler_instances')).map((r) => r.id)).toEqual([VICTIM]);
    for (const p of survivors) {
      expect(p.output(), p.name).toMatch(/SIGTERM received[\s\S]*scheduler \S+ stopped/);
      // Nothing given up on, no job paused. (A deadlock between two writes is retried; counted below.)
      expect(p.output(), p.name).not.toMatch(/before the scheduler stopped|failed unexpectedly|was paused/);
    }
    const deadlocks = (output().match(/Deadlock found/g) ?? []).length;
    const skipsAfterKill = skips.filter(({ by }) => interruptedIds.has(by.id)).length;
    console.log(
      `crash: ${rows.length} rows; ${ids.length} in flight at the kill, interrupted after ${recoveredAfterMs} ms; ` +
        `${skips.length} skipped (${skipsAfterKill} behind a dead run); ${deadlocks} deadlock(s) retried; ` +
        `claim lateness (ms) p50/p99/max: ${lateness(rows)}; first fires ${lateness(rows.filter((r) => r.scheduled_for.getTime() === firstFire.get(r.job_id)))}; ` +
        `after the kill ${lateness(rows.filter((r) => r.scheduled_for.getTime() > killedAt))}`,
    );
  });
});
