import { Cron, type CronOptions } from 'croner';
import cronstrue from 'cronstrue';
import { memo } from './memo';

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

/**
 * Rewrites numeric-start steps (`2/12`, `2-10/4`) in the seconds, minutes and hours fields as
 * plain lists. DESIGN.md: only a field that starts with `*` is a wildcard, so `0 2/12 * * *` is
 * a fixed time (02:00 and 14:00) for DST purposes; croner counts any `/` as stepped, but counts
 * lists as fixed under fixedTimeRule 'no-wildcard'.
 */
export function normalizeCronSteps(expression: string): string {
  const fields = expression.trim().split(/\s+/);
  const timeFields = fields.length === 6 ? [0, 1, 2] : [0, 1];
  const max = fields.length === 6 ? [59, 59, 23] : [59, 23];
  timeFields.forEach((index, i) => {
    fields[index] = fields[index]
      .split(',')
      .map((part) => {
        const m = /^(\d+)(?:-(\d+))?\/(\d+)$/.exec(part);
        if (!m) return part;
        const [from, to, step] = [Number(m[1]), m[2] === undefined ? max[i] : Number(m[2]), Number(m[3])];
        if (step < 1 || from > to || to > max[i]) return part; // let croner report it
        const values: number[] = [];
        for (let v = from; v <= to; v += step) values.push(v);
        return values.join(',');
      })
      .join(',');
  });
  return fields.join(' ');
}

/** Builds a croner calculator (never a timer) for `expression` in `timezone`. Throws on bad syntax. */
export function cronCalculator(expression: string, timezone: string, extra: CronOptions = {}): Cron {
  return new Cron(normalizeCronSteps(expression), { ...CRON_OPTIONS, timezone, ...extra });
}

/** croner reports day and month values after subtracting its 1-based offset; say what was typed. */
function croneMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message.replace(/^CronPattern:\s*/, '') : String(err);
  return msg.replace(/(Invalid value for (?:day|month): )(-?\d+)/, (_, prefix: string, n: string) => `${prefix}${Number(n) + 1}`);
}

/** Returns null when the expression is valid, else a message that says what is wrong. */
export function cronSyntaxError(expression: string): string | null {
  const expr = expression.trim();
  if (!expr) return 'Enter a cron expression, e.g. "*/5 * * * *" (every 5 minutes).';
  const fields = expr.split(/\s+/).length;
  if (fields !== 5 && fields !== 6) {
    return `A cron expression has 5 fields (minute hour day month weekday) or 6 (seconds first); this one has ${fields}.`;
  }
  let cron: Cron;
  try {
    cron = cronCalculator(expr, 'UTC');
  } catch (err) {
    return `Invalid cron expression: ${croneMessage(err)}`;
  }
  // Leap days make "29 Feb" fire once in four years; a pattern with no match within 8 years never fires.
  const soon = cron.nextRun(new Date('2000-01-01T00:00:00Z'));
  if (!soon || soon.getTime() > Date.UTC(2008, 0, 1)) {
    return 'This cron expression never matches a date (for example 30 February): check the day and month fields.';
  }
  return null;
}

/**
 * The schedule in words ("At 02:30 AM"), via cronstrue; null when it cannot describe it. Kept by
 * expression (up to 1,000): jobs share a few expressions, and describing one took about a tenth
 * of a jobs list's request (20 jobs, each described).
 */
export const describeCron: (expression: string) => string | null = memo(1000, (expression: string) => {
  try {
    return cronstrue.toString(expression.trim(), { use24HourTimeFormat: true, verbose: false });
  } catch {
    return null;
  }
});
