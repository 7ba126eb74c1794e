import { Cron, type CronOptions } from 'croner';
import cronstrue from 'cronstrue';

/**
 * The croner options that give DESIGN.md's cron meaning: 5 or 6 fields (seconds first),
 * Vixie cron's day-of-month OR day-of-week, Quartz-style `a/n` steps, and "only a field that
 * starts with `*` is a wildcard" for DST (fixed times fire once, at the end of a gap or the
 * first of a repeated hour).
 */
export const CRON_OPTIONS = {
  mode: '5-or-6-parts',
  sloppyRanges: true,
  fixedTimeRule: 'no-wildcard',
  domAndDow: false,
} as const satisfies CronOptions;

/** Builds a croner calculator (never a timer) for `expression` in `timezone`. Throws on bad syntax. */
export function cronCalculator(expression: string, timezone: string, extra: CronOptions = {}): Cron {
  return new Cron(expression.trim(), { ...CRON_OPTIONS, timezone, ...extra });
}

/** Returns null when the expression is valid, else a message that says what is wrong. */
export function cronSyntaxError(expression: string): string | null {
  const expr = expression.trim();
  if (!expr) return 'Enter a cron expression, e.g. "*/5 * * * *" (every 5 minutes).';
  const fields = expr.split(/\s+/).length;
  if (fields !== 5 && fields !== 6) {
    return `A cron expression has 5 fields (minute hour day month weekday) or 6 (seconds first); this one has ${fields}.`;
  }
  try {
    cronCalculator(expr, 'UTC');
    return null;
  } catch (err) {
    const msg = err instanceof Error ? err.message.replace(/^CronPattern:\s*/, '') : String(err);
    return `Invalid cron expression: ${msg}`;
  }
}

/** The schedule in words ("At 02:30 AM"), via cronstrue; null when it cannot describe it. */
export function describeCron(expression: string): string | null {
  try {
    return cronstrue.toString(expression.trim(), { use24HourTimeFormat: true, verbose: false });
  } catch {
    return null;
  }
}
