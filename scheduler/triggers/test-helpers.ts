import { nextFireTime, type StoredTriggerWithAnchor } from './index';

/** Builders and readers shared by the trigger unit tests (fixed instants, never the wall clock). */

export type Extra = { startAt?: string; endAt?: string };

export function cron(expression: string, timezone = 'UTC', extra: Extra = {}): StoredTriggerWithAnchor {
  return { type: 'cron', expression, timezone, ...extra };
}

export function interval(
  every: { weeks?: number; days?: number; hours?: number; minutes?: number; seconds?: number },
  extra: Extra & { anchorAt?: string; timezone?: string } = {},
): StoredTriggerWithAnchor {
  const { timezone = 'UTC', ...rest } = extra;
  return { type: 'interval', every, timezone, ...rest };
}

export function date(runAt: string, extra: Extra & { timezone?: string } = {}): StoredTriggerWithAnchor {
  const { timezone = 'UTC', ...rest } = extra;
  return { type: 'date', runAt, timezone, ...rest };
}

export const at = (iso: string) => new Date(iso);
export const isos = (dates: Date[]) => dates.map((d) => d.toISOString());
export const next = (t: StoredTriggerWithAnchor, after: string) => nextFireTime(t, at(after))?.toISOString() ?? null;

/** Every fire in [from, to): the instants of one local day when given its two midnights. */
export function firesIn(t: StoredTriggerWithAnchor, from: string, to: string): string[] {
  const out: string[] = [];
  const end = at(to).getTime();
  let cursor = new Date(at(from).getTime() - 1);
  for (let i = 0; i < 1000; i++) {
    const n = nextFireTime(t, cursor);
    if (!n || n.getTime() >= end) break;
    out.push(n.toISOString());
    cursor = n;
  }
  return out;
}
