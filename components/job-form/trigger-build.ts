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

/** Start/end window and jitter: not edited by the form, but kept when a stored trigger has them. */
export interface TriggerWindow {
  startAt?: string | null;
  endAt?: string | null;
  jitterMs?: number | null;
}

/** The trigger as the form holds it: every kind's fields at once, so switching kinds loses nothing. */
export interface TriggerFormValues {
  type: TriggerKind;
  expression: string;
  every: Partial<Record<EveryUnit, number | undefined>>;
  /** datetime-local value, a wall time in `timezone`. */
  runAt: string;
  timezone: string;
  window?: TriggerWindow;
}

export type BuiltTrigger = { ok: true; trigger: TriggerInput } | { ok: false; errors: Array<{ path: string[]; message: string }> };

function windowOf(w: TriggerWindow | undefined): TriggerWindow {
  const out: TriggerWindow = {};
  if (w?.startAt) out.startAt = w.startAt;
  if (w?.endAt) out.endAt = w.endAt;
  if (typeof w?.jitterMs === 'number') out.jitterMs = w.jitterMs;
  return out;
}

/**
 * The API trigger (what triggerSchema accepts) from the form's trigger values. Only the date
 * kind can fail here (no date, or a malformed one); everything else is left to triggerSchema.
 */
export function buildTrigger(t: TriggerFormValues): BuiltTrigger {
  const timezone = t.timezone.trim();
  const window = windowOf(t.window);
  switch (t.type) {
    case 'cron':
      return { ok: true, trigger: { type: 'cron', expression: t.expression, timezone, ...window } };
    case 'interval': {
      const every: Partial<Record<EveryUnit, number>> = {};
      for (const unit of EVERY_UNITS) {
        const v = t.every?.[unit];
        if (typeof v === 'number' && !Number.isNaN(v)) every[unit] = v;
      }
      return { ok: true, trigger: { type: 'interval', every, timezone, ...window } };
    }
    case 'date': {
      if (!t.runAt.trim()) return { ok: false, errors: [{ path: ['runAt'], message: 'Choose the date and time to run at.' }] };
      if (!isValidTimeZone(timezone)) {
        return { ok: false, errors: [{ path: ['timezone'], message: 'Choose a time zone from the list.' }] };
      }
      const instant = wallTimeToInstant(t.runAt, timezone);
      if (!instant) return { ok: false, errors: [{ path: ['runAt'], message: 'Enter a valid date and time.' }] };
      return { ok: true, trigger: { type: 'date', runAt: toZonedIso(instant, timezone), timezone, ...window } };
    }
  }
}

/** The form's trigger values for a stored trigger (or the defaults for a new job). */
export function triggerFormValues(stored: StoredTrigger | undefined, defaultTimezone: string): TriggerFormValues {
  const base: TriggerFormValues = {
    type: 'cron',
    expression: '*/5 * * * *',
    every: { minutes: 5 },
    runAt: '',
    timezone: defaultTimezone,
  };
  if (!stored) return base;
  const window: TriggerWindow = { startAt: stored.startAt, endAt: stored.endAt, jitterMs: stored.jitterMs };
  const common = { ...base, type: stored.type, timezone: stored.timezone, window };
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
