/**
 * Items already sorted by `value`, in runs whose consecutive values are at most `gap` apart: the
 * stretches of nearby ids that one statement can cover (a range, or values picked by position).
 */
export function nearbyRuns<T>(sorted: T[], value: (item: T) => number, gap: number): T[][] {
  const runs: T[][] = [];
  for (const item of sorted) {
    const last = runs.at(-1);
    if (last && value(item) - value(last.at(-1)!) <= gap) last.push(item);
    else runs.push([item]);
  }
  return runs;
}
