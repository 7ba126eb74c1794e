import { describe, expect, it } from 'vitest';
import { describeTrigger, nextFireTime, resolveTrigger, upcomingFires } from '@/scheduler/triggers';
import { at, cron, date, interval, isos, next } from './test-helpers';

/*
 * Pure trigger math at fixed instants (never the wall clock). Expected instants are worked out
 * by hand from each zone's offsets:
 *   Europe/Berlin       CET +01:00, CEST +02:00; 2026-03-29 02:00->03:00 (01:00Z), 2026-10-25 03:00->02:00 (01:00Z)
 *   America/New_York    EST -05:00, EDT -04:00;  2026-03-08 02:00->03:00 (07:00Z), 2026-11-01 02:00->01:00 (06:00Z)
 *   Australia/Lord_Howe +10:30 / +11:00;         2026-10-04 02:00->02:30 (10-03T15:30Z), 2026-04-05 02:00->01:30 (04-04T15:00Z)
 *   Australia/Sydney    AEST +10:00, AEDT +11:00; 2026-10-04 02:00->03:00 (10-03T16:00Z), 2026-04-05 03:00->02:00 (04-04T16:00Z)
 *   Asia/Kolkata        +05:30, no DST
 */

describe('resolveTrigger', () => {
  const now = at('2026-01-01T12:00:00Z');

  it('fills in the default zone and normalises the cron expression', () => {
    expect(resolveTrigger({ type: 'cron', expression: '  0   3 * * * ' }, 'Europe/Berlin', now)).toEqual({
      type: 'cron',
      expression: '0 3 * * *',
      timezone: 'Europe/Berlin',
    });
  });

  it('keeps an explicit zone and drops null window fields', () => {
    expect(
      resolveTrigger(
        { type: 'cron', expression: '0 3 * * *', timezone: 'Asia/Kolkata', startAt: null, endAt: null, jitterMs: null },
        'UTC',
        now,
      ),
    ).toEqual({ type: 'cron', expression: '0 3 * * *', timezone: 'Asia/Kolkata' });
  });

  it('anchors an interval without a start at `now`', () => {
    expect(resolveTrigger({ type: 'interval', every: { minutes: 5 } }, 'UTC', now)).toEqual({
      type: 'interval',
      every: { minutes: 5 },
      timezone: 'UTC',
      anchorAt: '2026-01-01T12:00:00.000Z',
    });
  });

  it('does not anchor an interval that has a start, nor cron and date triggers', () => {
    const withStart = resolveTrigger(
      { type: 'interval', every: { minutes: 5 }, startAt: '2026-02-01T00:00:00Z' },
      'UTC',
      now,
    );
    expect(withStart.anchorAt).toBeUndefined();
    expect(withStart.startAt).toBe('2026-02-01T00:00:00Z');
    expect(resolveTrigger({ type: 'date', runAt: '2026-02-01T00:00:00Z' }, 'UTC', now).anchorAt).toBeUndefined();
    expect(resolveTrigger({ type: 'cron', expression: '* * * * *' }, 'UTC', now).anchorAt).toBeUndefined();
  });
});

describe('cron triggers', () => {
  it('fires strictly after `after`', () => {
    const t = cron('0 * * * *');
    expect(next(t, '2026-01-15T10:00:00Z')).toBe('2026-01-15T11:00:00.000Z');
    expect(next(t, '2026-01-15T09:59:59.999Z')).toBe('2026-01-15T10:00:00.000Z');
    expect(next(t, '2026-01-15T10:00:00.001Z')).toBe('2026-01-15T11:00:00.000Z');
  });

  it('handles 5 and 6 fields', () => {
    expect(isos(upcomingFires(cron('*/20 * * * *'), 3, at('2026-01-15T10:00:00Z')))).toEqual([
      '2026-01-15T10:20:00.000Z',
      '2026-01-15T10:40:00.000Z',
      '2026-01-15T11:00:00.000Z',
    ]);
    expect(isos(upcomingFires(cron('15,45 * * * * *'), 3, at('2026-01-15T10:00:00Z')))).toEqual([
      '2026-01-15T10:00:15.000Z',
      '2026-01-15T10:00:45.000Z',
      '2026-01-15T10:01:15.000Z',
    ]);
  });

  describe('time zones', () => {
    it('Europe/Berlin: CET in winter, CEST in summer', () => {
      expect(next(cron('0 9 * * *', 'Europe/Berlin'), '2026-01-15T00:00:00Z')).toBe('2026-01-15T08:00:00.000Z');
      expect(next(cron('0 9 * * *', 'Europe/Berlin'), '2026-07-15T00:00:00Z')).toBe('2026-07-15T07:00:00.000Z');
    });

    it('America/New_York: EST in winter, EDT in summer', () => {
      expect(next(cron('0 9 * * *', 'America/New_York'), '2026-01-15T00:00:00Z')).toBe('2026-01-15T14:00:00.000Z');
      expect(next(cron('0 9 * * *', 'America/New_York'), '2026-07-15T00:00:00Z')).toBe('2026-07-15T13:00:00.000Z');
    });

    it('Asia/Kolkata: +05:30 all year, local day differs from the UTC day', () => {
      expect(next(cron('0 9 * * *', 'Asia/Kolkata'), '2026-01-15T00:00:00Z')).toBe('2026-01-15T03:30:00.000Z');
      expect(next(cron('0 9 * * *', 'Asia/Kolkata'), '2026-07-15T00:00:00Z')).toBe('2026-07-15T03:30:00.000Z');
      // 02:00 IST on the 16th is 20:30Z on the 15th.
      expect(next(cron('0 2 * * *', 'Asia/Kolkata'), '2026-01-15T00:00:00Z')).toBe('2026-01-15T20:30:00.000Z');
    });

    it('Australia/Sydney: southern hemisphere, AEDT in January, AEST in July', () => {
      expect(next(cron('0 9 * * *', 'Australia/Sydney'), '2026-01-15T00:00:00Z')).toBe('2026-01-15T22:00:00.000Z');
      expect(next(cron('0 9 * * *', 'Australia/Sydney'), '2026-07-15T00:00:00Z')).toBe('2026-07-15T23:00:00.000Z');
    });

    it('Australia/Lord_Howe: +11:00 in January, +10:30 in July', () => {
      expect(next(cron('0 9 * * *', 'Australia/Lord_Howe'), '2026-01-15T00:00:00Z')).toBe('2026-01-15T22:00:00.000Z');
      expect(next(cron('0 9 * * *', 'Australia/Lord_Howe'), '2026-07-15T00:00:00Z')).toBe('2026-07-15T22:30:00.000Z');
    });

    it('evaluates day-of-week in the job zone, not in UTC', () => {
      // Monday 00:30 in Kolkata is Sunday 19:00Z.
      expect(next(cron('30 0 * * 1', 'Asia/Kolkata'), '2026-03-01T00:00:00Z')).toBe('2026-03-01T19:00:00.000Z');
    });
  });

  it('day-of-week 0 and 7 are both Sunday', () => {
    const from = at('2026-03-01T00:00:00Z'); // a Sunday
    const expected = ['2026-03-08T00:00:00.000Z', '2026-03-15T00:00:00.000Z', '2026-03-22T00:00:00.000Z'];
    expect(isos(upcomingFires(cron('0 0 * * 0'), 3, from))).toEqual(expected);
    expect(isos(upcomingFires(cron('0 0 * * 7'), 3, from))).toEqual(expected);
  });

  it('day-of-month OR day-of-week when both are restricted: "0 0 13 * 5"', () => {
    // April 2026: Fridays 3, 10, 17, 24 (and May 1); the 13th is a Monday.
    expect(isos(upcomingFires(cron('0 0 13 * 5'), 6, at('2026-04-01T00:00:00Z')))).toEqual([
      '2026-04-03T00:00:00.000Z',
      '2026-04-10T00:00:00.000Z',
      '2026-04-13T00:00:00.000Z',
      '2026-04-17T00:00:00.000Z',
      '2026-04-24T00:00:00.000Z',
      '2026-05-01T00:00:00.000Z',
    ]);
    // Only one of them restricted: that one alone.
    expect(isos(upcomingFires(cron('0 0 13 * *'), 2, at('2026-04-01T00:00:00Z')))).toEqual([
      '2026-04-13T00:00:00.000Z',
      '2026-05-13T00:00:00.000Z',
    ]);
  });

  it('accepts Quartz-style "5/15"', () => {
    expect(isos(upcomingFires(cron('5/15 * * * *'), 4, at('2026-01-15T10:00:00Z')))).toEqual([
      '2026-01-15T10:05:00.000Z',
      '2026-01-15T10:20:00.000Z',
      '2026-01-15T10:35:00.000Z',
      '2026-01-15T10:50:00.000Z',
    ]);
  });

  it('supports L, W and # in the job zone', () => {
    // Last day of February 2026 at 09:00 Berlin (CET) = 08:00Z.
    expect(next(cron('0 9 L * *', 'Europe/Berlin'), '2026-02-01T00:00:00Z')).toBe('2026-02-28T08:00:00.000Z');
    // Weekday nearest the 15th of March 2026 (a Sunday) -> Monday 16th, 09:00 EDT = 13:00Z.
    expect(next(cron('0 9 15W * *', 'America/New_York'), '2026-03-01T00:00:00Z')).toBe('2026-03-16T13:00:00.000Z');
    // Second Friday of February 2026 (the 13th), 09:00 IST = 03:30Z.
    expect(next(cron('0 9 * * 5#2', 'Asia/Kolkata'), '2026-02-01T00:00:00Z')).toBe('2026-02-13T03:30:00.000Z');
  });

  it('throws on an expression croner rejects (7 fields)', () => {
    expect(() => nextFireTime(cron('0 0 0 * * * 2027'), at('2026-01-01T00:00:00Z'))).toThrow();
  });
});

describe('interval triggers', () => {
  const every90 = { hours: 1, minutes: 30 };

  it('first fire is one period after the anchor', () => {
    const t = interval(every90, { anchorAt: '2026-01-01T00:00:00.000Z' });
    expect(next(t, '2026-01-01T00:00:00Z')).toBe('2026-01-01T01:30:00.000Z');
    // Asked from before the anchor: still one period after it.
    expect(next(t, '2025-12-31T00:00:00Z')).toBe('2026-01-01T01:30:00.000Z');
  });

  it('resolveTrigger + nextFireTime: a new interval first fires one period after creation', () => {
    const now = at('2026-05-05T10:00:00Z');
    const t = resolveTrigger({ type: 'interval', every: { minutes: 10 } }, 'UTC', now);
    expect(isos(upcomingFires(t, 3, now))).toEqual([
      '2026-05-05T10:10:00.000Z',
      '2026-05-05T10:20:00.000Z',
      '2026-05-05T10:30:00.000Z',
    ]);
  });

  it('fires strictly after `after`, aligned to the anchor', () => {
    const t = interval(every90, { anchorAt: '2026-01-01T00:00:00.000Z' });
    expect(next(t, '2026-01-01T01:29:59.999Z')).toBe('2026-01-01T01:30:00.000Z');
    expect(next(t, '2026-01-01T01:30:00.000Z')).toBe('2026-01-01T03:00:00.000Z');
    expect(next(t, '2026-01-01T01:30:00.001Z')).toBe('2026-01-01T03:00:00.000Z');
    expect(isos(upcomingFires(t, 3, at('2026-01-01T00:00:00Z')))).toEqual([
      '2026-01-01T01:30:00.000Z',
      '2026-01-01T03:00:00.000Z',
      '2026-01-01T04:30:00.000Z',
    ]);
  });

  it('with startAt, first fire is at the start', () => {
    const t = interval({ minutes: 15 }, { startAt: '2026-06-01T08:00:00Z' });
    expect(next(t, '2026-05-01T00:00:00Z')).toBe('2026-06-01T08:00:00.000Z');
    expect(next(t, '2026-06-01T07:59:59.999Z')).toBe('2026-06-01T08:00:00.000Z');
    expect(next(t, '2026-06-01T08:00:00Z')).toBe('2026-06-01T08:15:00.000Z');
    expect(next(t, '2026-06-01T08:20:00Z')).toBe('2026-06-01T08:30:00.000Z');
  });

  it('endAt is exclusive and upcomingFires stops there', () => {
    const t = interval({ hours: 1 }, { startAt: '2026-06-01T00:00:00Z', endAt: '2026-06-01T03:00:00Z' });
    expect(isos(upcomingFires(t, 10, at('2026-05-31T00:00:00Z')))).toEqual([
      '2026-06-01T00:00:00.000Z',
      '2026-06-01T01:00:00.000Z',
      '2026-06-01T02:00:00.000Z',
    ]);
    expect(next(t, '2026-06-01T02:00:00Z')).toBeNull();
    expect(next(t, '2027-01-01T00:00:00Z')).toBeNull();
  });

  it('endAt on an anchored interval', () => {
    const t = interval({ minutes: 30 }, { anchorAt: '2026-06-01T00:00:00.000Z', endAt: '2026-06-01T01:30:00Z' });
    expect(isos(upcomingFires(t, 10, at('2026-06-01T00:00:00Z')))).toEqual([
      '2026-06-01T00:30:00.000Z',
      '2026-06-01T01:00:00.000Z',
    ]);
  });

  it('after a large gap, gives the next aligned fire (no catch-up list)', () => {
    const daily = interval({ days: 1 }, { anchorAt: '2026-01-01T06:00:00.000Z' });
    expect(next(daily, '2031-05-20T12:00:00Z')).toBe('2031-05-21T06:00:00.000Z');
    // Every 2 weeks from Monday 2026-01-05: +52 weeks = 2027-01-04 is the first fire after 2027-01-01.
    const fortnightly = interval({ weeks: 2 }, { startAt: '2026-01-05T00:00:00Z' });
    expect(next(fortnightly, '2027-01-01T00:00:00Z')).toBe('2027-01-04T00:00:00.000Z');
    expect(next(fortnightly, '2026-12-21T00:00:00Z')).toBe('2027-01-04T00:00:00.000Z');
  });

  it('seconds intervals', () => {
    const t = interval({ seconds: 45 }, { startAt: '2026-01-01T00:00:00Z' });
    expect(isos(upcomingFires(t, 3, at('2026-01-01T00:00:00Z')))).toEqual([
      '2026-01-01T00:00:45.000Z',
      '2026-01-01T00:01:30.000Z',
      '2026-01-01T00:02:15.000Z',
    ]);
  });

  it('counts elapsed time: "every 1 day" across Berlin spring forward keeps 24 h, not the wall time', () => {
    // Pins current behaviour (DESIGN.md does not say): 12:00 CET + 24 h = 13:00 CEST.
    const t = interval({ days: 1 }, { startAt: '2026-03-28T11:00:00Z', timezone: 'Europe/Berlin' });
    expect(isos(upcomingFires(t, 2, at('2026-03-28T00:00:00Z')))).toEqual([
      '2026-03-28T11:00:00.000Z',
      '2026-03-29T11:00:00.000Z',
    ]);
  });
});

describe('date triggers', () => {
  const runAt = '2026-11-24T09:30:00Z';

  it('fires once, then null', () => {
    const t = date(runAt);
    expect(next(t, '2026-11-01T00:00:00Z')).toBe('2026-11-24T09:30:00.000Z');
    expect(next(t, '2026-11-24T09:29:59.999Z')).toBe('2026-11-24T09:30:00.000Z');
    expect(next(t, '2026-11-24T09:30:00Z')).toBeNull();
    expect(next(t, '2027-01-01T00:00:00Z')).toBeNull();
    expect(isos(upcomingFires(t, 5, at('2026-11-01T00:00:00Z')))).toEqual(['2026-11-24T09:30:00.000Z']);
  });

  it('accepts offsets other than Z', () => {
    expect(next(date('2026-11-24T15:00:00+05:30'), '2026-11-01T00:00:00Z')).toBe('2026-11-24T09:30:00.000Z');
  });

  it('respects the start (inclusive) and end (exclusive) window', () => {
    const from = '2026-11-01T00:00:00Z';
    expect(next(date(runAt, { startAt: runAt }), from)).toBe('2026-11-24T09:30:00.000Z');
    expect(next(date(runAt, { startAt: '2026-11-24T09:30:01Z' }), from)).toBeNull();
    expect(next(date(runAt, { endAt: '2026-11-24T09:30:00.001Z' }), from)).toBe('2026-11-24T09:30:00.000Z');
    expect(next(date(runAt, { endAt: runAt }), from)).toBeNull();
  });
});

describe('cron start and end windows', () => {
  it('start is inclusive (a fire exactly at the start counts)', () => {
    const t = cron('0 10 * * *', 'UTC', { startAt: '2026-05-01T10:00:00Z' });
    expect(next(t, '2026-04-01T00:00:00Z')).toBe('2026-05-01T10:00:00.000Z');
  });

  it('no fire before the start, even a millisecond before', () => {
    expect(next(cron('0 10 * * *', 'UTC', { startAt: '2026-05-01T10:00:00.001Z' }), '2026-04-01T00:00:00Z')).toBe(
      '2026-05-02T10:00:00.000Z',
    );
    // Sub-second start with a seconds expression: the next whole second.
    expect(next(cron('* * * * * *', 'UTC', { startAt: '2026-05-01T10:00:00.500Z' }), '2026-04-01T00:00:00Z')).toBe(
      '2026-05-01T10:00:01.000Z',
    );
  });

  it('start in the past does not hold back later fires', () => {
    const t = cron('0 10 * * *', 'UTC', { startAt: '2026-01-01T00:00:00Z' });
    expect(next(t, '2026-05-01T12:00:00Z')).toBe('2026-05-02T10:00:00.000Z');
  });

  it('end is exclusive and upcomingFires stops at the end', () => {
    const t = cron('0 10 * * *', 'Europe/Berlin', { startAt: '2026-05-01T00:00:00Z', endAt: '2026-05-04T08:00:00Z' });
    // 10:00 CEST = 08:00Z; the fire at exactly the end is excluded.
    expect(isos(upcomingFires(t, 10, at('2026-04-01T00:00:00Z')))).toEqual([
      '2026-05-01T08:00:00.000Z',
      '2026-05-02T08:00:00.000Z',
      '2026-05-03T08:00:00.000Z',
    ]);
    expect(next(t, '2026-05-03T08:00:00Z')).toBeNull();
  });

  it('a cron that can never match has no next fire', () => {
    expect(next(cron('0 0 30 2 *'), '2026-01-01T00:00:00Z')).toBeNull();
  });
});

describe('upcomingFires', () => {
  it('returns exactly `count` fires, each strictly after the previous one', () => {
    const runs = upcomingFires(cron('*/5 * * * *'), 12, at('2026-01-01T00:00:00Z'));
    expect(runs).toHaveLength(12);
    expect(runs[0]!.toISOString()).toBe('2026-01-01T00:05:00.000Z');
    expect(runs[11]!.toISOString()).toBe('2026-01-01T01:00:00.000Z');
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.getTime()).toBeGreaterThan(runs[i - 1]!.getTime());
  });

  it('returns nothing for count 0', () => {
    expect(upcomingFires(cron('* * * * *'), 0, at('2026-01-01T00:00:00Z'))).toEqual([]);
  });
});

describe('describeTrigger', () => {
  it('cron: in words with the zone', () => {
    expect(describeTrigger(cron('30 2 * * *', 'Europe/Berlin'))).toBe('At 02:30 (Europe/Berlin)');
    expect(describeTrigger(cron('*/5 * * * *'))).toBe('Every 5 minutes (UTC)');
    expect(describeTrigger(cron('*/10 * * * * *', 'Asia/Kolkata'))).toBe('Every 10 seconds (Asia/Kolkata)');
    expect(describeTrigger(cron('0 0 13 * 5', 'America/New_York'))).toBe(
      'At 00:00, on day 13 of the month, and on Friday (America/New_York)',
    );
  });

  it('cron: falls back to the expression when it has no words for it', () => {
    expect(describeTrigger(cron('0 0 13 * +5'))).toBe('0 0 13 * +5 (UTC)');
  });

  it('interval: "Every 1 hour 30 minutes", plural units, zero units left out', () => {
    expect(describeTrigger(interval({ hours: 1, minutes: 30 }))).toBe('Every 1 hour 30 minutes');
    expect(describeTrigger(interval({ weeks: 2, days: 1, hours: 0, seconds: 1 }))).toBe('Every 2 weeks 1 day 1 second');
    expect(describeTrigger(interval({ seconds: 45 }))).toBe('Every 45 seconds');
  });

  it('date: once, at the local time in the trigger zone', () => {
    expect(describeTrigger(date('2026-11-24T09:30:00Z', { timezone: 'Europe/Berlin' }))).toBe(
      'Once at 2026-11-24 10:30:00 GMT+1',
    );
    expect(describeTrigger(date('2026-07-24T09:30:00Z', { timezone: 'America/New_York' }))).toBe(
      'Once at 2026-07-24 05:30:00 EDT',
    );
    expect(describeTrigger(date('2026-07-24T09:30:00Z', { timezone: 'Asia/Kolkata' }))).toBe(
      'Once at 2026-07-24 15:00:00 GMT+5:30',
    );
    expect(describeTrigger(date('2026-07-24T09:30:00Z'))).toBe('Once at 2026-07-24 09:30:00 UTC');
  });
});
