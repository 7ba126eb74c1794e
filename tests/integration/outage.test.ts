import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { createJob } from '../../scheduler/jobs';
import {
  createTestDatabase,
  killAllSchedulers,
  spawnScheduler,
  startTcpProxy,
  stopProcess,
  waitFor,
  type FireRow,
  type SchedulerProcess,
  type TcpProxy,
  type TestDatabase, wrongRunningCounts } from './helpers';

/**
 * A database outage under load: one scheduler process (scripts/scheduler.ts) reaches MariaDB
 * through a TCP proxy the test controls; 21 jobs fire every second; the proxy cuts every
 * connection and refuses new ones for 5 s. The test itself reads through a direct connection.
 * One job ("r00") sleeps 700 ms and the cut comes while it runs: its outcome must still be
 * recorded once the database is back (the engine retries the write).
 *
 * What planFire (scheduler/misfire.ts) says must happen on the first turn after the outage, for a
 * job whose oldest unclaimed fire is d, at `now` a few seconds past the outage:
 *   - coalesce is on for every job, so the backlog d .. latest (the last fire <= now, within
 *     grace of a 1 s schedule) is ONE claim: ONE `missed` row at d with missed_count = the fires
 *     d .. latest - 1 s and missed_until = latest - 1 s, and latest runs once as the catch-up;
 *     then the job is back on schedule. With misfireGraceMs 1000 the row says the fires were
 *     beyond grace; with the default 60 s it says they were coalesced. Never a burst of late runs.
 * Every row is checked against the policy, not only the outage's: a run was claimed within grace,
 * a missed row together with its catch-up (a loaded machine may add such misses).
 */

const OUTAGE_MS = 5000;
const JOBS = 21;
const SLEEP_MS = 700;
/** The engine's words for a claim committed while its answer was lost (recovery marks it interrupted). */
const ORPHAN = /^Interrupted: the claim of this run was committed while the database connection failed/;
const SHORT_GRACE_MS = 1000;
/**
 * The loop backs off 0.5, 1, 2, 4 s (±25 %) while the database is away: its first try after the
 * restore comes at most ~5.4 s later (plus slack for a loaded machine).
 */
const RESUME_WITHIN_MS = 8000;

let tdb: TestDatabase;
let proxy: TcpProxy;
let engine: SchedulerProcess;

beforeAll(async () => {
  tdb = await createTestDatabase('outage');
  proxy = await startTcpProxy();
});

afterAll(async () => {
  await killAllSchedulers();
  await proxy?.close();
  await tdb?.cleanup();
});

/** Jobs "s.." have the short grace, "l.." and "r00" the default one. */
const shortGrace = (jobId: string) => jobId.startsWith('s');

async function fireRows(): Promise<FireRow[]> {
  return tdb.query<FireRow>(`SELECT * FROM job_executions WHERE job_id REGEXP '^[slr][0-9]' ORDER BY job_id, scheduled_for, attempt`);
}

/**
 * When a row was claimed: a missed or skipped row is finished by its claim; a run's started_at is
 * when its task began, a moment after its claim committed (at most START_SLACK_MS here).
 */
function claimedAt(r: FireRow): number {
  return (r.started_at ?? r.finished_at)!.getTime();
}
const START_SLACK_MS = 900;

/** A row in one line, for assertion messages. */
function brief(r: FireRow): string {
  const t = (d: Date | null) => d?.toISOString().slice(11, 23) ?? '-';
  const missed = r.missed_count === null ? '' : ` x${r.missed_count} until ${t(r.missed_until)}`;
  return `${r.job_id} ${t(r.scheduled_for)} ${r.status} ${t(r.started_at)}..${t(r.finished_at)}${missed} ${r.error ?? ''}`.trim();
}

/**
 * The run that held the job's instance slot when `skip` was claimed (a skipped row's finished_at
 * is its claim instant): started before it and not yet recorded. A run's finished_at is when its
 * task ended; its row says `running` until the outcome is written, a moment later, or, for a run
 * that ended in the outage, once a retry of that write gets through after it.
 */
function slotHolder(fires: FireRow[], skip: FireRow, outage: { cutAt: number; restoredAt: number }): FireRow | undefined {
  const claimed = claimedAt(skip);
  return fires.find((p) => {
    if (p.scheduled_for >= skip.scheduled_for || p.status !== 'succeeded' || p.started_at!.getTime() > claimed) return false;
    const ended = p.finished_at!.getTime();
    return ended + 1000 >= claimed || (ended >= outage.cutAt && ended <= outage.restoredAt);
  });
}

describe('a database outage under load', () => {
  it('survives a 5 s cut, resumes within seconds, and records every fire as the misfire policy says', async () => {
    engine = spawnScheduler({ url: proxy.urlFor(tdb.url), name: 'outage-a', env: { SCHEDULER_HEARTBEAT_MS: '500', SHUTDOWN_GRACE_MS: '2000' } });
    onTestFailed(() => console.log(`--- engine output\n${engine.output()}`));
    await waitFor(
      async () => {
        if (engine.hasExited) throw new Error('exited early');
        return (await tdb.query('SELECT id FROM scheduler_instances')).length === 1;
      },
      { timeoutMs: 20_000, message: 'the engine heartbeats' },
    );

    const firstFire = new Map<string, number>();
    for (let i = 0; i < JOBS - 1; i++) {
      const id = `${i % 2 ? 's' : 'l'}${String(i).padStart(2, '0')}`;
      const trigger = Math.floor(i / 2) % 2 ? { type: 'interval', every: { seconds: 1 } } : { type: 'cron', expression: '* * * * * *' };
      const job = await createJob(tdb.ctx, {
        id,
        task: 'log.message',
        args: { message: `job ${i}` },
        trigger,
        options: shortGrace(id) ? { misfireGraceMs: SHORT_GRACE_MS } : {},
      });
      firstFire.set(id, Date.parse(job.nextRunAt!));
    }
    // Its late fires run side by side after the outage: room for all of them (no max-instances skip).
    const sleeper = await createJob(tdb.ctx, {
      id: 'r00',
      task: 'util.sleep',
      args: { ms: SLEEP_MS },
      trigger: { type: 'interval', every: { seconds: 1 } },
      options: { maxInstances: 20 },
    });
    firstFire.set(sleeper.id, Date.parse(sleeper.nextRunAt!));

    // Normal operation first.
    const succeededPerJob = async () => {
      const counts = await tdb.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM job_executions WHERE job_id REGEXP '^[slr][0-9]' AND status = 'succeeded' GROUP BY job_id`,
      );
      return counts.length === JOBS ? Math.min(...counts.map((c) => Number(c.n))) : 0;
    };
    await waitFor(async () => (await succeededPerJob()) >= 4, { timeoutMs: 15_000, intervalMs: 100, message: 'four fires of each job' });
    // Cut while the sleeper runs: a run started 100 to 400 ms ago, so the engine surely got its
    // claim's commit (a row seen the instant it commits may still be waiting for that answer,
    // and a cut then makes it an orphaned claim) and it is far from done.
    const [inFlight] = await waitFor(
      async () => {
        const now = Date.now();
        const rows = await tdb.query<FireRow>(`SELECT * FROM job_executions WHERE job_id = 'r00' AND status = 'running' AND started_at BETWEEN ? AND ?`, [
          new Date(now - 400),
          new Date(now - 100),
        ]);
        return rows.length > 0 ? rows : null;
      },
      { timeoutMs: 5000, intervalMs: 10, message: 'r00 running' },
    );

    // The outage: every connection dies, new ones are refused, for OUTAGE_MS.
    const failuresBefore = (engine.output().match(/scheduler loop failed/g) ?? []).length;
    const cutAt = Date.now();
    proxy.cut();
    await waitFor(() => Date.now() - cutAt >= OUTAGE_MS, { timeoutMs: OUTAGE_MS + 1000, intervalMs: 50 });
    const failuresDuring = (engine.output().match(/scheduler loop failed/g) ?? []).length - failuresBefore;
    proxy.restore();
    const restoredAt = Date.now();
    expect(engine.hasExited, 'the engine died in the outage').toBe(false);
    expect(failuresDuring, 'loop failures logged during the outage').toBeGreaterThan(0);
    expect(proxy.stats.destroyed, 'connections cut').toBeGreaterThan(0);
    expect(proxy.stats.refused, 'reconnects refused during the outage').toBeGreaterThan(0);

    // Resumes: every job has a fire planned after the restore that succeeded.
    await waitFor(
      async () => {
        const rows = await tdb.query<{ n: number }>(
          `SELECT COUNT(DISTINCT job_id) AS n FROM job_executions WHERE job_id REGEXP '^[slr][0-9]' AND status = 'succeeded' AND scheduled_for >= ?`,
          [new Date(restoredAt)],
        );
        return Number(rows[0].n) === JOBS && engine.output().includes('database reachable again');
      },
      { timeoutMs: RESUME_WITHIN_MS + 2000, intervalMs: 50, message: 'fires succeed again after the restore' },
    );
    // The first claim after the restore (a missed row's finished_at is its claim instant).
    const [{ resumed }] = await tdb.query<{ resumed: Date }>(
      `SELECT MIN(COALESCE(started_at, finished_at)) AS resumed FROM job_executions WHERE COALESCE(started_at, finished_at) >= ?`,
      [new Date(restoredAt)],
    );
    const resumedAfterMs = resumed.getTime() - restoredAt;
    expect(resumedAfterMs, 'first claim after the restore').toBeLessThan(RESUME_WITHIN_MS);

    // A few seconds back on schedule, then a clean stop.
    await waitFor(
      async () => {
        const rows = await tdb.query<{ n: number }>(
          `SELECT COUNT(DISTINCT job_id) AS n FROM job_executions WHERE job_id REGEXP '^[slr][0-9]' AND status = 'succeeded' AND scheduled_for >= ?`,
          [new Date(resumed.getTime() + 3000)],
        );
        return Number(rows[0].n) === JOBS;
      },
      { timeoutMs: 15_000, intervalMs: 100, message: 'every job runs on schedule again' },
    );
    // The outcome of the run in flight at the cut is written once the database answers again.
    await waitFor(async () => (await tdb.query<FireRow>('SELECT status FROM job_executions WHERE id = ?', [inFlight.id]))[0].status !== 'running', {
      timeoutMs: 15_000,
      message: 'the outcome of the run in flight at the cut is recorded',
    });
    expect(engine.hasExited).toBe(false);
    const exit = await stopProcess(engine, 'SIGTERM', 15_000);
    expect(exit, engine.output()).toEqual({ code: 0, killed: false });
    expect(engine.output()).toMatch(/scheduler loop failed \(attempt 1\)/);
    expect(engine.output()).toMatch(/database reachable again after \d+ failed attempt\(s\)/);

    const rows = await fireRows();
    const [{ total, keys }] = await tdb.query<{ total: number; keys: number }>(
      `SELECT COUNT(*) AS total, COUNT(DISTINCT job_id, scheduled_for, attempt) AS \`keys\` FROM job_executions`,
    );
    expect(Number(keys), 'no (job_id, scheduled_for, attempt) twice').toBe(Number(total));
    expect(await tdb.query(`SELECT id, job_id, status FROM job_executions WHERE status IN ('running', 'queued')`)).toEqual([]);
    expect(await wrongRunningCounts(tdb)).toEqual([]);

    const nextRun = new Map(
      (await tdb.query<{ id: string; next_run_at: Date }>(`SELECT id, next_run_at FROM jobs WHERE id REGEXP '^[slr][0-9]'`)).map((j) => [j.id, j.next_run_at.getTime()]),
    );
    const missedCounts: number[] = [];
    let otherMissed = 0;
    const lateFires: number[] = [];
    const orphans: FireRow[] = [];
    const skips: FireRow[] = [];
    for (const [jobId, first] of firstFire) {
      const fires = rows.filter((r) => r.job_id === jobId);
      // Every 1 s fire from the first to the last has exactly one row (a missed row stands for
      // missed_count fires from scheduled_for to missed_until), and the next planned one follows.
      const covered: number[] = [];
      for (const r of fires) {
        expect(r.attempt, `${jobId}: attempt`).toBe(1);
        if (r.status === 'missed') {
          const span = (r.missed_until!.getTime() - r.scheduled_for.getTime()) / 1000 + 1;
          expect(r.missed_count, `${jobId}: missed_count of the row at ${r.scheduled_for.toISOString()}`).toBe(span);
          for (let k = 0; k < span; k++) covered.push(r.scheduled_for.getTime() + k * 1000);
        } else {
          covered.push(r.scheduled_for.getTime());
        }
      }
      expect(covered[0], `${jobId}: first fire`).toBe(first);
      expect(covered.slice(1).map((t, i) => t - covered[i]).filter((d) => d !== 1000), `${jobId}: steps between fires`).toEqual([]);
      expect(nextRun.get(jobId)! - covered[covered.length - 1], `${jobId}: last fire to next planned`).toBe(1000);
      expect(covered[0]).toBeLessThan(cutAt - 3000);
      expect(covered[covered.length - 1]).toBeGreaterThan(restoredAt + 2000);

      const missed = fires.filter((r) => r.status === 'missed');
      // A claim whose commit landed as the connection died never ran; the engine marks it.
      orphans.push(...fires.filter((r) => r.status === 'interrupted' && ORPHAN.test(r.error ?? '') && r.scheduled_for.getTime() <= cutAt));
      // Catching up one fire per loop turn, a fire may find the previous run not yet recorded.
      const skipped = fires.filter((r) => r.status === 'skipped' && /max instances is/.test(r.error ?? '') && slotHolder(fires, r, { cutAt, restoredAt }));
      skips.push(...skipped);
      const other = fires.filter((r) => r.status !== 'missed' && r.status !== 'succeeded' && !orphans.includes(r) && !skipped.includes(r));
      expect(other.map(brief), `${jobId}: rows that are neither run, missed, skipped nor orphaned`).toEqual([]);

      // The misfire policy, row by row. A fire claimed within grace ran; one claimed later is in
      // a missed row. Coalescing: one missed row per claim, and (on a 1 s schedule, where the
      // latest due fire is always within grace) the fire after its last one runs as the catch-up,
      // claimed in the same instant.
      const grace = shortGrace(jobId) ? SHORT_GRACE_MS : 60_000;
      for (const r of fires) {
        const late = claimedAt(r) - r.scheduled_for.getTime();
        if (r.status !== 'missed') {
          // A run's started_at is its task's start, up to START_SLACK_MS after its claim.
          expect(late, `${brief(r)}: claimed within grace`).toBeLessThanOrEqual(grace + START_SLACK_MS);
          continue;
        }
        const beyond = claimedAt(r) - r.missed_until!.getTime() > grace;
        const catchUp = fires.find((f) => f.scheduled_for.getTime() === r.missed_until!.getTime() + 1000);
        if (!beyond || r.missed_count! > 1) {
          // Part of a backlog: coalesced into the catch-up run claimed in the same transaction,
          // which started right after it committed (before the next fire was due).
          const startedAfter = catchUp ? claimedAt(catchUp) - r.finished_at!.getTime() : NaN;
          expect(startedAfter, `${brief(r)}: its catch-up claimed with it`).toBeGreaterThanOrEqual(0);
          expect(startedAfter, `${brief(r)}: its catch-up claimed with it`).toBeLessThanOrEqual(START_SLACK_MS);
        } else {
          expect(late, `${brief(r)}: a lone missed fire was claimed beyond grace`).toBeGreaterThan(grace);
        }
        const why = beyond ? `beyond the misfire grace of ${grace} ms` : 'coalesced: the fire at .* ran instead';
        expect(r.error).toMatch(
          r.missed_count === 1 ? new RegExp(`^Missed: \\d+ ms late \\(${why}\\)\\.$`) : new RegExp(`^Missed ${r.missed_count} fires from .* \\(${why}\\)\\.$`),
        );
      }
      expect(new Set(missed.map((r) => r.finished_at!.getTime())).size, `${jobId}: one missed row per claim`).toBe(missed.length);

      // The outage itself: nothing was claimed during it. A fire due in its first second may have
      // been claimed ahead before the cut (the lookahead grows to 1 s when claims are slow): it then
      // started on time, its database work done before the outage.
      const claimedAhead = (r: FireRow) =>
        r.status !== 'missed' && r.started_at !== null && r.scheduled_for.getTime() < cutAt + 1000 && claimedAt(r) - r.scheduled_for.getTime() <= START_SLACK_MS;
      const ahead = fires.filter((r) => r.scheduled_for.getTime() > cutAt && claimedAhead(r));
      const inOutage = fires.filter((r) => r.scheduled_for.getTime() > cutAt && r.scheduled_for.getTime() < restoredAt && !ahead.includes(r));
      for (const r of inOutage) expect(claimedAt(r), `${brief(r)}: claimed after the restore`).toBeGreaterThanOrEqual(restoredAt);
      // Its fires are folded into one missed row written after the restore, with the catch-up:
      // beyond grace (short grace) or coalesced (default grace), never a burst of late runs.
      const outageRow = missed.find((m) => m.scheduled_for.getTime() < restoredAt && m.finished_at!.getTime() >= restoredAt);
      expect(outageRow, `${jobId}: a missed row for the outage in ${JSON.stringify(missed.map(brief))}`).toBeDefined();
      // Its first fire is the first after the cut (and after those claimed ahead): within a second
      // of it, or exactly a second after it when a fire fell due in the very millisecond of the cut
      // (that one was claimed ahead and ran, and is not counted among those after the cut).
      expect(outageRow!.scheduled_for.getTime()).toBeLessThanOrEqual(cutAt + 1000 * (1 + ahead.length));
      expect(outageRow!.missed_count!).toBeGreaterThanOrEqual(Math.floor(OUTAGE_MS / 1000) - ahead.length);
      // Beyond grace with the short grace, unless the claim came within grace of the last missed
      // fire (an engine waking exactly at the catch-up's instant finds that fire exactly 1 s late,
      // which is within grace): then the fires were coalesced, as with the default grace.
      const outageBeyond = shortGrace(jobId) && claimedAt(outageRow!) - outageRow!.missed_until!.getTime() > SHORT_GRACE_MS;
      expect(outageRow!.error, `${jobId}: why the outage's fires did not run`).toMatch(outageBeyond ? /beyond the misfire grace/ : /coalesced/);
      missedCounts.push(outageRow!.missed_count!);
      otherMissed += missed.length - 1;
      const outageRuns = inOutage.filter((r) => r.status !== 'missed');
      expect(outageRuns.map(brief), `${jobId}: fires of the outage that ran late`).toEqual([]);
      const catchUp = fires.find((f) => f.scheduled_for.getTime() === outageRow!.missed_until!.getTime() + 1000)!;
      lateFires.push(claimedAt(catchUp) - catchUp.scheduled_for.getTime());
    }
    // The run in flight at the cut finished during the outage and its outcome was written after it.
    const [sleptThrough] = rows.filter((r) => r.id === inFlight.id);
    expect(brief(sleptThrough)).toMatch(/ succeeded /);
    expect(sleptThrough.finished_at!.getTime()).toBeGreaterThan(cutAt);
    expect(sleptThrough.finished_at!.getTime()).toBeLessThan(restoredAt);

    const range = (xs: number[]) => `${Math.min(...xs)}..${Math.max(...xs)}`;
    console.log(
      `outage: ${failuresDuring} loop failures, first claim ${resumedAfterMs} ms after the restore; short grace: the outage's missed rows fold ` +
        `${range(missedCounts)} fires (${otherMissed} other missed rows); catch-ups ran ${range(lateFires)} ms late; ` +
        `${skips.length} skipped, ${orphans.length} orphaned claim(s); proxy ${JSON.stringify(proxy.stats)}`,
    );
  });
});
