import { memo } from './memo';

/** True when `zone` is an IANA time zone this runtime knows (e.g. "Europe/Berlin", "UTC"). */
export function isValidTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** All IANA zones the runtime knows, UTC first. */
export function listTimeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...zones.filter((z) => z !== 'UTC')];
}

/** Formatters kept per zone, of each kind: making one costs tens of microseconds, and a page of jobs formats hundreds of instants (this took about a third of the jobs page's render). */
const FORMATTERS_KEPT = 1000;

/** A 24 h en-US formatter that gives every wall-clock field of an instant in `zone`. */
const wallFormatter = memo(FORMATTERS_KEPT, (zone: string) =>
  new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }),
);

/** The en-CA formatter of formatInZone in `zone`, to the second or to the minute. */
const dateTimeFormatter = (withSeconds: boolean) =>
  memo(FORMATTERS_KEPT, (zone: string) =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: withSeconds ? '2-digit' : undefined,
      hourCycle: 'h23',
    }),
  );
const toTheSecond = dateTimeFormatter(true);
const toTheMinute = dateTimeFormatter(false);

/** A formatter that names `zone` ("CET"). */
const zoneNameFormatter = memo(FORMATTERS_KEPT, (zone: string) => new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' }));

/**
 * The wall clock of `instant` (ms) in `zone`, as if it were a UTC time (ms, whole seconds): the
 * clocks in Berlin reading 09:30 give `Date.UTC(…, 9, 30)`. Client-safe (Intl only).
 */
export function wallClockMs(instant: number, zone: string): number {
  const parts = wallFormatter(zone).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

/**
 * The zone's offset from UTC at `instant` (ms), in ms (e.g. +3 600 000 for CET). The instant is
 * truncated to its whole second first, so the result is a whole number of seconds.
 */
export function offsetMs(instant: number, zone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallClockMs(whole, zone) - whole;
}

/** Formats an instant as "2026-11-24 09:30:00" in the given zone (24 h clock). */
export function formatInZone(date: Date | string, timeZone: string, withSeconds = true): string {
  const d = typeof date === 'string' ? new Date(date) : date;
  const parts = (withSeconds ? toTheSecond : toTheMinute)(timeZone).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const time = `${get('hour')}:${get('minute')}${withSeconds ? `:${get('second')}` : ''}`;
  return `${get('year')}-${get('month')}-${get('day')} ${time}`;
}

/** Short zone name at an instant, e.g. "CET", "GMT+1". */
export function zoneAbbreviation(date: Date | string, timeZone: string): string {
  const d = typeof date === 'string' ? new Date(date) : date;
  const part = zoneNameFormatter(timeZone)
    .formatToParts(d)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' });

/** "in 5 min", "3 h ago", "just now": a compact relative time from `now`. */
export function relativeTime(date: Date | string, now: Date = new Date()): string {
  const d = typeof date === 'string' ? new Date(date) : date;
  const diff = d.getTime() - now.getTime();
  const abs = Math.abs(diff);
  if (abs < 1000) return 'just now';
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1000],
  ];
  for (const [unit, ms] of units) {
    if (abs >= ms || unit === 'second') return rtf.format(Math.round(diff / ms), unit);
  }
  return rtf.format(0, 'second');
}

/** How long a due run may go unstarted before its next run reads as overdue: an engine claims ahead and starts on time, and pages refresh every few seconds. */
const DUE_GRACE_MS = 60_000;

/**
 * A job's next run relative to `now`: "in 5 min" while it is ahead; "due now" once its instant
 * has passed (the page showing it is a moment old, and the engine is starting it); "overdue,
 * 5 min ago" when it passed more than a minute ago and no scheduler has moved it (none is
 * running, or none reaches the database).
 */
export function nextRunTime(date: Date | string, now: Date = new Date()): string {
  const d = typeof date === 'string' ? new Date(date) : date;
  const late = now.getTime() - d.getTime();
  if (late < 0 && -late >= 1000) return relativeTime(d, now);
  if (late < DUE_GRACE_MS) return 'due now';
  return `overdue, ${relativeTime(d, now)}`;
}

/** "850 ms", "12.3 s", "4 min 05 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m} min ${String(s).padStart(2, '0')} s`;
}
