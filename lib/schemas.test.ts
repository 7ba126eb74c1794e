import { describe, expect, it } from 'vitest';
import { fieldErrorsOf, intervalMs, jobInputSchema, triggerSchema } from '@/lib/schemas';

/** Field errors of a failed parse ("a.b" -> messages); throws if the input was accepted. */
function errorsOf(schema: { safeParse: (x: unknown) => { success: boolean; error?: unknown } }, input: unknown) {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return fieldErrorsOf(result.error as Parameters<typeof fieldErrorsOf>[0]);
}

const FUTURE = '2099-01-01T00:00:00Z';

describe('triggerSchema: accepted input', () => {
  it('cron with 5 or 6 fields, zone and window', () => {
    const input = {
      type: 'cron',
      expression: '*/10 * * * * *',
      timezone: 'Australia/Lord_Howe',
      startAt: '2026-01-01T00:00:00Z',
      endAt: '2026-12-31T00:00:00+01:00',
      jitterMs: 500,
    };
    expect(triggerSchema.parse(input)).toEqual(input);
    expect(triggerSchema.parse({ type: 'cron', expression: '0 0 13 * 5' })).toEqual({ type: 'cron', expression: '0 0 13 * 5' });
    expect(triggerSchema.safeParse({ type: 'cron', expression: '5/15 * * * *' }).success).toBe(true);
    expect(triggerSchema.safeParse({ type: 'cron', expression: '0 0 L * *' }).success).toBe(true);
  });

  it('trims the time zone', () => {
    expect(triggerSchema.parse({ type: 'cron', expression: '* * * * *', timezone: ' Europe/Berlin ' })).toMatchObject({
      timezone: 'Europe/Berlin',
    });
  });

  it('null window fields are allowed (nullish)', () => {
    expect(
      triggerSchema.safeParse({ type: 'cron', expression: '* * * * *', startAt: null, endAt: null, jitterMs: null }).success,
    ).toBe(true);
  });

  it('interval and date', () => {
    expect(triggerSchema.parse({ type: 'interval', every: { hours: 1, minutes: 30 }, timezone: 'UTC' })).toEqual({
      type: 'interval',
      every: { hours: 1, minutes: 30 },
      timezone: 'UTC',
    });
    expect(triggerSchema.safeParse({ type: 'interval', every: { seconds: 1 } }).success).toBe(true);
    expect(triggerSchema.parse({ type: 'date', runAt: '2099-01-01T05:30:00+05:30' })).toEqual({
      type: 'date',
      runAt: '2099-01-01T05:30:00+05:30',
    });
  });
});

describe('triggerSchema: errors', () => {
  it('bad cron expression: the cronSyntaxError message on `expression`', () => {
    expect(errorsOf(triggerSchema, { type: 'cron', expression: '61 * * * *' })).toEqual({
      expression: ['Invalid cron expression: Invalid value for minute: 61'],
    });
    expect(errorsOf(triggerSchema, { type: 'cron', expression: '' })).toEqual({
      expression: ['Enter a cron expression, e.g. "*/5 * * * *" (every 5 minutes).'],
    });
  });

  it('7 fields are rejected', () => {
    expect(errorsOf(triggerSchema, { type: 'cron', expression: '0 0 0 * * * 2027' })).toEqual({
      expression: ['A cron expression has 5 fields (minute hour day month weekday) or 6 (seconds first); this one has 7.'],
    });
  });

  it('an over-long expression', () => {
    const errors = errorsOf(triggerSchema, { type: 'cron', expression: `0 0 * * ${'1,'.repeat(100)}2` });
    expect(errors.expression).toContain('A cron expression is at most 200 characters.');
  });

  it('unknown time zone', () => {
    const message = 'Unknown time zone: use an IANA name such as "Europe/Berlin" or "UTC".';
    expect(errorsOf(triggerSchema, { type: 'cron', expression: '* * * * *', timezone: 'Mars/Olympus' })).toEqual({
      timezone: [message],
    });
    expect(errorsOf(triggerSchema, { type: 'interval', every: { minutes: 1 }, timezone: 'CEST+2' })).toEqual({
      timezone: [message],
    });
    expect(errorsOf(triggerSchema, { type: 'date', runAt: FUTURE, timezone: '' })).toEqual({ timezone: [message] });
  });

  it('zero or empty interval', () => {
    const message = 'The interval must be at least 1 second.';
    expect(errorsOf(triggerSchema, { type: 'interval', every: { minutes: 0 } })).toEqual({ every: [message] });
    expect(errorsOf(triggerSchema, { type: 'interval', every: {} })).toEqual({ every: [message] });
  });

  it('fractional, negative and unknown interval units', () => {
    expect(errorsOf(triggerSchema, { type: 'interval', every: { minutes: 1.5 } })).toEqual({
      'every.minutes': ['Use whole numbers.'],
    });
    expect(errorsOf(triggerSchema, { type: 'interval', every: { hours: 1, minutes: -1 } })).toEqual({
      'every.minutes': ['Must not be negative.'],
    });
    expect(errorsOf(triggerSchema, { type: 'interval', every: { fortnights: 1, days: 1 } })).toEqual({
      every: ['Unrecognized key: "fortnights"'],
    });
  });

  it('date in the past (the one check against the wall clock)', () => {
    expect(errorsOf(triggerSchema, { type: 'date', runAt: '2020-01-01T00:00:00Z' })).toEqual({
      runAt: ['The date is in the past: choose a future instant.'],
    });
  });

  it('date without an offset', () => {
    expect(errorsOf(triggerSchema, { type: 'date', runAt: '2099-01-01T00:00:00' })).toEqual({
      runAt: ['Use an ISO 8601 date-time with an offset, e.g. "2026-11-24T09:30:00Z".'],
    });
    expect(Object.keys(errorsOf(triggerSchema, { type: 'date', runAt: 'tomorrow' }))).toEqual(['runAt']);
  });

  it('end before (or at) start, on every kind', () => {
    const window = { startAt: '2099-01-02T00:00:00Z', endAt: '2099-01-01T00:00:00Z' };
    const message = { endAt: ['The end must be after the start.'] };
    expect(errorsOf(triggerSchema, { type: 'cron', expression: '* * * * *', ...window })).toEqual(message);
    expect(errorsOf(triggerSchema, { type: 'interval', every: { hours: 1 }, ...window })).toEqual(message);
    expect(errorsOf(triggerSchema, { type: 'date', runAt: FUTURE, ...window })).toEqual(message);
    expect(
      errorsOf(triggerSchema, {
        type: 'cron',
        expression: '* * * * *',
        startAt: '2099-01-01T00:00:00Z',
        endAt: '2099-01-01T01:00:00+01:00', // the same instant
      }),
    ).toEqual(message);
  });

  it('reports several problems at once', () => {
    expect(
      errorsOf(triggerSchema, {
        type: 'date',
        runAt: '2020-01-01T00:00:00Z',
        startAt: '2099-01-02T00:00:00Z',
        endAt: '2099-01-01T00:00:00Z',
      }),
    ).toEqual({
      runAt: ['The date is in the past: choose a future instant.'],
      endAt: ['The end must be after the start.'],
    });
  });

  it('unknown or missing trigger type', () => {
    const message = { type: ['Choose a trigger type: "cron", "interval" or "date".'] };
    expect(errorsOf(triggerSchema, { type: 'weekly', expression: '* * * * *' })).toEqual(message);
    expect(errorsOf(triggerSchema, { expression: '* * * * *' })).toEqual(message);
  });

  it('unknown fields are rejected (strictObject)', () => {
    expect(errorsOf(triggerSchema, { type: 'cron', expression: '* * * * *', foo: 1 })).toEqual({
      _: ['Unrecognized key: "foo"'],
    });
    // A field of another kind is unknown too.
    expect(errorsOf(triggerSchema, { type: 'date', runAt: FUTURE, expression: '* * * * *' })).toEqual({
      _: ['Unrecognized key: "expression"'],
    });
  });

  it('jitter bounds', () => {
    expect(Object.keys(errorsOf(triggerSchema, { type: 'cron', expression: '* * * * *', jitterMs: -1 }))).toEqual([
      'jitterMs',
    ]);
    expect(Object.keys(errorsOf(triggerSchema, { type: 'cron', expression: '* * * * *', jitterMs: 3_600_001 }))).toEqual([
      'jitterMs',
    ]);
  });
});

describe('intervalMs', () => {
  it('adds up the units', () => {
    expect(intervalMs({})).toBe(0);
    expect(intervalMs({ hours: 1, minutes: 30 })).toBe(5_400_000);
    expect(intervalMs({ weeks: 1, days: 1, hours: 1, minutes: 1, seconds: 1 })).toBe(
      604_800_000 + 86_400_000 + 3_600_000 + 60_000 + 1000,
    );
  });
});

describe('jobInputSchema', () => {
  it('accepts a full job and trims names', () => {
    const parsed = jobInputSchema.parse({
      id: 'nightly.report',
      name: '  Nightly report ',
      description: 'Sends the report',
      task: 'log.message',
      args: { message: 'hi', level: 'info' },
      trigger: { type: 'cron', expression: '0 3 * * *', timezone: 'Europe/Berlin' },
      paused: false,
      options: { maxInstances: 2, coalesce: true, misfireGraceMs: 60_000, timeoutMs: null, retries: { max: 3, backoffMs: 1000 } },
      replaceExisting: true,
    });
    expect(parsed).toEqual({
      id: 'nightly.report',
      name: 'Nightly report',
      description: 'Sends the report',
      task: 'log.message',
      args: { message: 'hi', level: 'info' },
      trigger: { type: 'cron', expression: '0 3 * * *', timezone: 'Europe/Berlin' },
      paused: false,
      options: { maxInstances: 2, coalesce: true, misfireGraceMs: 60_000, timeoutMs: null, retries: { max: 3, backoffMs: 1000 } },
      replaceExisting: true,
    });
  });

  it('accepts a minimal job with each trigger kind', () => {
    for (const trigger of [
      { type: 'cron', expression: '*/5 * * * *' },
      { type: 'interval', every: { minutes: 5 } },
      { type: 'date', runAt: FUTURE },
    ]) {
      expect(jobInputSchema.safeParse({ task: 'util.sleep', args: { ms: 10 }, trigger }).success).toBe(true);
    }
  });

  it('reports field errors with paths, including nested trigger fields', () => {
    expect(
      errorsOf(jobInputSchema, {
        id: '-bad',
        task: ' ',
        trigger: { type: 'cron', expression: '0 25 * * *' },
        options: { maxInstances: 0 },
        extra: 1,
      }),
    ).toEqual({
      id: ['Use letters, digits and . _ : - (starting with a letter or digit).'],
      task: ['Choose a task.'],
      'trigger.expression': ['Invalid cron expression: Invalid value for hour: 25'],
      'options.maxInstances': ['Too small: expected number to be >=1'],
      _: ['Unrecognized key: "extra"'],
    });
  });

  it('requires a trigger', () => {
    expect(Object.keys(errorsOf(jobInputSchema, { task: 'log.message' }))).toEqual(['trigger']);
  });
});

describe('date trigger outside its window', () => {
  it('rejects a runAt before startAt or at/after endAt', () => {
    const base = { type: 'date', runAt: '2099-06-01T00:00:00Z' } as const;
    const before = triggerSchema.safeParse({ ...base, startAt: '2099-07-01T00:00:00Z' });
    const after = triggerSchema.safeParse({ ...base, endAt: '2099-06-01T00:00:00Z' });
    for (const r of [before, after]) {
      expect(r.success).toBe(false);
      expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['runAt']);
    }
    expect(triggerSchema.safeParse({ ...base, startAt: '2099-05-01T00:00:00Z', endAt: '2099-07-01T00:00:00Z' }).success).toBe(true);
  });
});
