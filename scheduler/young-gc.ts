import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * A minor collection (a scavenge of V8's young generation) on demand, for the quiet moment before
 * a second's fires start. The engine allocates several kilobytes a fire (claims, statements,
 * runs), so at 1,000 fires a second its young generation filled about once a second, and the
 * burst of starting a second's runs was where it filled: the scavenge then stopped the start
 * loop midway, and the last fires of that second started 5-13 ms later (in the interference
 * benchmark, in about half of the seconds that were late). Emptied beforehand, the young
 * generation has room for the burst.
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

/** Scavenges when the young generation is more than `fraction` full; whether it did. */
export function scavengeIfFilled(fraction: number): boolean {
  const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  if (!young || young.space_used_size < fraction * (young.space_used_size + young.space_available_size)) return false;
  const gc = collector();
  if (!gc) return false;
  gc({ type: 'minor', execution: 'sync' });
  return true;
}
