import { describe, expect, it } from 'vitest';
import { DEFAULT_JOB_OPTIONS, type StoredJobOptions } from '../lib/types';
import { missedText, planFire } from './misfire';
import { nextFireTime, type StoredTriggerWithAnchor } from './triggers';

const at = (iso: string) => new Date(iso);
const everySecond: StoredTriggerWithAnchor = { type: 'interval', every: { seconds: 1 }, timezone: 'UTC', anchorAt: '2026-01-01T00:00:00.000Z' };

function job(nextRunAt: string, options: Partial<StoredJobOptions> = {}, trigger: StoredTriggerWithAnchor = everySecond) {
  return { nextRunAt: at(nextRunAt), trigger, options: { ...DEFAULT_JOB_OPTIONS, ...options } };
}

describe('planFire (misfire policy)', () => {
  it('runs a fire that is on time or within grace, and plans the next one', () => {
    const plan = planFire(job('2026-01-01T10:00:00Z', { misfireGraceMs: 1000 }), at('2026-01-01T10:00:00.900Z'));
    expect(plan.runAt?.toISOString()).toBe('2026-01-01T10:00:00.000Z');
    expect(plan.next?.toISOString()).toBe('2026-01-01T10:00:01.000Z');
    expect(plan.missed).toEqual([]);
  });

  it('records a single late fire as missed and does not run it', () => {
    const daily: StoredTriggerWithAnchor = { type: 'cron', expression: '0 10 * * *', timezone: 'UTC' };
    const plan = planFire(job('2026-01-01T10:00:00Z', { misfireGraceMs: 1000 }, daily), at('2026-01-01T10:00:05Z'));
    expect(plan.runAt).toBeNull();
    expect(plan.missed).toEqual([{ at: at('2026-01-01T10:00:00Z'), count: 1, until: at('2026-01-01T10:00:00Z') }]);
    expect(plan.next?.toISOString()).toBe('2026-01-02T10:00:00.000Z');
  });

  it('after an hour down, coalesces the missed fires into one row and runs the latest once when it is within grace', () => {
    const plan = planFire(job('2026-01-01T10:00:00Z', { misfireGraceMs: 2000 }), at('2026-01-01T11:00:00.500Z'));
    expect(plan.runAt?.toISOString()).toBe('2026-01-01T11:00:00.000Z');
    expect(plan.missed).toEqual([{ at: at('2026-01-01T10:00:00Z'), count: 3600, until: at('2026-01-01T10:59:59Z') }]);
    expect(plan.next?.toISOString()).toBe('2026-01-01T11:00:01.000Z');
  });

  it('runs no catch-up when even the latest due fire is beyond grace', () => {
    const hourly: StoredTriggerWithAnchor = { type: 'cron', expression: '0 * * * *', timezone: 'UTC' };
    const plan = planFire(job('2026-01-01T08:00:00Z', { misfireGraceMs: 60_000 }, hourly), at('2026-01-01T10:30:00Z'));
    expect(plan.runAt).toBeNull();
    expect(plan.missed).toEqual([{ at: at('2026-01-01T08:00:00Z'), count: 3, until: at('2026-01-01T10:00:00Z') }]);
    expect(plan.next?.toISOString()).toBe('2026-01-01T11:00:00.000Z');
  });

  it('without coalesce writes a row per missed fire, capped at 1000 with the last standing for the rest', () => {
    const few = planFire(job('2026-01-01T10:00:00Z', { misfireGraceMs: 500, coalesce: false }), at('2026-01-01T10:00:03.200Z'));
    expect(few.missed.map((m) => [m.at.toISOString(), m.count])).toEqual([
      ['2026-01-01T10:00:00.000Z', 1],
      ['2026-01-01T10:00:01.000Z', 1],
      ['2026-01-01T10:00:02.000Z', 1],
    ]);
    expect(few.runAt?.toISOString()).toBe('2026-01-01T10:00:03.000Z');

    const many = planFire(job('2026-01-01T10:00:00Z', { misfireGraceMs: 500, coalesce: false }), at('2026-01-01T11:00:00.200Z'));
    expect(many.missed).toHaveLength(1000);
    expect(many.missed[999].count).toBe(3600 - 999);
    expect(many.missed[999].until.toISOString()).toBe('2026-01-01T10:59:59.000Z');
    expect(many.runAt?.toISOString()).toBe('2026-01-01T11:00:00.000Z');
  });

  it('with coalesce, folds a backlog that is still within grace: the latest runs once, the rest is one missed row', () => {
    const plan = planFire(job('2026-01-01T10:00:00Z', { misfireGraceMs: 60_000 }), at('2026-01-01T10:00:05.200Z'));
    expect(plan.runAt?.toISOString()).toBe('2026-01-01T10:00:05.000Z');
    expect(plan.missed).toEqual([{ at: at('2026-01-01T10:00:00Z'), count: 5, until: at('2026-01-01T10:00:04Z') }]);
    expect(plan.next?.toISOString()).toBe('2026-01-01T10:00:06.000Z');
  });

  it('without coalesce, replays a backlog within grace one fire per claim', () => {
    const plan = planFire(job('2026-01-01T10:00:00Z', { misfireGraceMs: 60_000, coalesce: false }), at('2026-01-01T10:00:05.200Z'));
    expect(plan.runAt?.toISOString()).toBe('2026-01-01T10:00:00.000Z');
    expect(plan.missed).toEqual([]);
    expect(plan.next?.toISOString()).toBe('2026-01-01T10:00:01.000Z');
  });

  it('completes a trigger whose end falls inside the downtime', () => {
    const ending = { ...everySecond, endAt: '2026-01-01T10:00:10Z' };
    const plan = planFire(job('2026-01-01T10:00:00Z', { misfireGraceMs: 1000 }, ending), at('2026-01-01T12:00:00Z'));
    expect(plan.next).toBeNull();
    expect(plan.runAt).toBeNull();
    expect(plan.missed).toEqual([{ at: at('2026-01-01T10:00:00Z'), count: 10, until: at('2026-01-01T10:00:09Z') }]);
  });

  describe('a cron backlog too long to count one by one (more than 100,000 fires)', () => {
    const everySecondBerlin: StoredTriggerWithAnchor = { type: 'cron', expression: '* * * * * *', timezone: 'Europe/Berlin' };
    const twoDaysDown = '2026-03-27T12:00:00Z';
    const now = at('2026-03-29T12:00:00.500Z'); // across the change to summer time in Berlin

    it('with coalesce, still runs the latest fire within grace, and its missed row says it stands for more', () => {
      const plan = planFire(job(twoDaysDown, { misfireGraceMs: 60_000 }, everySecondBerlin), now);
      expect(plan.runAt?.toISOString()).toBe('2026-03-29T12:00:00.000Z');
      expect(plan.next?.toISOString()).toBe('2026-03-29T12:00:01.000Z');
      expect(plan.missed).toEqual([{ at: at(twoDaysDown), count: 100_000, until: at('2026-03-29T11:59:59Z'), atLeast: true }]);
      expect(missedText(plan.missed[0], now, 60_000, plan.runAt)).toBe(
        'Missed more than 100000 fires from 2026-03-27T12:00:00.000Z to 2026-03-29T11:59:59.000Z (coalesced: the fire at 2026-03-29T12:00:00.000Z ran instead; too many to count one by one).',
      );
    });

    it('with coalesce, runs nothing when even the latest fire is beyond grace, and the missed row ends at it', () => {
      const plan = planFire(job(twoDaysDown, { misfireGraceMs: 100 }, everySecondBerlin), now);
      expect(plan.runAt).toBeNull();
      expect(plan.next?.toISOString()).toBe('2026-03-29T12:00:01.000Z');
      expect(plan.missed).toEqual([{ at: at(twoDaysDown), count: 100_000, until: at('2026-03-29T12:00:00Z'), atLeast: true }]);
      expect(missedText(plan.missed[0], now, 100, null)).toContain('Missed more than 100000 fires');
    });

    it('without coalesce, the last missed row reaches the fires within grace, and the first of those runs', () => {
      const plan = planFire(job(twoDaysDown, { misfireGraceMs: 2000, coalesce: false }, everySecondBerlin), now);
      expect(plan.missed).toHaveLength(1000);
      expect(plan.missed[998]).toEqual({ at: at('2026-03-27T12:16:38Z'), count: 1, until: at('2026-03-27T12:16:38Z') });
      expect(plan.missed[999]).toEqual({ at: at('2026-03-27T12:16:39Z'), count: 100_000 - 999, until: at('2026-03-29T11:59:58Z'), atLeast: true });
      expect(plan.runAt?.toISOString()).toBe('2026-03-29T11:59:59.000Z');
      expect(plan.next?.toISOString()).toBe('2026-03-29T12:00:00.000Z');
    });

    it('finds the latest fires of a pattern with gaps too (the first ten seconds of each minute)', () => {
      const bursts: StoredTriggerWithAnchor = { type: 'cron', expression: '0-9 * * * * *', timezone: 'Europe/Berlin' };
      // 14,400 fires a day: 100,000 are counted after about a week. 21 s after the last burst's end.
      const plan = planFire(job('2026-03-01T00:00:00Z', { misfireGraceMs: 60_000 }, bursts), at('2026-03-29T12:30:30Z'));
      expect(plan.runAt?.toISOString()).toBe('2026-03-29T12:30:09.000Z');
      expect(plan.missed).toEqual([{ at: at('2026-03-01T00:00:00Z'), count: 100_000, until: at('2026-03-29T12:30:08Z'), atLeast: true }]);
      expect(plan.next?.toISOString()).toBe('2026-03-29T12:31:00.000Z');
    });

    it('counts exactly when the one fire past the count is the one that runs (100,001 due)', () => {
      const utc: StoredTriggerWithAnchor = { type: 'cron', expression: '* * * * * *', timezone: 'UTC' };
      const plan = planFire(job('2026-01-01T00:00:00Z', { misfireGraceMs: 60_000 }, utc), at('2026-01-02T03:46:40Z'));
      expect(plan.runAt?.toISOString()).toBe('2026-01-02T03:46:40.000Z');
      expect(plan.missed).toEqual([{ at: at('2026-01-01T00:00:00Z'), count: 100_000, until: at('2026-01-02T03:46:39Z') }]);
      expect(plan.next?.toISOString()).toBe('2026-01-02T03:46:41.000Z');
    });

    it('finds the last fire before a long gap (every second of the first two days of each month)', () => {
      const twoDays: StoredTriggerWithAnchor = { type: 'cron', expression: '* * * 1-2 * *', timezone: 'Europe/Berlin' };
      const plan = planFire(job('2026-02-28T23:00:00Z', { misfireGraceMs: 60_000 }, twoDays), at('2026-03-20T12:00:00Z'));
      expect(plan.runAt).toBeNull();
      // The 2nd of March ends at 23:00 UTC in Berlin (CET); the 1st of April starts at 22:00 UTC (CEST).
      expect(plan.missed).toEqual([{ at: at('2026-02-28T23:00:00Z'), count: 100_000, until: at('2026-03-02T22:59:59Z'), atLeast: true }]);
      expect(plan.next?.toISOString()).toBe('2026-03-31T22:00:00.000Z');
    });
  });

  it('counts an interval backlog by arithmetic exactly as stepping through it does, ends and starts included', () => {
    /** The backlog as stepping fire by fire finds it. */
    function stepped(trigger: StoredTriggerWithAnchor, dueAt: Date, now: Date) {
      let [latest, previous, count] = [dueAt, dueAt, 1];
      let next = nextFireTime(trigger, dueAt);
      while (next && next <= now) [previous, latest, count, next] = [latest, next, count + 1, nextFireTime(trigger, next)];
      return { latest, previous, count, next };
    }
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const periods = [{ seconds: 1 }, { seconds: 7 }, { minutes: 1 }, { minutes: 90 }, { days: 1 }, { weeks: 1 }];
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 300; i++) {
      const every = periods[i % periods.length];
      const period = (every.seconds ?? 0) * 1000 + (every.minutes ?? 0) * 60_000 + (every.days ?? 0) * 86_400_000 + (every.weeks ?? 0) * 604_800_000;
      const anchor = base + Math.floor(random() * 10 * period);
      const trigger: StoredTriggerWithAnchor = { type: 'interval', every, timezone: 'UTC', anchorAt: new Date(anchor).toISOString() };
      const dueAt = nextFireTime(trigger, new Date(anchor + Math.floor(random() * 5 * period)))!;
      const now = new Date(dueAt.getTime() + Math.floor(random() * 3000 * period));
      if (i % 3 === 1) trigger.endAt = new Date(dueAt.getTime() + Math.floor(random() * 4000 * period)).toISOString();
      if (i % 5 === 2) trigger.startAt = new Date(anchor - period / 2).toISOString();
      const want = stepped(trigger, dueAt, now);
      const grace = Math.floor(random() * 2 * period);
      const plan = planFire({ nextRunAt: dueAt, trigger, options: { ...DEFAULT_JOB_OPTIONS, misfireGraceMs: grace } }, now);
      const case_ = JSON.stringify({ trigger, dueAt, now, grace });
      expect(plan.next?.toISOString(), case_).toBe(want.next?.toISOString());
      if (want.count === 1) continue;
      const runs = now.getTime() - want.latest.getTime() <= grace;
      expect(plan.runAt?.toISOString(), case_).toBe(runs ? want.latest.toISOString() : undefined);
      expect(plan.missed, case_).toEqual([{ at: dueAt, count: runs ? want.count - 1 : want.count, until: runs ? want.previous : want.latest }]);
    }
  });
});
