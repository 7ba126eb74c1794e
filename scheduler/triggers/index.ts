import { describeCron, nextCronRun } from '../../lib/cron';
import { intervalMs, type Trigger } from '../../lib/schemas';
import { formatInZone, zoneAbbreviation } from '../../lib/time';
import type { StoredTrigger } from '../../lib/types';

/**
 * Trigger math: pure functions of (trigger, instant). croner is used as a calculator only;
 * nothing here keeps a timer.
 */

const MAX_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59);

/** A stored interval trigger remembers the instant it was anchored at (its creation). */
export type StoredTriggerWithAnchor = StoredTrigger & { anchorAt?: string };

/** Resolves a validated trigger input into its stored form (zone filled in, interval anchored). */
export function resolveTrigger(input: Trigger, defaultTimezone: string, now: Date): StoredTriggerWithAnchor {
  const timezone = input.timezone ?? defaultTimezone;
  const base = { ...stripNullish(input), timezone } as StoredTriggerWithAnchor;
  if (input.type === 'interval' && !input.startAt) base.anchorAt = now.toISOString();
  if (input.type === 'cron') (base as { expression: string }).expression = input.expression.trim().replace(/\s+/g, ' ');
  return base;
}

function stripNullish<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
}

/**
 * The first fire strictly after `after`, or null when the trigger has no more fires.
 * The start window is inclusive, the end exclusive.
 */
export function nextFireTime(trigger: StoredTriggerWithAnchor, after: Date): Date | null {
  // Instants as numbers: this runs for every fire, and a Date parsed per call adds up.
  const start = trigger.startAt ? Date.parse(trigger.startAt) : null;
  const end = trigger.endAt ? Date.parse(trigger.endAt) : null;
  let next: Date | null;
  switch (trigger.type) {
    case 'cron': {
      // croner's nextRun(d) is strictly after d; to include `start` itself, ask from 1 ms before.
      const from = start !== null && start > after.getTime() ? new Date(start - 1) : after;
      next = nextCronRun(trigger.expression, trigger.timezone, from);
      break;
    }
    case 'interval': {
      const period = intervalMs(trigger.every);
      const base = start ?? (trigger.anchorAt ? Date.parse(trigger.anchorAt) : after.getTime());
      // With an explicit start the first fire is the start; otherwise one period after the anchor.
      const firstK = start !== null ? 0 : 1;
      const k = Math.max(firstK, Math.floor((after.getTime() - base) / period) + 1);
      next = new Date(base + k * period);
      break;
    }
    case 'date': {
      const at = new Date(trigger.runAt);
      next = at.getTime() > after.getTime() ? at : null;
      if (next && start !== null && next.getTime() < start) next = null;
      break;
    }
  }
  if (next && end !== null && next.getTime() >= end) return null;
  // DATETIME stops at 9999-12-31: a fire beyond it is no fire.
  if (next && !(next.getTime() <= MAX_INSTANT)) return null;
  return next;
}

/**
 * The fires of an interval trigger from `first` (one of its fires) through `until`, by
 * arithmetic: how many, the last and the one before it (null: only one). Null for other
 * triggers, and when the trigger ends within the span: those are stepped through with
 * nextFireTime. A day of missed fires every second is 86,400 steps of that.
 */
export function intervalFiresThrough(trigger: StoredTriggerWithAnchor, first: Date, until: Date): { count: number; last: Date; beforeLast: Date | null } | null {
  if (trigger.type !== 'interval' || first.getTime() > until.getTime()) return null;
  const period = intervalMs(trigger.every);
  const steps = Math.floor((until.getTime() - first.getTime()) / period);
  const last = first.getTime() + steps * period;
  const end = trigger.endAt ? Date.parse(trigger.endAt) : null;
  if ((end !== null && last >= end) || !(last <= MAX_INSTANT)) return null;
  return { count: steps + 1, last: new Date(last), beforeLast: steps > 0 ? new Date(last - period) : null };
}

/** The next `count` fires strictly after `from`. */
export function upcomingFires(trigger: StoredTriggerWithAnchor, count: number, from: Date): Date[] {
  const runs: Date[] = [];
  let cursor = from;
  for (let i = 0; i < count; i++) {
    const next = nextFireTime(trigger, cursor);
    if (!next) break;
    runs.push(next);
    cursor = next;
  }
  return runs;
}

const UNITS: Array<[string, string]> = [
  ['weeks', 'week'],
  ['days', 'day'],
  ['hours', 'hour'],
  ['minutes', 'minute'],
  ['seconds', 'second'],
];

/** The schedule in words, with its zone: "At 02:30 (Europe/Berlin)", "Every 1 hour 30 minutes". */
export function describeTrigger(trigger: StoredTrigger): string {
  switch (trigger.type) {
    case 'cron': {
      const words = describeCron(trigger.expression) ?? trigger.expression;
      return `${words} (${trigger.timezone})`;
    }
    case 'interval': {
      const every = trigger.every as Record<string, number | undefined>;
      const parts = UNITS.filter(([k]) => (every[k] ?? 0) > 0).map(([k, unit]) => {
        const n = every[k]!;
        return `${n} ${unit}${n === 1 ? '' : 's'}`;
      });
      return `Every ${parts.join(' ')}`;
    }
    case 'date': {
      const at = new Date(trigger.runAt);
      return `Once at ${formatInZone(at, trigger.timezone)} ${zoneAbbreviation(at, trigger.timezone)}`;
    }
  }
}
