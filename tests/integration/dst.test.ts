import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchedulerContext } from '../../scheduler/context';
import { Engine } from '../../scheduler/engine';
import { createJob, pauseJob } from '../../scheduler/jobs';
import { activeTimers, createTestDatabase, recordingLogger, waitFor, type TestDatabase } from './helpers';

/**
 * The engine, not only the trigger math, across DST days (DESIGN.md "Time"): a fixed wall time
 * that does not exist fires once when the gap ends, one that occurs twice fires once at its first
 * occurrence, and wildcard hours follow real instants (23 or 25 fires a day).
 *
 * Time is injected: the engine's context reads a virtual clock. Each step moves the clock to the
 * earliest planned fire (read from the jobs table), wakes the engine and waits for that instant's
 * rows to be finished. Expected instants are written by hand from the zones' offsets.
 */

interface ExecRow {
  job_id: string;
  scheduled_for: Date;
  started_at: Date | null;
  finished_at: Date | null;
  status: string;
  kind: string;
  attempt: number;
}

interface JobDbRow {
  id: string;
  state: string;
  next_run_at: Date | null;
}

const HOUR = 3_600_000;
/** Large enough that a fire is never recorded as missed, whatever the test machine does. */
const GRACE = 24 * HOUR;

let tdb: TestDatabase;
let ctx: SchedulerContext;
let engine: Engine;
const logger = recordingLogger();
/** The virtual clock the engine and the services read. */
let clock = new Date('2026-01-01T00:00:00Z');

const wakeListeners = () => (globalThis as { __cronboardWake?: Set<unknown> }).__cronboardWake?.size ?? 0;
let listenersBefore = 0;
let timersBefore = 0;

const iso = (s: string) => new Date(s).toISOString();

/** `count` consecutive whole UTC hours from `first` (ISO strings). */
function hoursFrom(first: string, count: number): string[] {
  const start = Date.parse(first);
  return Array.from({ length: count }, (_, i) => new Date(start + i * HOUR).toISOString());
}

/** Local wall time "HH:MM" of `instant` in `zone` (checks the hand-written lists read as intended). */
function wallTime(instant: string, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));
}

const rowsOf = (ids: string[]) =>
  tdb.query<ExecRow>(
    'SELECT job_id, scheduled_for, started_at, finished_at, status, kind, attempt FROM job_executions WHERE job_id IN (?) ORDER BY scheduled_for, id',
    [ids],
  );
const jobRows = (ids: string[]) => tdb.query<JobDbRow>('SELECT id, state, next_run_at FROM jobs WHERE id IN (?) ORDER BY id', [ids]);

interface CronCase {
  id: string;
  expression: string;
  /** Every fire of the local day, as UTC instants. */
  fires: string[];
  /** The job's planned fire once the day is over. */
  nextAfterDay: string;
}

/**
 * Creates the jobs with the clock at `createAt` (just before the local day), then steps the
 * clock from planned fire to planned fire until `dayEnd`, and checks every job's fires.
 */
async function runDay(zone: string, createAt: string, dayEnd: string, cases: CronCase[]): Promise<void> {
  const ids = cases.map((c) => c.id);
  clock = new Date(createAt);
  try {
    for (const c of cases) {
      await createJob(ctx, {
        id: c.id,
        task: 'log.message',
        args: { message: c.id },
        trigger: { type: 'cron', expression: c.expression, timezone: zone },
        options: { misfireGraceMs: GRACE },
      });
    }
    const stepped: string[] = [];
    for (let step = 0; ; step++) {
      expect(step, 'more steps than a day has fires').toBeLessThan(60);
      const planned = (await jobRows(ids)).filter((j) => j.state === 'active' && j.next_run_at);
      const at = Math.min(...planned.map((j) => j.next_run_at!.getTime()));
      if (!(at < Date.parse(dayEnd))) break;
      const due = planned.filter((j) => j.next_run_at!.getTime() === at).map((j) => j.id);
      clock = new Date(at);
      stepped.push(clock.toISOString());
      engine.wake();
      // That instant's rows exist and are finished, and every due job has moved past it.
      await waitFor(
        async () => {
          const rows = (await rowsOf(due)).filter((r) => r.scheduled_for.getTime() === at && r.finished_at);
          const moved = (await jobRows(due)).every((j) => j.next_run_at && j.next_run_at.getTime() > at);
          return rows.length === due.length && moved;
        },
        { timeoutMs: 5000, intervalMs: 10, message: `fires of ${due.join(', ')} at ${clock.toISOString()}` },
      );
    }
    // Each instant was stepped to once (the clock only moved forward).
    expect(new Set(stepped).size).toBe(stepped.length);

    const rows = await rowsOf(ids);
    for (const c of cases) {
      const mine = rows.filter((r) => r.job_id === c.id);
      const scheduled = mine.map((r) => r.scheduled_for.toISOString());
      expect(scheduled, `fires of ${c.id} (${c.expression} in ${zone})`).toEqual(c.fires);
      expect(new Set(scheduled).size, `no instant twice for ${c.id}`).toBe(scheduled.length);
      for (const r of mine) {
        expect(r).toMatchObject({ status: 'succeeded', kind: 'scheduled', attempt: 1 });
        // Started (and finished) at the injected instant itself: the engine fired exactly on time.
        expect(r.started_at!.toISOString()).toBe(r.scheduled_for.toISOString());
        expect(r.finished_at!.toISOString()).toBe(r.scheduled_for.toISOString());
      }
    }
    const after = await jobRows(ids);
    for (const c of cases) {
      const job = after.find((j) => j.id === c.id)!;
      expect(job.state).toBe('active');
      expect(job.next_run_at!.toISOString(), `next fire of ${c.id} after the day`).toBe(c.nextAfterDay);
    }
  } finally {
    // Later scenarios move the clock months ahead: leave nothing active behind.
    for (const id of ids) await pauseJob(ctx, id).catch(() => {});
  }
}

beforeAll(async () => {
  listenersBefore = wakeListeners();
  timersBefore = activeTimers();
  tdb = await createTestDatabase('dst');
  ctx = { db: tdb.ctx.db, notify: tdb.ctx.notify, defaultTimezone: 'UTC', now: () => new Date(clock.getTime()) };
  engine = new Engine({ ctx, instanceId: 'dst-test', pollMs: 100, heartbeatMs: 1000, shutdownGraceMs: 2000, logger });
  engine.start();
});

afterAll(async () => {
  await Promise.allSettled([engine?.stop()]);
  await Promise.allSettled([tdb?.cleanup()]);
  expect(wakeListeners()).toBe(listenersBefore);
  expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
});

describe('engine across DST days (virtual clock, real MariaDB)', () => {
  // In calendar order, so the clock only ever moves forward.

  it('America/New_York spring forward 2026-03-08: 02:30 fires at 03:00 EDT, hourly 23 times', async () => {
    // Local day: 00:00 EST (UTC-5) = 05:00Z .. next 00:00 EDT (UTC-4) = 2026-03-09T04:00Z.
    // 02:00 EST = 07:00Z becomes 03:00 EDT; 02:00-02:59 does not exist.
    const hourly = hoursFrom('2026-03-08T05:00:00Z', 23);
    expect(hourly.map((t) => wallTime(t, 'America/New_York'))).toEqual([
      '00:00', '01:00', '03:00', '04:00', '05:00', '06:00', '07:00', '08:00', '09:00', '10:00', '11:00', '12:00',
      '13:00', '14:00', '15:00', '16:00', '17:00', '18:00', '19:00', '20:00', '21:00', '22:00', '23:00',
    ]);
    expect(hourly.at(-1)).toBe(iso('2026-03-09T03:00:00Z'));
    await runDay('America/New_York', '2026-03-08T04:30:00Z', '2026-03-09T04:00:00Z', [
      { id: 'ny-spring-0230', expression: '30 2 * * *', fires: [iso('2026-03-08T07:00:00Z')], nextAfterDay: iso('2026-03-09T06:30:00Z') },
      { id: 'ny-spring-hourly', expression: '0 * * * *', fires: hourly, nextAfterDay: iso('2026-03-09T04:00:00Z') },
    ]);
  });

  it('Europe/Berlin spring forward 2026-03-29: 02:30 fires at 03:00 CEST, hourly 23 times, 02:00/14:00 at 01:00Z and 12:00Z', async () => {
    // Local day: 00:00 CET (UTC+1) = 2026-03-28T23:00Z .. next 00:00 CEST (UTC+2) = 2026-03-29T22:00Z.
    // 02:00 CET = 01:00Z becomes 03:00 CEST; 02:00-02:59 does not exist.
    const hourly = hoursFrom('2026-03-28T23:00:00Z', 23);
    expect(hourly.map((t) => wallTime(t, 'Europe/Berlin'))).toEqual([
      '00:00', '01:00', '03:00', '04:00', '05:00', '06:00', '07:00', '08:00', '09:00', '10:00', '11:00', '12:00',
      '13:00', '14:00', '15:00', '16:00', '17:00', '18:00', '19:00', '20:00', '21:00', '22:00', '23:00',
    ]);
    expect(hourly.at(-1)).toBe(iso('2026-03-29T21:00:00Z'));
    await runDay('Europe/Berlin', '2026-03-28T22:30:00Z', '2026-03-29T22:00:00Z', [
      { id: 'berlin-spring-0230', expression: '30 2 * * *', fires: [iso('2026-03-29T01:00:00Z')], nextAfterDay: iso('2026-03-30T00:30:00Z') },
      { id: 'berlin-spring-hourly', expression: '0 * * * *', fires: hourly, nextAfterDay: iso('2026-03-29T22:00:00Z') },
      {
        id: 'berlin-spring-2-14',
        expression: '0 2,14 * * *',
        fires: [iso('2026-03-29T01:00:00Z'), iso('2026-03-29T12:00:00Z')],
        nextAfterDay: iso('2026-03-30T00:00:00Z'),
      },
    ]);
  });

  it('Europe/Berlin fall back 2026-10-25: 02:30 fires once at the first 02:30, hourly 25 times', async () => {
    // Local day: 00:00 CEST (UTC+2) = 2026-10-24T22:00Z .. next 00:00 CET (UTC+1) = 2026-10-25T23:00Z.
    // 03:00 CEST = 01:00Z becomes 02:00 CET: 02:xx is 00:xxZ (CEST), then again 01:xxZ (CET).
    const hourly = hoursFrom('2026-10-24T22:00:00Z', 25);
    expect(hourly.map((t) => wallTime(t, 'Europe/Berlin'))).toEqual([
      '00:00', '01:00', '02:00', '02:00', '03:00', '04:00', '05:00', '06:00', '07:00', '08:00', '09:00', '10:00', '11:00',
      '12:00', '13:00', '14:00', '15:00', '16:00', '17:00', '18:00', '19:00', '20:00', '21:00', '22:00', '23:00',
    ]);
    expect(hourly.at(-1)).toBe(iso('2026-10-25T22:00:00Z'));
    await runDay('Europe/Berlin', '2026-10-24T21:30:00Z', '2026-10-25T23:00:00Z', [
      { id: 'berlin-fall-0230', expression: '30 2 * * *', fires: [iso('2026-10-25T00:30:00Z')], nextAfterDay: iso('2026-10-26T01:30:00Z') },
      { id: 'berlin-fall-hourly', expression: '0 * * * *', fires: hourly, nextAfterDay: iso('2026-10-25T23:00:00Z') },
      {
        id: 'berlin-fall-2-14',
        expression: '0 2,14 * * *',
        fires: [iso('2026-10-25T00:00:00Z'), iso('2026-10-25T13:00:00Z')],
        nextAfterDay: iso('2026-10-26T01:00:00Z'),
      },
    ]);
  });

  it('America/New_York fall back 2026-11-01: 01:30 fires once at the first 01:30 (EDT), hourly 25 times', async () => {
    // Local day: 00:00 EDT (UTC-4) = 04:00Z .. next 00:00 EST (UTC-5) = 2026-11-02T05:00Z.
    // 02:00 EDT = 06:00Z becomes 01:00 EST: 01:xx is 05:xxZ (EDT), then again 06:xxZ (EST).
    const hourly = hoursFrom('2026-11-01T04:00:00Z', 25);
    expect(hourly.map((t) => wallTime(t, 'America/New_York'))).toEqual([
      '00:00', '01:00', '01:00', '02:00', '03:00', '04:00', '05:00', '06:00', '07:00', '08:00', '09:00', '10:00', '11:00',
      '12:00', '13:00', '14:00', '15:00', '16:00', '17:00', '18:00', '19:00', '20:00', '21:00', '22:00', '23:00',
    ]);
    expect(hourly.at(-1)).toBe(iso('2026-11-02T04:00:00Z'));
    await runDay('America/New_York', '2026-11-01T03:30:00Z', '2026-11-02T05:00:00Z', [
      { id: 'ny-fall-0130', expression: '30 1 * * *', fires: [iso('2026-11-01T05:30:00Z')], nextAfterDay: iso('2026-11-02T06:30:00Z') },
      { id: 'ny-fall-hourly', expression: '0 * * * *', fires: hourly, nextAfterDay: iso('2026-11-02T05:00:00Z') },
    ]);
    // Nothing was missed, skipped or retried on the way, and the engine never complained.
    expect(await tdb.query(`SELECT id FROM job_executions WHERE status <> 'succeeded'`)).toEqual([]);
    expect(logger.lines.filter((l) => l.level !== 'info')).toEqual([]);
  });
});
