import { describe, expect, it } from 'vitest';
import { CRON_OPTIONS, cronCalculator, cronSyntaxError, describeCron, normalizeCronSteps } from '@/lib/cron';

/** The next `n` runs strictly after `from`, as ISO strings. */
function runs(expr: string, tz: string, from: string, n: number): string[] {
  return cronCalculator(expr, tz)
    .nextRuns(n, new Date(from))
    .map((d) => d.toISOString());
}

describe('CRON_OPTIONS', () => {
  it('pins the croner options that give DESIGN.md cron meaning', () => {
    expect(CRON_OPTIONS).toEqual({
      mode: '5-or-6-parts',
      sloppyRanges: true,
      fixedTimeRule: 'no-wildcard',
      domAndDow: false,
    });
  });
});

describe('cronCalculator', () => {
  it('reads 5 fields as minute hour day month weekday', () => {
    expect(runs('*/15 * * * *', 'UTC', '2026-01-15T10:07:00Z', 3)).toEqual([
      '2026-01-15T10:15:00.000Z',
      '2026-01-15T10:30:00.000Z',
      '2026-01-15T10:45:00.000Z',
    ]);
  });

  it('reads 6 fields with seconds first', () => {
    expect(runs('30 0 12 * * *', 'UTC', '2026-01-15T00:00:00Z', 2)).toEqual([
      '2026-01-15T12:00:30.000Z',
      '2026-01-16T12:00:30.000Z',
    ]);
    expect(runs('*/10 * * * * *', 'UTC', '2026-01-15T10:00:05Z', 3)).toEqual([
      '2026-01-15T10:00:10.000Z',
      '2026-01-15T10:00:20.000Z',
      '2026-01-15T10:00:30.000Z',
    ]);
  });

  it('trims the expression', () => {
    expect(runs('  0 12 * * *  ', 'UTC', '2026-01-15T00:00:00Z', 1)).toEqual(['2026-01-15T12:00:00.000Z']);
  });

  it('rejects 7 fields (no year field)', () => {
    expect(() => cronCalculator('0 0 0 * * * 2027', 'UTC')).toThrow(/5 or 6 parts/);
  });

  it('throws on an unknown time zone only when used (hence the schema checks zones itself)', () => {
    const c = cronCalculator('* * * * *', 'Mars/Olympus');
    expect(() => c.nextRun(new Date('2026-01-01T00:00:00Z'))).toThrow();
  });

  it('lets extra options override, e.g. domAndDow for AND', () => {
    const fridayThe13th = cronCalculator('0 0 13 * 5', 'UTC', { domAndDow: true })
      .nextRuns(3, new Date('2026-01-01T00:00:00Z'))
      .map((d) => d.toISOString());
    expect(fridayThe13th).toEqual(['2026-02-13T00:00:00.000Z', '2026-03-13T00:00:00.000Z', '2026-11-13T00:00:00.000Z']);
  });

  it('treats day-of-week 0, 7 and SUN alike (Sunday)', () => {
    // 2026-03-01 is a Sunday; the search is strictly after it.
    const expected = ['2026-03-08T00:00:00.000Z', '2026-03-15T00:00:00.000Z'];
    expect(runs('0 0 * * 0', 'UTC', '2026-03-01T00:00:00Z', 2)).toEqual(expected);
    expect(runs('0 0 * * 7', 'UTC', '2026-03-01T00:00:00Z', 2)).toEqual(expected);
    expect(runs('0 0 * * SUN', 'UTC', '2026-03-01T00:00:00Z', 2)).toEqual(expected);
    // 7 inside a range is Sunday too: Saturday and Sunday.
    expect(runs('0 0 * * 6-7', 'UTC', '2026-03-01T00:00:00Z', 3)).toEqual([
      '2026-03-07T00:00:00.000Z',
      '2026-03-08T00:00:00.000Z',
      '2026-03-14T00:00:00.000Z',
    ]);
  });

  it('fires on day-of-month OR day-of-week when both are restricted', () => {
    // April 2026: Fridays 3, 10, 17, 24 and May 1; the 13th is a Monday.
    expect(runs('0 0 13 * 5', 'UTC', '2026-04-01T00:00:00Z', 6)).toEqual([
      '2026-04-03T00:00:00.000Z',
      '2026-04-10T00:00:00.000Z',
      '2026-04-13T00:00:00.000Z',
      '2026-04-17T00:00:00.000Z',
      '2026-04-24T00:00:00.000Z',
      '2026-05-01T00:00:00.000Z',
    ]);
  });

  it('accepts Quartz-style a/n (from a, every n)', () => {
    expect(runs('5/15 * * * *', 'UTC', '2026-01-15T10:00:00Z', 5)).toEqual([
      '2026-01-15T10:05:00.000Z',
      '2026-01-15T10:20:00.000Z',
      '2026-01-15T10:35:00.000Z',
      '2026-01-15T10:50:00.000Z',
      '2026-01-15T11:05:00.000Z',
    ]);
    expect(runs('0 3/8 * * *', 'UTC', '2026-01-15T00:00:00Z', 4)).toEqual([
      '2026-01-15T03:00:00.000Z',
      '2026-01-15T11:00:00.000Z',
      '2026-01-15T19:00:00.000Z',
      '2026-01-16T03:00:00.000Z',
    ]);
  });

  it('supports L (last day of month, last weekday of a kind)', () => {
    expect(runs('0 0 L * *', 'UTC', '2026-02-01T00:00:00Z', 3)).toEqual([
      '2026-02-28T00:00:00.000Z',
      '2026-03-31T00:00:00.000Z',
      '2026-04-30T00:00:00.000Z',
    ]);
    expect(runs('0 0 L * *', 'UTC', '2028-02-01T00:00:00Z', 1)).toEqual(['2028-02-29T00:00:00.000Z']);
    // Last Friday of the month.
    expect(runs('0 0 * * 5L', 'UTC', '2026-02-01T00:00:00Z', 3)).toEqual([
      '2026-02-27T00:00:00.000Z',
      '2026-03-27T00:00:00.000Z',
      '2026-04-24T00:00:00.000Z',
    ]);
    // Last weekday (Mon-Fri) of the month: 2026-05-31 is a Sunday.
    expect(runs('0 0 LW * *', 'UTC', '2026-05-01T00:00:00Z', 2)).toEqual([
      '2026-05-29T00:00:00.000Z',
      '2026-06-30T00:00:00.000Z',
    ]);
  });

  it('supports W (nearest weekday)', () => {
    // 2026-02-15 and 2026-03-15 are Sundays (-> Monday 16th); 2026-04-15 is a Wednesday.
    expect(runs('0 0 15W * *', 'UTC', '2026-02-01T00:00:00Z', 3)).toEqual([
      '2026-02-16T00:00:00.000Z',
      '2026-03-16T00:00:00.000Z',
      '2026-04-15T00:00:00.000Z',
    ]);
    // 2026-08-01 is a Saturday: 1W does not leave the month, so Monday the 3rd.
    expect(runs('0 0 1W * *', 'UTC', '2026-07-15T00:00:00Z', 2)).toEqual([
      '2026-08-03T00:00:00.000Z',
      '2026-09-01T00:00:00.000Z',
    ]);
  });

  it('supports # (nth weekday of the month)', () => {
    expect(runs('0 0 * * 5#2', 'UTC', '2026-02-01T00:00:00Z', 3)).toEqual([
      '2026-02-13T00:00:00.000Z',
      '2026-03-13T00:00:00.000Z',
      '2026-04-10T00:00:00.000Z',
    ]);
    expect(runs('0 0 * * MON#1', 'UTC', '2026-05-01T00:00:00Z', 2)).toEqual([
      '2026-05-04T00:00:00.000Z',
      '2026-06-01T00:00:00.000Z',
    ]);
  });
});

describe('cronSyntaxError', () => {
  it.each([
    '* * * * *',
    '*/5 * * * *',
    '0 0 * * * *',
    '*/10 * * * * *',
    '5/15 * * * *',
    '0 0 13 * 5',
    '0 0 * * 7',
    '0 0 * * MON-FRI',
    '0 0 1 JAN *',
    '0 0 L * *',
    '0 0 LW * *',
    '0 0 15W * *',
    '0 0 * * 5#2',
    '0 0 * * 5L',
    '  0   3 * * *  ',
  ])('accepts %j', (expr) => {
    expect(cronSyntaxError(expr)).toBeNull();
  });

  it('asks for an expression when empty', () => {
    expect(cronSyntaxError('')).toBe('Enter a cron expression, e.g. "*/5 * * * *" (every 5 minutes).');
    expect(cronSyntaxError('   ')).toBe('Enter a cron expression, e.g. "*/5 * * * *" (every 5 minutes).');
  });

  it('counts the fields when there are not 5 or 6', () => {
    expect(cronSyntaxError('* * *')).toBe(
      'A cron expression has 5 fields (minute hour day month weekday) or 6 (seconds first); this one has 3.',
    );
    expect(cronSyntaxError('0 0 0 * * * 2027')).toBe(
      'A cron expression has 5 fields (minute hour day month weekday) or 6 (seconds first); this one has 7.',
    );
    // Nicknames are not part of DESIGN.md's cron: one field.
    expect(cronSyntaxError('@daily')).toMatch(/this one has 1\.$/);
  });

  it.each<[string, RegExp]>([
    ['61 * * * *', /^Invalid cron expression: .*minute.*61/],
    ['60 * * * * *', /^Invalid cron expression: .*second.*60/],
    ['0 25 * * *', /^Invalid cron expression: .*hour.*25/],
    ['0 0 * * 8', /^Invalid cron expression: .*dayOfWeek.*8/],
    ['*/0 * * * *', /^Invalid cron expression: .*illegal stepping: 0/],
    ['5-1 * * * *', /^Invalid cron expression: .*5-1/],
    ['a b c d e', /^Invalid cron expression: .*\(a\) contains illegal characters/],
    ['L * * * *', /^Invalid cron expression: .*\(L\) contains illegal characters/],
    ['0 0 1-15W * *', /^Invalid cron expression: .*W is not allowed in a range/],
    ['0 0 * * 5#6', /^Invalid cron expression: .*nth weekday out of range/],
  ])('explains what is wrong with %j', (expr, message) => {
    const problem = cronSyntaxError(expr);
    expect(problem).toMatch(message);
    // croner's internal prefix is stripped.
    expect(problem).not.toMatch(/CronPattern/);
  });

  // croner reports day-of-month and month values after subtracting its 1-based offset, so the
  // number in the message is not the one the user typed ("0 0 32 * *" -> "Invalid value for
  // day: 31", "0 0 0 * *" -> "day: -1", month 13 -> "month: 12", month 0 -> "month: -1").
  // lib/cron.ts passes the message through unchanged. Known croner limitation: see the report.
  it.each<[string, string]>([
    ['0 0 32 * *', '32'],
    ['0 0 0 * *', '0'],
    ['0 0 * 13 *', '13'],
    ['0 0 * 0 *', '0'],
  ])('names the out-of-range value the user typed in %j (croner off-by-one)', (expr, typed) => {
    const problem = cronSyntaxError(expr) ?? '';
    expect(problem).toMatch(new RegExp(`: ${typed}$`));
  });

  it('still rejects those out-of-range day and month values', () => {
    for (const expr of ['0 0 32 * *', '0 0 0 * *', '0 0 * 13 *', '0 0 * 0 *']) {
      expect(cronSyntaxError(expr)).toMatch(/^Invalid cron expression: Invalid value for (day|month)/);
    }
  });
});

describe('describeCron', () => {
  it.each<[string, string]>([
    ['30 2 * * *', 'At 02:30'],
    ['0 30 2 * * *', 'At 02:30'],
    ['*/5 * * * *', 'Every 5 minutes'],
    ['*/10 * * * * *', 'Every 10 seconds'],
    ['5/15 * * * *', 'Every 15 minutes, starting at 5 minutes past the hour'],
    ['0 0 13 * 5', 'At 00:00, on day 13 of the month, and on Friday'],
    ['0 0 * * 7', 'At 00:00, only on Sunday'],
    ['0 0 L * *', 'At 00:00, on the last day of the month'],
    ['0 0 15W * *', 'At 00:00, on the weekday nearest day 15 of the month'],
    ['0 0 * * 5#2', 'At 00:00, on the second Friday of the month'],
    ['0 0 * * 5L', 'At 00:00, on the last Friday of the month'],
  ])('describes %j as %j', (expr, words) => {
    expect(describeCron(expr)).toBe(words);
  });

  it('returns null when it cannot describe the expression', () => {
    expect(describeCron('not a cron')).toBeNull();
    expect(describeCron('not a cron')).toBeNull(); // kept, and still null
    // croner's "+" (AND) prefix is valid but unknown to cronstrue.
    expect(describeCron('0 0 13 * +5')).toBeNull();
  });
});

describe('patterns that never fire and numeric-start steps', () => {
  it('rejects a pattern that never matches a date', () => {
    expect(cronSyntaxError('0 0 30 2 *')).toMatch(/never matches a date/);
    expect(cronSyntaxError('0 0 31 4 *')).toMatch(/never matches a date/);
  });

  it('accepts 29 February (it fires in leap years)', () => {
    expect(cronSyntaxError('0 0 29 2 *')).toBeNull();
  });

  it('expands a/n and a-b/n in the time fields into lists, leaving */n and other fields alone', () => {
    expect(normalizeCronSteps('0 2/12 * * *')).toBe('0 2,14 * * *');
    expect(normalizeCronSteps('5/20 2-6/2 * * *')).toBe('5,25,45 2,4,6 * * *');
    expect(normalizeCronSteps('10/30 */5 1/12 1/2 * *')).toBe('10,40 */5 1,13 1/2 * *');
    expect(normalizeCronSteps('*/15 * * * *')).toBe('*/15 * * * *');
  });
});
