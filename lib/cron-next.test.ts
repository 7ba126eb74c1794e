import { describe, expect, it } from 'vitest';
import { cronCalculator, nextCronRun } from '@/lib/cron';
import { offsetMs } from '@/lib/time';

/**
 * nextCronRun takes a fixed-offset shortcut away from DST changes; croner in the zone is the
 * reference. Every expression below is asked from instants all around each change of 2026 and
 * 2027 in zones with unusual rules, and a few steps on from there.
 */
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe', // 30-minute DST
  'America/Santiago', // changes at midnight, southern hemisphere
  'America/Havana', // changes at midnight
  'Antarctica/Troll', // 2-hour DST
  'Pacific/Chatham', // +12:45 / +13:45
  'Asia/Kolkata', // +05:30, no DST
];
const EXPRESSIONS = [
  '* * * * * *',
  '*/7 * * * * *',
  '*/15 * * * *',
  '0 * * * *',
  '30 2 * * *',
  '0 30 2 * * *',
  '15 1,2,3 * * *',
  '0 0 * * *',
  '0 0 9 * * 1-5',
  '0 0 */2 * * *',
  '0 0 0 1 * *',
  '45 0 * * 0',
];
const HOUR = 3_600_000;

/** Instants at which the zone's offset changes in 2026-2027 (to the minute). */
function changes(zone: string): number[] {
  const out: number[] = [];
  for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2028, 0, 1); t += 6 * HOUR) {
    if (offsetMs(t, zone) === offsetMs(t + 6 * HOUR, zone)) continue;
    let [lo, hi] = [t, t + 6 * HOUR];
    while (hi - lo > 60_000) {
      const mid = Math.floor((lo + hi) / 2 / 60_000) * 60_000;
      if (offsetMs(mid, zone) === offsetMs(t, zone)) lo = mid;
      else hi = mid;
    }
    out.push(hi);
  }
  return out;
}

/** Instants around a change: close to it, then every 71 minutes from 28 hours before to 28 hours after (the shortcut looks a day back). */
function around(change: number): number[] {
  const near = [-HOUR, -1000, -1, 0, 1, 1000, 30 * 60_000, HOUR - 1, HOUR, 2 * HOUR + 1].map((d) => change + d);
  const spread = Array.from({ length: 48 }, (_, i) => change - 28 * HOUR + i * 71 * 60_000 + 13_000);
  return [...near, ...spread];
}

describe('nextCronRun', () => {
  it('gives what croner in the zone gives, all around the DST changes of 2026 and 2027', () => {
    let compared = 0;
    for (const zone of ZONES) {
      const instants = [...changes(zone).flatMap(around), Date.UTC(2026, 5, 15, 12, 0, 0, 500)];
      for (const expression of EXPRESSIONS) {
        const reference = cronCalculator(expression, zone);
        for (const start of instants) {
          let from = new Date(start);
          for (let step = 0; step < 2 && from; step++) {
            const expected = reference.nextRun(from);
            const got = nextCronRun(expression, zone, from);
            if (got?.getTime() !== expected?.getTime()) {
              expect({ zone, expression, from: from.toISOString(), got: got?.toISOString() }).toEqual({ zone, expression, from: from.toISOString(), got: expected?.toISOString() });
            }
            compared++;
            from = expected!;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  }, 60_000);

  it('says what croner says of a zone Intl does not know', () => {
    expect(() => nextCronRun('* * * * *', 'Mars/Olympus', new Date('2026-01-01T00:00:00Z'))).toThrow(/Mars\/Olympus/);
  });

  it('has no run for a date that never comes', () => {
    expect(nextCronRun('0 0 30 2 *', 'Europe/Berlin', new Date('2026-01-01T00:00:00Z'))).toBeNull();
  });
});
