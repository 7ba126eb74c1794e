import { describe, expect, it } from 'vitest';
import { formatInZone, nextRunTime, offsetMs, relativeTime, zoneAbbreviation } from './time';

const now = new Date('2026-11-25T10:00:00.000Z');
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();

describe('relativeTime', () => {
  it('reads instants ahead and behind in the largest whole unit', () => {
    expect(relativeTime(at(5 * 60_000), now)).toBe('in 5 min.');
    expect(relativeTime(at(-3 * 3_600_000), now)).toBe('3 hr. ago');
    expect(relativeTime(at(-2400), now)).toBe('2 sec. ago');
    expect(relativeTime(at(400), now)).toBe('just now');
  });
});

describe('nextRunTime', () => {
  it('reads a next run still ahead like relativeTime', () => {
    expect(nextRunTime(at(5 * 60_000), now)).toBe('in 5 min.');
    expect(nextRunTime(at(2000), now)).toBe('in 2 sec.');
  });

  it('reads a next run within a second of now, or passed less than a minute ago, as due now (not "1 sec. ago")', () => {
    expect(nextRunTime(at(999), now)).toBe('due now');
    expect(nextRunTime(at(0), now)).toBe('due now');
    expect(nextRunTime(at(-1000), now)).toBe('due now');
    expect(nextRunTime(at(-59_999), now)).toBe('due now');
  });

  it('reads a next run passed a minute or more ago as overdue, with how long', () => {
    expect(nextRunTime(at(-60_000), now)).toBe('overdue, 1 min. ago');
    expect(nextRunTime(at(-2 * 86_400_000), now)).toBe('overdue, 2 days ago');
  });
});

describe('formatting in a zone (formatters kept per kind and zone)', () => {
  const winter = new Date('2026-01-15T12:34:56.000Z');
  const summer = new Date('2026-07-15T12:34:56.000Z');

  it('keeps each zone and each kind of format apart, however they are mixed', () => {
    for (let round = 0; round < 2; round++) {
      expect(formatInZone(winter, 'Europe/Berlin')).toBe('2026-01-15 13:34:56');
      expect(formatInZone(winter, 'Europe/Berlin', false)).toBe('2026-01-15 13:34');
      expect(formatInZone(winter, 'America/New_York')).toBe('2026-01-15 07:34:56');
      expect(formatInZone(summer.toISOString(), 'Europe/Berlin')).toBe('2026-07-15 14:34:56');
      expect(zoneAbbreviation(winter, 'UTC')).toBe('UTC');
      expect(zoneAbbreviation(summer, 'America/New_York')).toBe('EDT');
      expect(zoneAbbreviation(winter, 'America/New_York')).toBe('EST');
      expect(offsetMs(summer.getTime(), 'Europe/Berlin')).toBe(2 * 3_600_000);
      expect(offsetMs(winter.getTime(), 'Europe/Berlin')).toBe(3_600_000);
    }
  });

  it('still refuses a zone it does not know, every time', () => {
    expect(() => formatInZone(winter, 'Mars/Olympus')).toThrow(RangeError);
    expect(() => formatInZone(winter, 'Mars/Olympus')).toThrow(RangeError);
  });
});
