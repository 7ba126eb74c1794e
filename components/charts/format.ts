/** Formatting helpers shared by the charts' axes, tooltips and tables (client-safe). */

const DAY_MS = 86_400_000;

/** A tick formatter for instants (ms) in `zone`: times of day for a short span, dates for a long one. */
export function instantTickFormatter(spanMs: number, zone: string): (ms: number) => string {
  const options: Intl.DateTimeFormatOptions =
    spanMs < 10 * 60_000
      ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }
      : spanMs < 2 * DAY_MS
        ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
        : { month: 'short', day: 'numeric' };
  const format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: zone });
  return (ms) => format.format(new Date(ms));
}

/** An instant in `zone` with date, time and seconds (tooltips). */
export function formatInstant(ms: number, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(new Date(ms));
}

const dayLabelFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' });

/** "Mar 14" for the UTC day "2026-03-14". */
export function dayLabel(day: string): string {
  return dayLabelFormat.format(new Date(`${day}T00:00:00Z`));
}

/** "12,345" (the same on server and client); "10,000+" when the count is a lower bound (`exact` false). */
export function formatCount(n: number, exact = true): string {
  return `${n.toLocaleString('en-US')}${exact ? '' : '+'}`;
}
