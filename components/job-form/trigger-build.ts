import { isValidTimeZone } from '@/lib/time';
import type { TriggerInput } from '@/lib/schemas';
import type { StoredTrigger } from '@/lib/types';
import { instantToWallTime, toZonedIso, wallTimeToInstant } from './zoned-time';

/** The trigger kinds the form offers, in display order. */
export const TRIGGER_KINDS = [
  { value: 'cron', label: 'Cron' },
  { value: 'interval', label: 'Interval' },
  { value: 'date', label: 'Date' },
] as const;

export type TriggerKind = (typeof TRIGGER_KINDS)[number]['value'];

export const EVERY_UNITS = ['weeks', 'days', 'hours', 'minutes', 'seconds'] as const;
export type EveryUnit = (typeof EVERY_UNITS)[number];

/** The trigger as the form holds it: every kind's fields at once, so switching kinds loses nothing. */
export interface TriggerFormValues {
  type: TriggerKind;
  expression: string;
  every: Partial<Record<EveryUnit, number | undefined>>;
  /** datetime-local value, a wall time in `timezone`. */
  runAt: string;
  timezone: string;
  /** Window start, a datetime-local wall time in `timezone`; "" for none. */
  startAt: string;
  /** Window end, a datetime-local wall time in `timezone`; "" for none. */
  endAt: string;
  /** Random delay of up to this many ms added to each fire; empty for none. */
  jitterMs?: number;
}

export type BuiltTrigger = { ok: true; trigger: TriggerInput } | { ok: false; errors: Array<{ path: string[]; message: string }> };

type TriggerError = { path: string[]; message: string };
type WindowFields = { startAt?: string; endAt?: string; jitterMs?: number };

/** The window fields of the API trigger (ISO instants with the zone's offset), or the errors. */
function windowOf(t: TriggerFormValues, timezone: string, errors: TriggerError[]): WindowFields {
  const out: WindowFields = {};
  const walls = (['startAt', 'endAt'] as const).filter((k) => t[k]?.trim());
  if (walls.length && !isValidTimeZone(timezone)) {
    errors.push({ path: ['timezone'], message: 'Choose a time zone from the list.' });
  } else {
    for (const key of walls) {
      const instant = wallTimeToInstant(t[key], timezone);
      if (instant) out[key] = toZonedIso(instant, timezone);
      else errors.push({ path: [key], message: 'Enter a valid date and time.' });
    }
  }
  if (typeof t.jitterMs === 'number' && !Number.isNaN(t.jitterMs)) out.jitterMs = t.jitterMs;
  return out;
}

/**
 * The API trigger (what triggerSchema accepts) from the form's trigger values. Only wall times
 * can fail here (the date kind's missing or malformed date, a malformed window start/end, or a
 * window without a valid zone); everything else is left to triggerSchema.
 */
export function buildTrigger(t: TriggerFormValues): BuiltTrigger {
  const timezone = t.timezone.trim();
  const errors: TriggerError[] = [];
  const window = windowOf(t, timezone, errors);
  let trigger: TriggerInput | null = null;
  switch (t.type) {
    case 'cron':
      trigger = { type: 'cron', expression: t.expression, timezone, ...window };
      break;
    case 'interval': {
      const every: Partial<Record<EveryUnit, number>> = {};
      for (const unit of EVERY_UNITS) {
        const v = t.every?.[unit];
        if (typeof v === 'number' && !Number.isNaN(v)) every[unit] = v;
      }
      trigger = { type: 'interval', every, timezone, ...window };
      break;
    }
    case 'date': {
      if (!t.runAt.trim()) {
        errors.push({ path: ['runAt'], message: 'Choose the date and time to run at.' });
        break;
      }
      if (!isValidTimeZone(timezone)) {
        if (!errors.some((e) => e.path[0] === 'timezone')) errors.push({ path: ['timezone'], message: 'Choose a time zone from the list.' });
        break;
      }
      const instant = wallTimeToInstant(t.runAt, timezone);
      if (!instant) {
        errors.push({ path: ['runAt'], message: 'Enter a valid date and time.' });
        break;
      }
      trigger = { type: 'date', runAt: toZonedIso(instant, timezone), timezone, ...window };
      break;
    }
  }
  return errors.length || !trigger ? { ok: false, errors } : { ok: true, trigger };
}

/** The form's trigger values for a stored trigger (or the defaults for a new job). */
export function triggerFormValues(stored: StoredTrigger | undefined, defaultTimezone: string): TriggerFormValues {
  const base: TriggerFormValues = {
    type: 'cron',
    expression: '*/5 * * * *',
    every: { minutes: 5 },
    runAt: '',
    timezone: defaultTimezone,
    startAt: '',
    endAt: '',
    jitterMs: undefined,
  };
  if (!stored) return base;
  const zone = stored.timezone;
  const common: TriggerFormValues = {
    ...base,
    type: stored.type,
    timezone: zone,
    startAt: stored.startAt ? instantToWallTime(stored.startAt, zone) : '',
    endAt: stored.endAt ? instantToWallTime(stored.endAt, zone) : '',
    jitterMs: stored.jitterMs ?? undefined,
  };
  switch (stored.type) {
    case 'cron':
      return { ...common, expression: stored.expression };
    case 'interval':
      return { ...common, every: { ...stored.every } };
    case 'date':
      return { ...common, runAt: instantToWallTime(stored.runAt, stored.timezone) };
  }
}

/** Stable text of a built trigger, to tell whether the form changed it. */
export function triggerKey(t: TriggerInput): string {
  return JSON.stringify(t);
}
