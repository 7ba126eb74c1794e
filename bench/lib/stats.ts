/** Percentiles, medians and the shape of one measured point. */

export interface Lateness {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** One run of one system at one N: what the table prints. */
export interface Sample {
  system: string;
  n: number;
  windowS: number;
  /** Fires due in the window: N × window seconds. */
  expected: number;
  /** Fires due in the window that started. */
  kept: number;
  keptPct: number;
  /** Start lateness in ms (start − scheduled instant). */
  lateness: Lateness;
  /** CPU of the measured process over the window, in % of one core. */
  cpuPct: number;
  /** Peak resident set (VmHWM) of the measured process, MB. */
  peakRssMb: number;
  /** CPU of the local server it stores in (MariaDB, Redis) over the window, in % of one core (NaN: none). */
  serverCpuPct: number;
  /** System-specific counts kept in the JSON only (e.g. missed/skipped rows). */
  extra?: Record<string, number>;
}

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarize(values: number[]): Lateness {
  const s = [...values].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.length ? s[s.length - 1] : NaN };
}

export function median(values: number[]): number {
  const s = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function makeSample(
  system: string,
  n: number,
  windowS: number,
  lateness: number[],
  cpuPct: number,
  peakRssMb: number,
  extra?: Record<string, number>,
  serverCpuPct = NaN,
): Sample {
  const expected = n * windowS;
  return {
    system,
    n,
    windowS,
    expected,
    kept: lateness.length,
    keptPct: (100 * lateness.length) / expected,
    lateness: summarize(lateness),
    cpuPct,
    peakRssMb,
    serverCpuPct,
    ...(extra ? { extra } : {}),
  };
}

/** The per-metric median of several runs of one point (each metric on its own). */
export function medianSample(runs: Sample[]): Sample {
  const m = (f: (s: Sample) => number) => median(runs.map(f));
  const first = runs[0];
  return {
    system: first.system,
    n: first.n,
    windowS: first.windowS,
    expected: first.expected,
    kept: m((s) => s.kept),
    keptPct: m((s) => s.keptPct),
    lateness: { p50: m((s) => s.lateness.p50), p95: m((s) => s.lateness.p95), p99: m((s) => s.lateness.p99), max: m((s) => s.lateness.max) },
    cpuPct: m((s) => s.cpuPct),
    peakRssMb: m((s) => s.peakRssMb),
    serverCpuPct: m((s) => s.serverCpuPct),
  };
}
