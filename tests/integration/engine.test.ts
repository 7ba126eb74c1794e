import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../scheduler/engine';
import { getExecution, listExecutions } from '../../scheduler/executions';
import { createJob, deleteJob, getJob, pauseJob, resumeJob, runJobNow, updateJob } from '../../scheduler/jobs';
import { NotFoundError } from '../../lib/errors';
import { activeTimers, closedPort, createTestDatabase, recordingLogger, waitFor, type TestDatabase, wrongRunningCounts } from './helpers';

/**
 * One engine, in this process, on a fresh database: what it records for each kind of fire, and
 * how edits made through the services reach it without a restart.
 */

interface ExecRow {
  id: number;
  job_id: string;
  scheduled_for: Date;
  started_at: Date | null;
  finished_at: Date | null;
  duration_ms: number | null;
  status: string;
  kind: string;
  attempt: number;
  error: string | null;
  stack: string | null;
  log: string | null;
  result: string | null;
  missed_count: number | null;
  missed_until: Date | null;
  instance: string | null;
}

interface JobDbRow {
  id: string;
  state: string;
  next_run_at: Date | null;
  version: number;
  last_status: string | null;
}

const INSTANCE = 'engine-test';
let tdb: TestDatabase;
let engine: Engine;
const logger = recordingLogger();
const extraEngines: Engine[] = [];
const extraDatabases: TestDatabase[] = [];

const wakeListeners = () => (globalThis as { __cronboardWake?: Set<unknown> }).__cronboardWake?.size ?? 0;
let listenersBefore = 0;
let timersBefore = 0;

const rowsOf = (id: string, db: TestDatabase = tdb) =>
  db.query<ExecRow>('SELECT * FROM job_executions WHERE job_id = ? ORDER BY scheduled_for, id', [id]);
const jobRow = async (id: string, db: TestDatabase = tdb) =>
  (await db.query<JobDbRow>('SELECT id, state, next_run_at, version, last_status FROM jobs WHERE id = ?', [id]))[0];
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const every1s = { type: 'interval', every: { seconds: 1 } } as const;

/** Waits until `id` has at least `n` rows with `status` (optionally scheduled after `after`). */
function waitForRows(id: string, n: number, status = 'succeeded', after?: Date, timeoutMs = 10_000, db: TestDatabase = tdb) {
  return waitFor(
    async () => {
      const rows = (await rowsOf(id, db)).filter((r) => r.status === status && (!after || r.scheduled_for > after));
      return rows.length >= n ? rows : null;
    },
    { timeoutMs, message: `${n} ${status} row(s) of ${id}` },
  );
}

/** Asserts that fires are the trigger's consecutive 1 s steps. */
function expectConsecutive(rows: ExecRow[], stepMs = 1000) {
  for (let i = 1; i < rows.length; i++) {
    expect(rows[i].scheduled_for.getTime() - rows[i - 1].scheduled_for.getTime()).toBe(stepMs);
  }
}

beforeAll(async () => {
  listenersBefore = wakeListeners();
  timersBefore = activeTimers();
  tdb = await createTestDatabase('engine');
  engine = new Engine({ ctx: tdb.ctx, instanceId: INSTANCE, pollMs: 200, heartbeatMs: 1000, shutdownGraceMs: 2000, logger });
  engine.start();
  // A clock: a job that fires every second, so "nothing happened to X" can wait for "two more
  // fires happened to the clock" instead of sleeping.
  await createJob(tdb.ctx, { id: 'clock', task: 'log.message', args: { message: 'tick' }, trigger: every1s });
});

afterAll(async () => {
  await Promise.allSettled([engine?.stop(), ...extraEngines.map((e) => e.stop())]);
  await Promise.allSettled([tdb?.cleanup(), ...extraDatabases.map((d) => d.cleanup())]);
  // No scheduler left listening for changes in this process, and no timer of theirs pending.
  expect(wakeListeners()).toBe(listenersBefore);
  expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
});

/** Resolves once the clock job has recorded `n` more fires than it has now. */
async function clockTicks(n: number) {
  const start = (await rowsOf('clock')).length;
  await waitFor(async () => (await rowsOf('clock')).length >= start + n, { timeoutMs: 8000, message: 'clock ticks' });
}

describe('engine (one process, real MariaDB)', () => {
  it('records an interval job every second; pause stops it; resume restarts it', async () => {
    const created = await createJob(tdb.ctx, { id: 'every-second', task: 'log.message', args: { message: 'beat' }, trigger: every1s });
    expect(created.state).toBe('active');
    const first = await waitForRows('every-second', 3);
    expectConsecutive(first.slice(0, 3));
    for (const r of first) {
      expect(r.kind).toBe('scheduled');
      expect(r.instance).toBe(INSTANCE);
      expect(r.started_at!.getTime()).toBeGreaterThanOrEqual(r.scheduled_for.getTime());
    }

    const paused = await pauseJob(tdb.ctx, 'every-second');
    expect(paused.state).toBe('paused');
    expect(paused.nextRunAt).toBeNull();
    const pausedAt = new Date();
    const atPause = await rowsOf('every-second');
    await clockTicks(2);
    const afterPause = await rowsOf('every-second');
    expect(afterPause.map((r) => r.id)).toEqual(atPause.map((r) => r.id));
    expect(afterPause.filter((r) => r.scheduled_for > pausedAt)).toEqual([]);
    expect(afterPause.every((r) => r.status === 'succeeded')).toBe(true);

    const resumedAt = new Date();
    const resumed = await resumeJob(tdb.ctx, 'every-second');
    expect(resumed.state).toBe('active');
    expect(Date.parse(resumed.nextRunAt!)).toBeGreaterThan(pausedAt.getTime());
    expect(Date.parse(resumed.nextRunAt!) - Date.now()).toBeLessThanOrEqual(1000);
    const again = await waitForRows('every-second', 2, 'succeeded', pausedAt);
    expectConsecutive(again);
    // Resuming does not replay the fires that fell in the pause.
    expect(again[0].scheduled_for.getTime()).toBeGreaterThan(resumedAt.getTime());
    const lastBeforePause = atPause[atPause.length - 1].scheduled_for;
    const inPause = (await rowsOf('every-second')).filter((r) => r.scheduled_for > lastBeforePause && r.scheduled_for < again[0].scheduled_for);
    expect(inPause).toEqual([]);
  });

  it('records a run as running, then succeeded with its duration', async () => {
    const runAt = inSeconds(1);
    await createJob(tdb.ctx, { id: 'sleeper', task: 'util.sleep', args: { ms: 1200 }, trigger: { type: 'date', runAt } });
    const [running] = await waitForRows('sleeper', 1, 'running');
    expect(running.scheduled_for.toISOString()).toBe(runAt);
    expect(running.started_at).not.toBeNull();
    expect(running.finished_at).toBeNull();
    expect(running.duration_ms).toBeNull();
    const [done] = await waitForRows('sleeper', 1, 'succeeded');
    expect(done.id).toBe(running.id);
    expect(done.duration_ms).toBeGreaterThanOrEqual(1150);
    expect(done.duration_ms).toBeLessThan(5000);
    expect(done.finished_at!.getTime() - done.started_at!.getTime()).toBeGreaterThanOrEqual(1150);
    expect(JSON.parse(done.result!)).toEqual({ sleptMs: 1200 });
    expect(done.error).toBeNull();
    expect((await jobRow('sleeper')).last_status).toBe('succeeded');
  });

  it("keeps the task's log lines with the execution", async () => {
    const marker = `marker-${Math.random().toString(36).slice(2)}`;
    await createJob(tdb.ctx, {
      id: 'logger',
      task: 'log.message',
      args: { message: `hello ${marker}`, level: 'warn' },
      trigger: { type: 'date', runAt: inSeconds(0.5) },
    });
    const [done] = await waitForRows('logger', 1);
    expect(done.log).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z WARN hello ${marker}$`));
    const page = await listExecutions(tdb.ctx, 'logger', {});
    expect(page.items[0].log).toContain(`hello ${marker}`);
  });

  it('ends a throwing task failed, with its error message and stack', async () => {
    const port = await closedPort();
    await createJob(tdb.ctx, {
      id: 'http-down',
      task: 'http.request',
      args: { method: 'GET', url: `http://127.0.0.1:${port}/` },
      trigger: { type: 'date', runAt: inSeconds(0.5) },
    });
    const [failed] = await waitForRows('http-down', 1, 'failed');
    expect(failed.error).toMatch(/ECONNREFUSED|fetch failed/);
    expect(failed.stack).toMatch(/\n\s+at /);
    expect(failed.finished_at).not.toBeNull();
    expect(failed.duration_ms).toBeGreaterThanOrEqual(0);
    const job = await getJob(tdb.ctx, 'http-down');
    expect(job.lastExecution).toMatchObject({ id: failed.id, status: 'failed' });
  });

  it('fires a date job once, completes it, keeps its history, and deletes it with its history', async () => {
    const runAt = inSeconds(1);
    await createJob(tdb.ctx, { id: 'one-shot', task: 'log.message', args: { message: 'once' }, trigger: { type: 'date', runAt } });
    await waitFor(async () => (await jobRow('one-shot')).state === 'completed', { message: 'one-shot completed' });
    const [done] = await waitForRows('one-shot', 1);
    expect(done.scheduled_for.toISOString()).toBe(runAt);
    const job = await getJob(tdb.ctx, 'one-shot');
    expect(job.state).toBe('completed');
    expect(job.nextRunAt).toBeNull();
    // The engine went on firing other jobs; the one-shot stays at one execution, still kept.
    await clockTicks(2);
    const rows = await rowsOf('one-shot');
    expect(rows.map((r) => r.status)).toEqual(['succeeded']);
    expect((await listExecutions(tdb.ctx, 'one-shot', {})).total).toBe(1);
    // A completed job has nothing to resume.
    await expect(resumeJob(tdb.ctx, 'one-shot')).rejects.toMatchObject({ status: 409 });

    await deleteJob(tdb.ctx, 'one-shot');
    await expect(getJob(tdb.ctx, 'one-shot')).rejects.toBeInstanceOf(NotFoundError);
    expect(await rowsOf('one-shot')).toEqual([]);
    expect(await tdb.query('SELECT id FROM job_executions WHERE id = ?', [done.id])).toEqual([]);
  });

  it('runs a paused job on "run now" as a manual execution, leaving next_run_at alone', async () => {
    await createJob(tdb.ctx, { id: 'paused-run', task: 'log.message', args: { message: 'manual' }, trigger: every1s, paused: true });
    const before = await jobRow('paused-run');
    expect(before.state).toBe('paused');
    expect(before.next_run_at).toBeNull();
    const { executionId } = await runJobNow(tdb.ctx, 'paused-run');
    await waitFor(async () => (await getExecution(tdb.ctx, executionId)).status === 'succeeded', { message: 'manual run succeeded' });
    const exec = await getExecution(tdb.ctx, executionId);
    expect(exec).toMatchObject({ kind: 'manual', status: 'succeeded', instance: INSTANCE, attempt: 1 });
    expect(exec.log).toContain('manual');
    const after = await jobRow('paused-run');
    expect(after).toEqual({ ...before, last_status: 'succeeded' });
    expect((await rowsOf('paused-run')).length).toBe(1);

    // On an active job, run now leaves the planned fire where it was.
    await createJob(tdb.ctx, { id: 'hourly-run', task: 'log.message', args: { message: 'now' }, trigger: { type: 'interval', every: { hours: 1 } } });
    const planned = (await jobRow('hourly-run')).next_run_at!;
    const run = await runJobNow(tdb.ctx, 'hourly-run');
    await waitFor(async () => (await getExecution(tdb.ctx, run.executionId)).status === 'succeeded', { message: 'hourly run now' });
    const hourly = await jobRow('hourly-run');
    expect(hourly.state).toBe('active');
    expect(hourly.next_run_at!.toISOString()).toBe(planned.toISOString());
    expect((await rowsOf('hourly-run')).map((r) => r.kind)).toEqual(['manual']);
  });

  it('takes a schedule edit into account without a restart', async () => {
    await createJob(tdb.ctx, { id: 'retimed', task: 'log.message', args: { message: 'x' }, trigger: { type: 'interval', every: { hours: 1 } } });
    expect(Date.parse((await getJob(tdb.ctx, 'retimed')).nextRunAt!) - Date.now()).toBeGreaterThan(3_500_000);
    const editedAt = new Date();
    const edited = await updateJob(tdb.ctx, 'retimed', { trigger: every1s, version: 1 });
    expect(edited.version).toBe(2);
    expect(Date.parse(edited.nextRunAt!) - editedAt.getTime()).toBeLessThanOrEqual(1100);
    const rows = await waitForRows('retimed', 2, 'succeeded', undefined, 5000);
    expectConsecutive(rows);
    expect(rows[0].scheduled_for.toISOString()).toBe(edited.nextRunAt);
  });

  it('ends a run that outlives timeoutMs as timed_out', async () => {
    await createJob(tdb.ctx, {
      id: 'too-slow',
      task: 'util.sleep',
      args: { ms: 30_000 },
      trigger: { type: 'date', runAt: inSeconds(0.5) },
      options: { timeoutMs: 400 },
    });
    const [row] = await waitForRows('too-slow', 1, 'timed_out');
    expect(row.error).toMatch(/Timed out after 400 ms/);
    expect(row.duration_ms).toBeGreaterThanOrEqual(350);
    expect(row.duration_ms).toBeLessThan(5000);
  });

  it('records fires that find the previous run still going as skipped (max instances 1)', async () => {
    await createJob(tdb.ctx, { id: 'overlap', task: 'util.sleep', args: { ms: 2300 }, trigger: every1s, options: { maxInstances: 1 } });
    const rows = await waitFor(
      async () => {
        const all = await rowsOf('overlap');
        return all.filter((r) => r.status === 'succeeded').length >= 1 && all.filter((r) => r.status === 'skipped').length >= 2 ? all : null;
      },
      { message: 'one run and two skipped fires of overlap' },
    );
    await pauseJob(tdb.ctx, 'overlap');
    expectConsecutive(rows);
    const [first, second, third] = rows;
    expect(first.status).toBe('succeeded');
    expect([second.status, third.status]).toEqual(['skipped', 'skipped']);
    for (const skipped of [second, third]) {
      expect(skipped.error).toMatch(/max instances is 1/);
      expect(skipped.started_at).toBeNull();
      expect(skipped.scheduled_for.getTime()).toBeLessThan(first.finished_at!.getTime());
    }
  });

  it('retries a failed run with exponential backoff, each attempt a row of its own', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`;
    await createJob(tdb.ctx, {
      id: 'flaky',
      task: 'http.request',
      args: { method: 'GET', url },
      trigger: { type: 'date', runAt: inSeconds(0.3) },
      options: { retries: { max: 2, backoffMs: 300 } },
    });
    const rows = await waitForRows('flaky', 3, 'failed');
    expect(rows.map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(new Set(rows.map((r) => r.scheduled_for.toISOString())).size).toBe(1);
    // Backoff 300 ms, then 600 ms, each ±20 %.
    const gap1 = rows[1].started_at!.getTime() - rows[0].finished_at!.getTime();
    const gap2 = rows[2].started_at!.getTime() - rows[1].finished_at!.getTime();
    expect(gap1).toBeGreaterThanOrEqual(230);
    expect(gap2).toBeGreaterThanOrEqual(470);
    await clockTicks(1);
    expect(await rowsOf('flaky')).toHaveLength(3);
  });

  it('pauses a job whose stored trigger cannot be planned, with a failed row, and keeps the others running', async () => {
    await createJob(tdb.ctx, { id: 'broken', task: 'log.message', args: { message: 'x' }, trigger: every1s, paused: true });
    // As if a stored trigger became unreadable (hand-edited JSON, or a newer version's syntax).
    await tdb.query(
      `UPDATE jobs SET state = 'active', next_run_at = ?, \`trigger\` = JSON_OBJECT('type', 'cron', 'expression', 'not a cron', 'timezone', 'UTC') WHERE id = 'broken'`,
      [new Date(Date.now() - 100)],
    );
    tdb.ctx.notify();
    const [failed] = await waitForRows('broken', 1, 'failed');
    expect(failed.error).toMatch(/Could not schedule this job, so it was paused/);
    expect(await jobRow('broken')).toMatchObject({ state: 'paused', next_run_at: null });
    await clockTicks(2);
    // The one error logged is this job's; later checks expect a quiet log, so take it out.
    const errors = logger.lines.filter((l) => l.level === 'error');
    expect(errors.map((l) => l.message)).toEqual([expect.stringMatching(/job "broken" could not be scheduled/)]);
    logger.lines.splice(logger.lines.indexOf(errors[0]), 1);
  });

  it('moves a job past a fire that already has its row instead of running it twice, and keeps the others claimed', async () => {
    await createJob(tdb.ctx, { id: 'recorded', task: 'log.message', args: { message: 'x' }, trigger: every1s, paused: true });
    await createJob(tdb.ctx, { id: 'beside', task: 'log.message', args: { message: 'x' }, trigger: every1s, paused: true });
    // As after an edit or a clock race: the job's due fire has its row already.
    const due = new Date(Math.floor(Date.now() / 1000) * 1000 + 1000);
    await tdb.query(
      `INSERT INTO job_executions (job_id, scheduled_for, attempt, status, instance) VALUES ('recorded', ?, 1, 'succeeded', 'elsewhere')`,
      [due],
    );
    await tdb.query(`UPDATE jobs SET state = 'active', next_run_at = ? WHERE id IN ('recorded', 'beside')`, [due]);
    tdb.ctx.notify();
    // Claimed in one batch, which fails on the duplicate; then one at a time.
    const [besideRun] = await waitForRows('beside', 1);
    expect(besideRun.scheduled_for.getTime()).toBe(due.getTime());
    const runs = await waitForRows('recorded', 2);
    expect(runs[0]).toMatchObject({ instance: 'elsewhere' });
    // The next fire on the job's grid (anchored at its creation, so not a whole second).
    expect(runs[1].scheduled_for.getTime()).toBeGreaterThan(due.getTime());
    expect(runs[1].scheduled_for.getTime()).toBeLessThanOrEqual(due.getTime() + 1000);
    expect(runs.filter((r) => r.scheduled_for.getTime() === due.getTime())).toHaveLength(1);
    const warnings = logger.lines.filter((l) => l.level === 'warn' && /a batch claim failed/.test(l.message));
    expect(warnings.length).toBeGreaterThan(0);
    for (const w of warnings) logger.lines.splice(logger.lines.indexOf(w), 1);
    await pauseJob(tdb.ctx, 'recorded');
    await pauseJob(tdb.ctx, 'beside');
  });

  it('delays a fire by its jitter through a queued row, then runs it', async () => {
    await createJob(tdb.ctx, {
      id: 'jittery',
      task: 'log.message',
      args: { message: 'x' },
      trigger: { type: 'date', runAt: inSeconds(0.3), jitterMs: 800 },
    });
    const [row] = await waitForRows('jittery', 1, 'succeeded');
    const delay = row.started_at!.getTime() - row.scheduled_for.getTime();
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThan(800 + 1500);
    expect(row.kind).toBe('scheduled');
  });

  it('stops firing a deleted job', async () => {
    await createJob(tdb.ctx, { id: 'doomed', task: 'log.message', args: { message: 'x' }, trigger: every1s });
    await waitForRows('doomed', 1);
    await deleteJob(tdb.ctx, 'doomed');
    expect(await rowsOf('doomed')).toEqual([]);
    await clockTicks(2);
    expect(await rowsOf('doomed')).toEqual([]);
    expect(await jobRow('doomed')).toBeUndefined();
    expect(logger.lines.filter((l) => l.level !== 'info')).toEqual([]);
  });

  it('records an hour of missed fires as one missed row, runs the latest once as catch-up, then runs on schedule', async () => {
    await createJob(tdb.ctx, { id: 'late', task: 'log.message', args: { message: 'x' }, trigger: every1s, paused: true });
    // As if the job was created an hour ago and no scheduler ran since: its interval is anchored
    // an hour (and one step) back and its planned fire is an hour old.
    const anchor = new Date(Date.now() - 3_600_000 - 1000);
    const due = new Date(anchor.getTime() + 1000);
    await tdb.query(
      `UPDATE jobs SET state = 'active', next_run_at = ?, \`trigger\` = JSON_SET(\`trigger\`, '$.anchorAt', ?) WHERE id = 'late'`,
      [due, anchor.toISOString()],
    );
    const claimedAfter = new Date();
    tdb.ctx.notify();
    const [missed] = await waitForRows('late', 1, 'missed');
    expect(missed.scheduled_for.toISOString()).toBe(due.toISOString());
    // Every second of the hour is one fire: ~3600 of them, folded into this one row (3599 when
    // the claiming turn read its clock a moment before the job was made due).
    expect(missed.missed_count).toBeGreaterThanOrEqual(3599);
    expect(missed.missed_count).toBeLessThanOrEqual(3610);
    // The latest due fire was within grace: it runs once as the catch-up, the rest are missed.
    expect(missed.missed_until!.getTime()).toBeGreaterThan(claimedAfter.getTime() - 2000);
    expect(missed.missed_until!.getTime()).toBeLessThanOrEqual(Date.now());
    expect((missed.missed_until!.getTime() - due.getTime()) / 1000).toBe(missed.missed_count! - 1);
    expect(missed.error).toMatch(/Missed \d+ fires/);

    const runs = await waitForRows('late', 2);
    expectConsecutive(runs);
    expect(runs[0].scheduled_for.getTime() - missed.missed_until!.getTime()).toBe(1000);
    expect(runs[0].scheduled_for.getTime()).toBeLessThanOrEqual(claimedAfter.getTime() + 1000);
    expect((await rowsOf('late')).filter((r) => r.status === 'missed')).toHaveLength(1);
  });

  it('without coalesce, records each missed fire as its own row (capped at 1000, the last standing for the rest)', async () => {
    await createJob(tdb.ctx, {
      id: 'late-each',
      task: 'log.message',
      args: { message: 'x' },
      trigger: every1s,
      paused: true,
      options: { coalesce: false },
    });
    const anchor = new Date(Date.now() - 3_600_000 - 1000);
    const due = new Date(anchor.getTime() + 1000);
    await tdb.query(
      `UPDATE jobs SET state = 'active', next_run_at = ?, \`trigger\` = JSON_SET(\`trigger\`, '$.anchorAt', ?) WHERE id = 'late-each'`,
      [due, anchor.toISOString()],
    );
    tdb.ctx.notify();
    const missed = await waitForRows('late-each', 1000, 'missed');
    await pauseJob(tdb.ctx, 'late-each');
    expect(missed).toHaveLength(1000);
    expect(missed.slice(0, 999).every((r) => r.missed_count === 1)).toBe(true);
    expect(missed[1].scheduled_for.getTime() - missed[0].scheduled_for.getTime()).toBe(1000);
    // Fires of the last minute were within the default 60 s grace: those are replayed, not missed.
    const total = missed.reduce((n, r) => n + r.missed_count!, 0);
    expect(total).toBeGreaterThanOrEqual(3600 - 62);
    expect(total).toBeLessThanOrEqual(3600 - 58);
    expect(missed[999].missed_count).toBe(total - 999);
  });

  it('stop() is idempotent, interrupts what outlives the grace period, and leaves nothing running', async () => {
    const other = await createTestDatabase('engine_stop');
    extraDatabases.push(other);
    const listeners = wakeListeners();
    const stopper = new Engine({ ctx: other.ctx, instanceId: 'stopper', pollMs: 100, heartbeatMs: 500, shutdownGraceMs: 300, logger: recordingLogger() });
    extraEngines.push(stopper);
    stopper.start();
    stopper.start();
    expect(wakeListeners()).toBe(listeners + 1);
    await createJob(other.ctx, { id: 'long', task: 'util.sleep', args: { ms: 60_000 }, trigger: { type: 'date', runAt: inSeconds(0.3) } });
    await createJob(other.ctx, { id: 'quick', task: 'util.sleep', args: { ms: 100 }, trigger: { type: 'date', runAt: inSeconds(0.3) } });
    const [claimed] = await waitForRows('long', 1, 'running', undefined, 5000, other);
    // Fires are claimed a little ahead of their instant: wait until the task has really started.
    await waitFor(async () => Date.now() >= claimed.scheduled_for.getTime() + 50, { message: 'long started' });
    // 'quick' is due a few ms after 'long': make sure it was claimed before stopping.
    await waitFor(async () => (await rowsOf('quick', other)).length === 1, { message: 'quick claimed' });
    await waitFor(async () => (await other.query('SELECT id FROM scheduler_instances WHERE id = ?', ['stopper'])).length === 1);

    const t0 = Date.now();
    const first = stopper.stop();
    const second = stopper.stop();
    expect(second).toBe(first);
    await first;
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(5000);
    await stopper.stop();

    const [long] = await rowsOf('long', other);
    expect(long.status).toBe('interrupted');
    expect(long.error).toMatch(/shut down/);
    expect(long.finished_at).not.toBeNull();
    expect(long.duration_ms).toBeGreaterThanOrEqual(250);
    expect((await rowsOf('quick', other)).map((r) => r.status)).toEqual(['succeeded']);
    expect(await other.query(`SELECT id FROM job_executions WHERE status IN ('running', 'queued')`)).toEqual([]);
    expect(await wrongRunningCounts(other)).toEqual([]);
    expect(await other.query('SELECT id FROM scheduler_instances')).toEqual([]);
    expect(stopper.inFlight).toBe(0);
    expect(wakeListeners()).toBe(listeners);

    // A stopped engine stays stopped: start() does nothing, a due job is left for others.
    stopper.start();
    await createJob(other.ctx, { id: 'after-stop', task: 'log.message', args: { message: 'x' }, trigger: { type: 'date', runAt: inSeconds(0.2) } });
    await clockTicks(2); // the main engine's loop turned over twice: long past the 0.2 s fire
    expect(await rowsOf('after-stop', other)).toEqual([]);
    expect((await jobRow('after-stop', other)).state).toBe('active');
    expect(wakeListeners()).toBe(listeners);
  });

  it('starts a fire claimed ahead at its instant, and gives it up as interrupted when shut down before it', async () => {
    const other = await createTestDatabase('engine_ahead');
    extraDatabases.push(other);
    const ahead = new Engine({ ctx: other.ctx, instanceId: 'ahead', pollMs: 100, heartbeatMs: 500, shutdownGraceMs: 100, lookaheadMs: 1000, logger: recordingLogger() });
    extraEngines.push(ahead);
    ahead.start();

    // Claimed up to a second ahead, started on time.
    const soon = await createJob(other.ctx, { id: 'soon', task: 'log.message', args: { message: 'x' }, trigger: { type: 'date', runAt: inSeconds(0.5) } });
    const [run] = await waitForRows('soon', 1, 'succeeded', undefined, 5000, other);
    expect(run.scheduled_for.toISOString()).toBe(soon.nextRunAt);
    expect(run.started_at!.getTime()).toBeGreaterThanOrEqual(run.scheduled_for.getTime());

    // Claimed ahead, then the engine stops (grace 100 ms) before the fire's instant: the task never
    // starts and the row says so.
    await createJob(other.ctx, { id: 'later', task: 'log.message', args: { message: 'x' }, trigger: { type: 'date', runAt: inSeconds(0.9) } });
    const [claimed] = await waitForRows('later', 1, 'running', undefined, 5000, other);
    expect(claimed.scheduled_for.getTime()).toBeGreaterThan(Date.now() + 200);
    await ahead.stop();
    const [later] = await rowsOf('later', other);
    expect(later.status).toBe('interrupted');
    expect(later.error).toMatch(/shut down/);
    expect(later.log).toBeNull();
    expect(ahead.inFlight).toBe(0);
  });
});
