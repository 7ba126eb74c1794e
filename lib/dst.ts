/**
 * Daylight saving time (and any other UTC offset change) on a zone's local day, and where an
 * instant falls relative to it: right at the end of a gap (spring forward) or inside an hour that
 * happens twice (fall back). Pure and client-safe: Intl only.
 */

import { offsetMs, wallClockMs } from './time';

/** One offset change of a zone. */
export interface DstTransition {
  /** "gap": the wall times from `from` to `to` do not exist; "repeat": they happen twice. */
  kind: 'gap' | 'repeat';
  /** The local day of the change, "YYYY-MM-DD". */
  date: string;
  /** Wall time where the skipped or repeated span starts, "02:00". */
  from: string;
  /** Wall time where it ends, "03:00" (the clock reads this right after a gap). */
  to: string;
  /** The instant of the change: a gap's end, or the start of a repeated span's second occurrence. */
  at: Date;
  /** Offsets from UTC before and after the change, in minutes (e.g. 60 and 120 for CET -> CEST). */
  offsetBefore: number;
  offsetAfter: number;
}

/** Where an instant falls on a day with a transition. */
export type DstPosition =
  /** Exactly when a gap ends: where a fixed wall time inside the gap is moved to. */
  | 'gap-end'
  /** Inside the repeated span, its first occurrence (before the clocks go back). */
  | 'repeat-first'
  /** Inside the repeated span, its second occurrence. */
  | 'repeat-second'
  /** Elsewhere on that day. */
  | 'same-day';

export interface DstRun {
  transition: DstTransition;
  position: DstPosition;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Offsets run from -12:00 to +14:00: a local day lies within these margins of its UTC day. */
const MARGIN = 16 * HOUR;

/** The zone's offset from UTC at `ms`, in whole minutes. */
function offsetAt(ms: number, zone: string): number {
  return Math.round(offsetMs(ms, zone) / MINUTE);
}

/** "HH:MM" of a wall clock held as UTC ms. */
function hhmm(wallMs: number): string {
  return new Date(wallMs).toISOString().slice(11, 16);
}

/** The first whole second in (lo, hi] whose offset differs from lo's (one change in between). */
function changeInstant(lo: number, hi: number, zone: string): number {
  const before = offsetAt(lo, zone);
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (offsetAt(mid, zone) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

function transitionAt(at: number, before: number, after: number): DstTransition {
  const wallBefore = at + before * MINUTE;
  const wallAfter = at + after * MINUTE;
  const gap = after > before;
  const from = gap ? wallBefore : wallAfter;
  const to = gap ? wallAfter : wallBefore;
  return {
    kind: gap ? 'gap' : 'repeat',
    date: new Date(from).toISOString().slice(0, 10),
    from: hhmm(from),
    to: hhmm(to),
    at: new Date(at),
    offsetBefore: before,
    offsetAfter: after,
  };
}

/**
 * Every offset change on the local day (in `zone`) that contains `instant`, in order. Scans the
 * day's UTC offsets hour by hour (skipped when the offsets on both sides of the day agree), then
 * narrows each change to the second, so 30-minute shifts (Australia/Lord_Howe) are found too.
 * A change belongs to the day on which its skipped or repeated span starts.
 */
export function dstTransitionsOn(instant: Date | string, zone: string): DstTransition[] {
  const ms = new Date(instant).getTime();
  if (Number.isNaN(ms)) return [];
  const dayStart = Math.floor(wallClockMs(ms, zone) / DAY) * DAY;
  const date = new Date(dayStart).toISOString().slice(0, 10);
  const first = dayStart - MARGIN;
  const last = dayStart + DAY + MARGIN;
  if (offsetAt(first, zone) === offsetAt(last, zone)) return [];
  const found: DstTransition[] = [];
  let prev = offsetAt(first, zone);
  for (let t = first + HOUR; t <= last; t += HOUR) {
    const offset = offsetAt(t, zone);
    if (offset === prev) continue;
    const at = changeInstant(t - HOUR, t, zone);
    const transition = transitionAt(at, prev, offset);
    if (transition.date === date) found.push(transition);
    prev = offset;
  }
  return found;
}

/** The first offset change on the local day (in `zone`) that contains `instant`, or null. */
export function dstTransitionOn(instant: Date | string, zone: string): DstTransition | null {
  return dstTransitionsOn(instant, zone)[0] ?? null;
}

/** Where `instant` falls relative to a transition of its day. */
export function dstPosition(instant: Date | string, transition: DstTransition): DstPosition {
  const ms = Math.floor(new Date(instant).getTime() / 1000) * 1000;
  const at = transition.at.getTime();
  if (transition.kind === 'gap') return ms === at ? 'gap-end' : 'same-day';
  const span = (transition.offsetBefore - transition.offsetAfter) * MINUTE;
  if (ms >= at - span && ms < at) return 'repeat-first';
  if (ms >= at && ms < at + span) return 'repeat-second';
  return 'same-day';
}

/**
 * The offset change of the day a run falls on (in the job's `zone`) and where the run falls
 * relative to it (the change the run is closest to when the day has several); null on a day
 * without one.
 */
export function dstRun(instant: Date | string, zone: string): DstRun | null {
  const transitions = dstTransitionsOn(instant, zone);
  if (!transitions.length) return null;
  const placed = transitions.map((transition) => ({ transition, position: dstPosition(instant, transition) }));
  return placed.find((p) => p.position !== 'same-day') ?? placed[0];
}
