/**
 * Wall time <-> instant conversions in an IANA zone, for the date trigger's datetime-local input.
 * Client-safe (Intl only).
 */

import { offsetMs, wallClockMs } from '@/lib/time';

const WALL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Parses "YYYY-MM-DDTHH:mm[:ss]" into its wall clock as UTC ms, or null when malformed. */
function parseWall(wall: string): number | null {
  const m = WALL_RE.exec(wall.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0));
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return ms;
}

/**
 * The instant at which the clocks in `zone` show `wall` ("2026-11-24T09:30", a datetime-local
 * value). A wall time that occurs twice (fall back) gives its first occurrence; one that does not
 * exist (spring forward) gives the instant the gap ends, like the cron rules in DESIGN.md.
 * Returns null for a malformed value.
 */
export function wallTimeToInstant(wall: string, zone: string): Date | null {
  const wallMs = parseWall(wall);
  if (wallMs === null) return null;
  const before = offsetMs(wallMs - 86_400_000, zone);
  const after = offsetMs(wallMs + 86_400_000, zone);
  const candidates = [wallMs - before, wallMs - after]
    .filter((t) => wallClockMs(t, zone) === wallMs)
    .sort((a, b) => a - b);
  if (candidates.length) return new Date(candidates[0]);
  // In a gap: find the transition between the two candidate instants (the first one with the later offset).
  let lo = Math.min(wallMs - before, wallMs - after);
  let hi = Math.max(wallMs - before, wallMs - after);
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (offsetMs(mid, zone) === after) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/** "+01:00", "-03:30", "+00:00" for an offset in ms. */
function formatOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const total = Math.round(Math.abs(ms) / 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${sign}${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
}

/** ISO 8601 of `instant` with the zone's offset, e.g. "2026-11-24T09:30:00+01:00". */
export function toZonedIso(instant: Date, zone: string): string {
  const t = Math.floor(instant.getTime() / 1000) * 1000;
  const wall = new Date(wallClockMs(t, zone)).toISOString().slice(0, 19);
  return `${wall}${formatOffset(offsetMs(t, zone))}`;
}

/** The datetime-local value ("2026-11-24T09:30", seconds only when not zero) of `instant` in `zone`. */
export function instantToWallTime(instant: Date | string, zone: string): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(d.getTime())) return '';
  const wall = new Date(wallClockMs(d.getTime(), zone)).toISOString();
  return wall.slice(17, 19) === '00' ? wall.slice(0, 16) : wall.slice(0, 19);
}
