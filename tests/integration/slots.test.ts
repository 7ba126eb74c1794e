import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDueBatch, LAST_RUN_STEP_MS, type ClaimedRun } from '../../scheduler/batch-claim';
import { claimQueued } from '../../scheduler/claim';
import { createJob } from '../../scheduler/jobs';
import { writeOutcomes } from '../../scheduler/recorder';
import { interruptRuns, LeaseBook, type LeaseState } from '../../scheduler/slots';
import { createTestDatabase, wrongRunningCounts, type TestDatabase } from './helpers';

/**
 * A job's runs in progress as claims see them (scheduler/slots.ts): the run a batch claim started
 * last holds the job's lease, named by its fire instant, and frees it by its row alone (its
 * outcome writes nothing to the job); any other run in progress is counted on the job. Every
 * step checks that what claims see matches the `running` rows (wrongRunningCounts).
 */

let tdb: TestDatabase;
/** The start of a 10 s span (LAST_RUN_STEP_MS) well ahead of the clock: fires are set there by hand, claims run "at" them. */
const T0 = Math.ceil(Date.now() / LAST_RUN_STEP_MS) * LAST_RUN_STEP_MS + 3_600_000;
const at = (s: number) => new Date(T0 + s * 1000);

beforeAll(async () => {
  tdb = await createTestDatabase('slots');
  for (const [id, maxInstances] of [['one', 1], ['two', 2], ['queue', 1], ['stop', 2], ['late', 2]] as const) {
    await createJob(tdb.ctx, { id, task: 'log.message', args: { message: id }, trigger: { type: 'interval', every: { seconds: 1 } }, options: { maxInstances } });
  }
});

afterAll(async () => {
  await tdb?.cleanup();
});

/** Makes the job's next fire second `s` and claims it then, as an engine that knows the given leases. */
async function claimAt(id: string, s: number, leases?: (jobId: string, at: number) => LeaseState) {
  await tdb.query('UPDATE jobs SET next_run_at = ? WHERE id = ?', [at(s), id]);
  return claimDueBatch(tdb.db, [id], at(s), 'slots-test', { leases });
}

/** Writes a succeeded outcome for the run, as the engine that claimed it does. */
async function finish(run: ClaimedRun): Promise<void> {
  const end = new Date(run.scheduledFor.getTime() + 5);
  await writeOutcomes(tdb.db, [
    {
      jobId: run.job.id,
      executionId: run.executionId,
      startedAt: run.scheduledFor,
      leased: run.leased,
      outcome: { status: 'succeeded', error: null, stack: null, log: '', result: null, finishedAt: end, durationMs: 5 },
    },
  ]);
}

async function job(id: string) {
  const [row] = await tdb.query<{ running_count: number; lease_at: Date | null; last_status: string | null; last_run_at: Date | null }>(
    'SELECT running_count, lease_at, last_status, last_run_at FROM jobs WHERE id = ?',
    [id],
  );
  return row;
}

async function rowOf(id: string, s: number) {
  const [row] = await tdb.query<{ status: string; error: string | null }>('SELECT status, error FROM job_executions WHERE job_id = ? AND scheduled_for = ?', [id, at(s)]);
  return row;
}

describe("a job's slots", () => {
  it('a run a claim starts holds its job’s lease, and frees it once its row has an outcome, writing nothing to the job', async () => {
    const first = await claimAt('one', 0);
    expect(first.runs).toHaveLength(1);
    expect(first.runs[0].leased).toBe(true);
    expect(await job('one')).toEqual({ running_count: 0, lease_at: at(0), last_status: null, last_run_at: at(0) });

    // Its row is `running`: the next fire finds the slot taken (read from the row, unknown here).
    expect((await claimAt('one', 1)).runs).toEqual([]);
    expect(await rowOf('one', 1)).toEqual({ status: 'skipped', error: 'Skipped: 1 run(s) still in progress and max instances is 1.' });
    expect(await job('one')).toMatchObject({ lease_at: at(0), last_status: 'skipped' });
    expect(await wrongRunningCounts(tdb)).toEqual([]);

    await finish(first.runs[0]);
    // The outcome changed the last status; the count and the lease are as they were.
    expect(await job('one')).toMatchObject({ running_count: 0, lease_at: at(0), last_status: 'succeeded' });
    const next = await claimAt('one', 2);
    expect(next.runs.map((r) => r.leased)).toEqual([true]);
    expect(await job('one')).toMatchObject({ running_count: 0, lease_at: at(2), last_run_at: at(0) });
    expect(await wrongRunningCounts(tdb)).toEqual([]);
    await finish(next.runs[0]);
  });

  it('moves the last run forward only when it leaves its span of 10 s', async () => {
    expect(LAST_RUN_STEP_MS).toBe(10_000);
    await claimAt('one', 20).then((b) => finish(b.runs[0]));
    expect(await job('one')).toMatchObject({ last_run_at: at(20), lease_at: at(20) });
    await claimAt('one', 29).then((b) => finish(b.runs[0]));
    expect(await job('one')).toMatchObject({ last_run_at: at(20), lease_at: at(29) });
    await claimAt('one', 30).then((b) => finish(b.runs[0]));
    expect(await job('one')).toMatchObject({ last_run_at: at(30), lease_at: at(30) });
  });

  it('with max instances above 1, counts a run started while the lease is held, and its outcome takes it off', async () => {
    const leased = (await claimAt('two', 0)).runs[0];
    const counted = (await claimAt('two', 1)).runs[0];
    expect([leased.leased, counted.leased]).toEqual([true, false]);
    expect(await job('two')).toMatchObject({ running_count: 1, lease_at: at(0) });
    expect((await claimAt('two', 2)).runs).toEqual([]);
    expect(await rowOf('two', 2)).toMatchObject({ status: 'skipped', error: 'Skipped: 2 run(s) still in progress and max instances is 2.' });
    expect(await wrongRunningCounts(tdb)).toEqual([]);

    await finish(counted);
    expect(await job('two')).toMatchObject({ running_count: 0, lease_at: at(0) });
    // The lease is still live: the next run is counted again.
    const again = (await claimAt('two', 3)).runs[0];
    expect(again.leased).toBe(false);
    await finish(leased);
    await finish(again);
    expect(await job('two')).toMatchObject({ running_count: 0, lease_at: at(0) });
    expect(await wrongRunningCounts(tdb)).toEqual([]);
    // Both free: the next run takes the lease.
    const next = (await claimAt('two', 4)).runs[0];
    expect(next.leased).toBe(true);
    expect(await job('two')).toMatchObject({ running_count: 0, lease_at: at(4) });
    await finish(next);
  });

  it('asks the engine that took the lease first: what it knows is over frees the slot, whatever the row says yet', async () => {
    const book = new LeaseBook();
    const first = (await claimAt('one', 50, (id, ms) => book.state(id, ms))).runs[0];
    book.started('one', first.scheduledFor.getTime());
    expect((await claimAt('one', 51, (id, ms) => book.state(id, ms))).runs).toEqual([]);
    // Over here, its outcome on its way: the slot is free though the row still says running.
    book.finished('one', first.scheduledFor.getTime());
    const second = (await claimAt('one', 52, (id, ms) => book.state(id, ms))).runs[0];
    expect(second.leased).toBe(true);
    expect(await rowOf('one', 50)).toMatchObject({ status: 'running' });
    await finish(first);
    await finish(second);
    expect(await wrongRunningCounts(tdb)).toEqual([]);
  });

  it('a queued fire (a retry, a jittered fire) obeys the lease, and is counted when it starts', async () => {
    const leased = (await claimAt('queue', 0)).runs[0];
    const queue = async (s: number) => {
      const res = await tdb.query<never>("INSERT INTO job_executions (job_id, scheduled_for, attempt, status) VALUES ('queue', ?, 2, 'queued')", [at(s)]);
      const id = Number((res as unknown as { insertId: number }).insertId);
      return claimQueued(tdb.db, { id, jobId: 'queue', scheduledFor: at(s), attempt: 2, kind: 'scheduled' }, at(s), 'slots-test');
    };
    expect(await queue(0)).toMatchObject({ started: false, status: 'skipped' });
    expect(await job('queue')).toMatchObject({ running_count: 0, last_status: 'skipped' });
    await finish(leased);
    expect(await queue(1)).toMatchObject({ started: true, status: 'running' });
    expect(await job('queue')).toMatchObject({ running_count: 1, last_run_at: at(1) });
    expect(await wrongRunningCounts(tdb)).toEqual([]);
    // Counted, not the lease: a claim's run while it is in progress is skipped.
    expect((await claimAt('queue', 2)).runs).toEqual([]);
  });

  it('interrupting runs frees a counted one on the count and a lease by its row, and says so in the last status', async () => {
    const leased = (await claimAt('stop', 0)).runs[0];
    const counted = (await claimAt('stop', 1)).runs[0];
    expect(await job('stop')).toMatchObject({ running_count: 1 });
    expect(await interruptRuns(tdb.db, [leased.executionId, counted.executionId], at(2), 'Interrupted: test.')).toBe(2);
    expect(await job('stop')).toMatchObject({ running_count: 0, lease_at: at(0), last_status: 'interrupted' });
    expect(await wrongRunningCounts(tdb)).toEqual([]);
    // Their outcomes, arriving late, free nothing more.
    await finish(leased);
    await finish(counted);
    expect(await job('stop')).toMatchObject({ running_count: 0 });
    expect((await claimAt('stop', 3)).runs.map((r) => r.leased)).toEqual([true]);
  });
  it("an engine's shutdown says which of its runs hold a lease: a run over here may have let a claim take a new one", async () => {
    const first = (await claimAt('late', 0)).runs[0];
    // Over here, its outcome not yet written: the next claim takes a new lease.
    const second = (await claimAt('late', 1, (id, ms) => (ms === first.scheduledFor.getTime() ? 'done' : undefined))).runs[0];
    expect(second.leased).toBe(true);
    const counted = (await claimAt('late', 2)).runs[0];
    expect(counted.leased).toBe(false);
    expect(await job('late')).toMatchObject({ running_count: 1, lease_at: at(1) });
    // Its row no longer names it as the lease; the engine does.
    expect(await interruptRuns(tdb.db, [first.executionId], at(3), 'Interrupted: shutdown.', true, new Set([first.executionId]))).toBe(1);
    expect(await job('late')).toMatchObject({ running_count: 1 });
    expect(await wrongRunningCounts(tdb)).toEqual([]);
    await finish(second);
    await finish(counted);
    expect(await wrongRunningCounts(tdb)).toEqual([]);
  });
});
