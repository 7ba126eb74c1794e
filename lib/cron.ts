import { Cron, type CronOptions } from 'croner';
import cronstrue from 'cronstrue';
import { memo } from './memo';
import { offsetMs } from './time';

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

/**
 * The next run of `expression` in `timezone` strictly after `from` (null: none), as
 * `cronCalculator(expression, timezone).nextRun(from)` gives it, at a fraction of the cost.
 *
 * croner works out wall clocks in a named zone through Intl, about 40-50 µs a call, and a new
 * calculator costs as much again: at 10,000 cron fires a second that was more than the engine's
 * whole core (it kept 26% of them). At a fixed UTC offset croner is plain arithmetic, so this
 * asks a calculator at the zone's offset at `from` (kept per expression and offset), and keeps
 * its answer when it is at most the next hour and the zone has had that one offset through the
 * day before it: then no wall time between `from` and the answer is skipped or repeated by a
 * DST change, and croner's DST rules have nothing to decide. Otherwise (near a DST change, for
 * fires further apart, for offsets that are not whole minutes) a calculator in the zone (kept
 * per expression and zone) computes it.
 */
export function nextCronRun(expression: string, timezone: string, from: Date): Date | null {
  return shortcut(expression, timezone, from) ?? inZone(`${timezone}\n${expression}`).nextRun(from);
}

/** nextCronRun's fixed-offset answer when it is safe to give, else undefined. */
function shortcut(expression: string, zone: string, from: Date): Date | undefined {
  const t = from.getTime();
  if (!(t >= FAST_FROM && t <= FAST_TO)) return undefined;
  const hour = Math.floor(t / HOUR_MS);
  let offset: number;
  try {
    // The offset at `from`: known for this hour, or asked (no counting back for a job that fires rarely).
    const known = steadyKept.get(`${zone}\n${hour}`);
    offset = known ? known.offset : offsetMs(t, zone) / 60_000;
  } catch {
    return undefined; // a zone Intl does not know: croner says what is wrong
  }
  if (!Number.isInteger(offset)) return undefined;
  const next = atOffset(`${offset}\n${expression}`).nextRun(from);
  if (!next) return undefined;
  const nextHour = Math.floor(next.getTime() / HOUR_MS);
  if (nextHour > hour + 1) return undefined;
  const here = steadyOffset(zone, hour);
  const there = nextHour === hour ? here : steadyOffset(zone, nextHour);
  return here?.offset === offset && there?.offset === offset && there.hours > 24 ? next : undefined;
}

const HOUR_MS = 3_600_000;
/** The shortcut keeps to years Intl and Date.UTC agree on. */
const FAST_FROM = Date.UTC(1900, 0, 1);
const FAST_TO = Date.UTC(9999, 11, 30);
/** Calculators kept: per expression and offset, and per expression and zone. */
const CALCULATORS_KEPT = 1000;

/** A zone's offset (minutes) through an hour, and for how many hours up to it (with it) it has been the same. */
interface Steady {
  offset: number;
  hours: number;
}
/** Hours are counted up to this: the fire's hour and the day before it. */
const STEADY_CAP = 25;
const STEADY_KEPT = 10_000;
const steadyKept = new Map<string, Steady | null>();

/**
 * The zone's offset through hour `hour` (since the epoch) and how long it has held, or null when
 * the offset changes within that hour or is not a whole number of minutes. Kept per zone and
 * hour: each new hour of a zone costs two Intl calls (its first, up to STEADY_CAP times that).
 */
function steadyOffset(zone: string, hour: number): Steady | null {
  const known = steadyKept.get(`${zone}\n${hour}`);
  if (known !== undefined) return known;
  let first = hour;
  while (hour - first < STEADY_CAP && !steadyKept.has(`${zone}\n${first - 1}`)) first--;
  let previous = steadyKept.get(`${zone}\n${first - 1}`);
  // An hour's count is known once the walk started from a kept hour, passed a change, or reached
  // the cap; the first hours of a walk from nowhere are counted short and not kept.
  let exact = previous !== undefined;
  let value: Steady | null = null;
  for (let h = first; h <= hour; h++) {
    const start = h * HOUR_MS;
    const offset = offsetMs(start, zone);
    // Zones change their offset at most once in an hour.
    if (offsetMs(start + HOUR_MS - 1, zone) !== offset || offset % 60_000 !== 0) {
      value = null;
      exact = true;
    } else {
      const same = previous?.offset === offset / 60_000;
      if (!same && previous !== undefined) exact = true; // a change at the start of this hour
      value = { offset: offset / 60_000, hours: same ? Math.min(STEADY_CAP, previous!.hours + 1) : 1 };
      if (value.hours === STEADY_CAP) exact = true;
    }
    if (exact) {
      if (steadyKept.size >= STEADY_KEPT) steadyKept.clear();
      steadyKept.set(`${zone}\n${h}`, value);
    }
    previous = value;
  }
  return value;
}

/** croner at a fixed UTC offset (key: offset in minutes and expression). */
const atOffset = memo(CALCULATORS_KEPT, (key: string) => {
  const cut = key.indexOf('\n');
  return new Cron(normalizeCronSteps(key.slice(cut + 1)), { ...CRON_OPTIONS, utcOffset: Number(key.slice(0, cut)) });
});

/** croner in a named zone (key: zone and expression). */
const inZone = memo(CALCULATORS_KEPT, (key: string) => {
  const cut = key.indexOf('\n');
  return cronCalculator(key.slice(cut + 1), key.slice(0, cut));
});

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
