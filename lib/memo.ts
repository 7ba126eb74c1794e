/**
 * `make`, remembered by key: each value is made once and kept, at most `cap` of them (when full,
 * they start again). For values that are costly to make and asked for again and again from a
 * small set that changes slowly: formatters per time zone, descriptions per cron expression,
 * instants around now. A `make` that throws keeps nothing (the next call throws again).
 */
export function memo<K, V>(cap: number, make: (key: K) => V): (key: K) => V {
  const kept = new Map<K, V>();
  return (key) => {
    const known = kept.get(key);
    if (known !== undefined || kept.has(key)) return known as V;
    const value = make(key);
    if (kept.size >= cap) kept.clear();
    kept.set(key, value);
    return value;
  };
}
