import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * A minor collection (a scavenge of V8's young generation) on demand, for the quiet moment before
 * a second's fires start. The engine allocates several kilobytes a fire (claims, statements,
 * runs), so at 1,000 fires a second its young generation fills about once a second, and the
 * burst of starting a second's runs is where it filled: the scavenge then stopped the start
 * loop midway, and the last fires of that second started 5-13 ms later. Emptied beforehand, the
 * young generation has room for the burst.
 */

type Gc = (options: { type: 'minor'; execution: 'sync' }) => void;

let collect: Gc | null | undefined;

/**
 * V8's gc(): the global one when node runs with --expose-gc, else taken once from a fresh context
 * with --expose-gc set for that moment; null if that fails.
 */
function collector(): Gc | null {
  if (collect !== undefined) return collect;
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return (collect = exposed as Gc);
  try {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as Gc;
  } catch {
    collect = null;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
  return typeof collect === 'function' ? collect : (collect = null);
}

/** The young generation as V8 reports it, in bytes. */
export interface YoungSpace {
  used: number;
  capacity: number;
}

/** The young generation now (null if V8 has none by that name). */
export function readYoung(): YoungSpace | null {
  const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  return young ? { used: young.space_used_size, capacity: young.space_used_size + young.space_available_size } : null;
}

/** Scavenges now; whether it could. */
export function scavenge(): boolean {
  const gc = collector();
  if (!gc) return false;
  gc({ type: 'minor', execution: 'sync' });
  return true;
}

/**
 * V8 posts a scavenge of its own once the young generation is this full (its scavenge task), run
 * at the event loop's next turn: amid a second's fires, if they filled it.
 */
const V8_TASK_TRIGGER = 0.8;
/** The room left for a burst: this many times the largest of the last few. */
const BURST_MARGIN = 1.5;
const BURSTS_KEPT = 8;
/** Before any burst was measured, one is taken to be this fraction of the young generation. */
const FIRST_BURST = 0.25;

/**
 * Makes room in the young generation for the burst of an instant's fires, from the moment its
 * first fires are claimed (prepare) to the end of its start loop (started). How much a burst
 * allocates (the rest of the claim turn, starting the runs, and whatever else runs meanwhile: a
 * retention batch, an HTTP task) is measured each time, and the young generation is scavenged
 * beforehand when the largest recent burst, with a margin, would take it past V8's own trigger.
 * (In the interference benchmark, with a fixed threshold, "scavenge when 40% full", and a 50 ms
 * lookahead, 4-11 of a run's ~53 seconds filled it again amid the fires; with this and 200 ms,
 * 1-4. Which of the two did how much was not measured apart.)
 */
export class BurstRoom {
  private readonly bursts: number[] = [];
  /** The instant prepared for, and the young generation then; null when none is. */
  private prepared: { at: number; before: YoungSpace } | null = null;

  constructor(
    private readonly read: () => YoungSpace | null = readYoung,
    private readonly collect: () => boolean = scavenge,
  ) {}

  /** The burst expected next, in bytes. */
  expected(capacity: number): number {
    return this.bursts.length ? Math.max(...this.bursts) : FIRST_BURST * capacity;
  }

  /** Before the fires of instant `at`: scavenges when the coming burst may not fit; whether it did. */
  prepare(at: number): boolean {
    let young = this.read();
    if (!young) return false;
    let scavenged = false;
    if (young.used + BURST_MARGIN * this.expected(young.capacity) > V8_TASK_TRIGGER * young.capacity) {
      scavenged = this.collect();
      if (scavenged) young = this.read() ?? young;
    }
    this.prepared = { at, before: young };
    return scavenged;
  }

  /** The fires of instant `at` have started: if it was the one prepared for, its burst is noted. */
  started(at: number): void {
    if (this.prepared?.at !== at) return;
    const { before } = this.prepared;
    this.prepared = null;
    const now = this.read();
    if (!now) return;
    // Used space that went down means a scavenge came amid the burst: the burst filled the young
    // generation to V8's trigger at least, then allocated what is in use now. (A scavenge after
    // which more was allocated than was in use before goes unseen, and the burst is measured
    // short: the largest of the last few is what counts.)
    const burst = now.used >= before.used ? now.used - before.used : Math.max(0, V8_TASK_TRIGGER * before.capacity - before.used) + now.used;
    this.bursts.push(burst);
    if (this.bursts.length > BURSTS_KEPT) this.bursts.shift();
  }
}
