import { describe, expect, it } from 'vitest';
import { durationSummary, emptyStatusCounts, foldDailySeries, lastUtcDays, utcDay } from './stats';

describe('UTC days', () => {
  it('counts back from the UTC day of now, whatever the hour', () => {
    expect(lastUtcDays(new Date('2026-03-01T23:59:59.999Z'), 3)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(lastUtcDays(new Date('2026-03-02T00:00:00.000Z'), 1)).toEqual(['2026-03-02']);
  });

  it('crosses a year and a leap day', () => {
    expect(lastUtcDays(new Date('2028-03-01T10:00:00Z'), 2)).toEqual(['2028-02-29', '2028-03-01']);
    expect(utcDay(new Date('2027-01-01T00:30:00+01:00'))).toBe('2026-12-31');
  });
});

describe('foldDailySeries', () => {
  it('puts timed out and interrupted with failed, queued with running', () => {
    const counts = { ...emptyStatusCounts(), succeeded: 5, failed: 1, timed_out: 2, interrupted: 3, missed: 4, skipped: 6, queued: 7, running: 8 };
    expect(foldDailySeries(counts)).toEqual({ succeeded: 5, failed: 6, missed: 4, skipped: 6, inFlight: 15 });
  });
});

describe('durationSummary', () => {
  it('gives the median (mean of the middle two for an even count) and the maximum', () => {
    expect(durationSummary([])).toBeNull();
    expect(durationSummary([{ durationMs: 30 }, { durationMs: 10 }, { durationMs: 20 }])).toEqual({ median: 20, max: 30 });
    expect(durationSummary([{ durationMs: 40 }, { durationMs: 10 }, { durationMs: 20 }, { durationMs: 25 }])).toEqual({ median: 23, max: 40 });
  });
});
