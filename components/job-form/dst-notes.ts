import { cronCalculator } from '@/lib/cron';
import { dstRun, dstTransitionsOn, type DstTransition } from '@/lib/dst';
import type { TriggerFormValues } from './trigger-build';

const MINUTE = 60_000;
/** Moved wall times named in a note at most; more are summed up as "…". */
const MAX_LISTED = 3;

/** "02:30", or "02:30:15" when the seconds are not zero, of a wall clock held as UTC ms. */
function wallText(wallMs: number): string {
  const iso = new Date(wallMs).toISOString();
  return iso.slice(17, 19) === '00' ? iso.slice(11, 16) : iso.slice(11, 19);
}

/**
 * The wall times the trigger asks for inside a gap (they do not exist that day, so a fixed time
 * among them fires when the gap ends): the cron expression's matches on that day, or the date
 * trigger's own time. Intervals follow real instants and ask for none.
 */
export function wallTimesInGap(trigger: TriggerFormValues, gap: DstTransition): string[] {
  const start = Date.parse(`${gap.date}T${gap.from}:00Z`);
  const end = start + (gap.offsetAfter - gap.offsetBefore) * MINUTE;
  if (trigger.type === 'date') {
    const wall = Date.parse(`${trigger.runAt.trim()}Z`);
    return wall >= start && wall < end ? [wallText(wall)] : [];
  }
  if (trigger.type !== 'cron') return [];
  try {
    // In UTC the calculator reads the expression as plain wall times, gap or not.
    const runs = cronCalculator(trigger.expression, 'UTC').nextRuns(MAX_LISTED + 1, new Date(start - 1000));
    return runs.filter((r) => r.getTime() < end).map((r) => wallText(r.getTime()));
  } catch {
    return [];
  }
}

function listed(times: string[]): string {
  return times.length > MAX_LISTED ? `${times.slice(0, MAX_LISTED).join(', ')}…` : times.join(', ');
}

/**
 * A run's DST note in the job's zone: a fixed time moved to the end of a gap, or which occurrence
 * of a repeated hour it is. Null when the run is not affected.
 */
export function runDstNote(run: string, zone: string, trigger: TriggerFormValues): string | null {
  const placed = dstRun(run, zone);
  if (!placed) return null;
  const { transition: t, position } = placed;
  switch (position) {
    case 'gap-end': {
      const moved = wallTimesInGap(trigger, t);
      if (!moved.length) return null;
      const verb = moved.length === 1 ? 'runs' : 'run';
      return `DST: clocks jump from ${t.from} to ${t.to} this day; ${listed(moved)} ${verb} at ${t.to}.`;
    }
    case 'repeat-first':
      return `DST: ${t.from}–${t.to} happens twice this day; this is the first.`;
    case 'repeat-second':
      return `DST: ${t.from}–${t.to} happens twice this day; this is the second.`;
    default:
      return null;
  }
}

function sentence(t: DstTransition, where: string): string {
  return t.kind === 'gap'
    ? `on ${t.date} clocks ${where} jump from ${t.from} to ${t.to}, so ${t.from}–${t.to} does not exist`
    : `on ${t.date} clocks ${where} go back from ${t.to} to ${t.from}, so ${t.from}–${t.to} happens twice`;
}

/**
 * One sentence about the DST changes on the days of the listed runs, in the job's zone and (when
 * it differs) the viewer's; null when no run falls on such a day.
 */
export function dstSummary(runs: string[], zone: string, viewer: string): string | null {
  const parts: string[] = [];
  const seen = new Set<string>();
  const zones = viewer === zone ? [[zone, `in ${zone}`]] : [[zone, `in ${zone}`], [viewer, `in your zone (${viewer})`]];
  for (const [z, where] of zones) {
    for (const run of runs) {
      for (const t of dstTransitionsOn(run, z)) {
        const key = `${z}|${t.date}|${t.at.toISOString()}`;
        if (seen.has(key)) continue;
        seen.add(key);
        parts.push(sentence(t, where));
      }
    }
  }
  if (!parts.length) return null;
  return `Daylight saving time: ${parts.join('; ')}.`;
}
