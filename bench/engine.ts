/**
 * `npm run bench [-- --n 100,1000,5000 --window 25 --repeat 3 --systems cronboard,floor,bullmq --ramp --task log.message --trigger interval]`
 *
 * N jobs each firing every second, measured one system after another on this machine:
 * Cronboard's engine (MariaDB), croner in memory (the floor) and BullMQ job schedulers (Redis).
 * Prints one table of medians and writes every run to bench/results/<timestamp>.json. With
 * --ramp, then raises N for each system (from --ramp-from, ×1.25) until it falls behind: kept
 * < 99% or p99 ≥ 1 s; the last N that kept up is its ceiling.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runBullmq } from './lib/bullmq';
import { BENCH_TASKS, BENCH_TRIGGERS, runCronboard } from './lib/cronboard';
import { runFloor } from './lib/floor';
import { ROOT, type RunOptions } from './lib/proc';
import { calibrate, calibrationText } from './lib/report';
import { medianSample, type Sample } from './lib/stats';

const SYSTEMS: Record<string, (n: number, o: RunOptions) => Promise<Sample>> = {
  cronboard: runCronboard,
  floor: runFloor,
  bullmq: runBullmq,
};

const { values: flags } = parseArgs({
  options: {
    n: { type: 'string', default: '100,1000,5000' },
    window: { type: 'string', default: '25' },
    repeat: { type: 'string', default: '3' },
    systems: { type: 'string', default: Object.keys(SYSTEMS).join(',') },
    /** After the table: raise N for each system until it falls behind (kept < 99% or p99 ≥ 1 s). */
    ramp: { type: 'boolean', default: false },
    'ramp-from': { type: 'string', default: '5000' },
    'ramp-to': { type: 'string', default: '40000' },
    /** The task of Cronboard's jobs: log.message (returns at once) or util.sleep (0 ms, a promise). */
    task: { type: 'string', default: 'log.message' },
    /** The trigger of Cronboard's jobs: interval (every 1 s) or cron (`* * * * * *` in Europe/Berlin). */
    trigger: { type: 'string', default: 'interval' },
  },
});

const ns = flags.n.split(',').map((s) => Number(s.trim()));
const repeat = Number(flags.repeat);
const systems = flags.systems.split(',').map((s) => s.trim());
const options: RunOptions = { windowS: Number(flags.window), warmupMs: 5000, settleMs: 3000, task: flags.task, trigger: flags.trigger };
if (!BENCH_TASKS[flags.task]) throw new Error(`--task takes one of ${Object.keys(BENCH_TASKS).join(', ')}, got "${flags.task}"`);
if (!BENCH_TRIGGERS[flags.trigger]) throw new Error(`--trigger takes one of ${Object.keys(BENCH_TRIGGERS).join(', ')}, got "${flags.trigger}"`);
for (const v of [...ns, repeat, options.windowS]) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`--n, --window and --repeat take positive integers, got ${v}`);
}
for (const s of systems) if (!SYSTEMS[s]) throw new Error(`unknown system "${s}" (known: ${Object.keys(SYSTEMS).join(', ')})`);

const fmt = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '-');

function table(rows: Sample[]): string {
  const head = ['system', 'N', 'fires kept %', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'CPU %', 'DB CPU %', 'peak RSS MB'];
  const body = rows.map((r) => [
    r.system,
    String(r.n),
    fmt(r.keptPct, 2),
    fmt(r.lateness.p50),
    fmt(r.lateness.p95),
    fmt(r.lateness.p99),
    fmt(r.lateness.max),
    fmt(r.cpuPct, 1),
    fmt(r.serverCpuPct, 1),
    fmt(r.peakRssMb),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i < 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (i < 1 ? ':' : '-') + '-'.repeat(w) + (i < 1 ? '-' : ':')).join('|')}|`, ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const calibration = await calibrate('mysql://root@127.0.0.1:3306/');
  console.error(`[bench] ${calibrationText(calibration)}`);
  const runs: Sample[] = [];
  const medians: Sample[] = [];
  for (const n of ns) {
    const perSystem = new Map<string, Sample[]>(systems.map((s) => [s, []]));
    for (let r = 1; r <= repeat; r++) {
      for (const system of systems) {
        console.error(`[bench] ${system} N=${n} run ${r}/${repeat} (${options.windowS} s window)…`);
        const sample = await SYSTEMS[system](n, options);
        console.error(
          `[bench]   kept ${fmt(sample.keptPct, 2)} %, p50/p99 ${fmt(sample.lateness.p50)}/${fmt(sample.lateness.p99)} ms, CPU ${fmt(sample.cpuPct, 1)} % (DB ${fmt(sample.serverCpuPct, 1)} %), RSS ${fmt(sample.peakRssMb)} MB`,
        );
        runs.push(sample);
        perSystem.get(system)!.push(sample);
      }
    }
    for (const system of systems) medians.push(medianSample(perSystem.get(system)!));
  }

  console.log(`\nN jobs each firing every second (Cronboard's: task ${options.task}, ${options.trigger} trigger); ${options.windowS} s window after a ${options.warmupMs / 1000} s warm-up; median of ${repeat} run(s).`);
  console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${fmt(os.totalmem() / 2 ** 30, 1)} GB, Node ${process.version}; ${calibrationText(calibration)}.\n`);
  console.log(table(medians));
  const ratios: Array<{ n: number; p99VsFloor: number; p99VsBullmq: number }> = [];
  for (const n of ns) {
    const p99 = (s: string) => medians.find((m) => m.system === s && m.n === n)?.lateness.p99 ?? NaN;
    const ratio = { n, p99VsFloor: p99('cronboard') / p99('floor'), p99VsBullmq: p99('cronboard') / p99('bullmq') };
    ratios.push(ratio);
    console.log(`N=${n}: p99 Cronboard/floor ${fmt(ratio.p99VsFloor, 2)}×, Cronboard/BullMQ ${fmt(ratio.p99VsBullmq, 2)}×`);
  }

  const ceilings: Array<{ system: string; ceiling: number; steps: Sample[] }> = [];
  if (flags.ramp) {
    for (const system of systems) {
      const steps: Sample[] = [];
      let ceiling = 0;
      for (let n = Number(flags['ramp-from']); n <= Number(flags['ramp-to']); n = Math.round((n * 1.25) / 500) * 500) {
        console.error(`[bench] ramp: ${system} N=${n} (${options.windowS} s window)…`);
        const sample = await SYSTEMS[system](n, options);
        steps.push(sample);
        const keeps = sample.keptPct >= 99 && sample.lateness.p99 < 1000;
        console.error(`[bench]   kept ${fmt(sample.keptPct, 2)} %, p99 ${fmt(sample.lateness.p99)} ms: ${keeps ? 'keeps up' : 'falls behind'}`);
        if (!keeps) break;
        ceiling = n;
      }
      ceilings.push({ system, ceiling, steps });
      console.log(`Ceiling of ${system} (kept ≥ 99% and p99 < 1 s): ${ceiling ? `${ceiling} fires/s` : `below ${flags['ramp-from']}`}`);
    }
    console.log(`\n${table(ceilings.flatMap((c) => c.steps))}`);
  }

  const dir = path.join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGb: os.totalmem() / 2 ** 30, node: process.version, platform: `${os.type()} ${os.release()}`, calibration };
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine, options: { ns, repeat, systems, ...options }, medians, ratios, ceilings, runs }, null, 2)}\n`);
  console.log(`\nJSON: ${path.relative(ROOT, file)}`);
}

main().catch((err: unknown) => {
  console.error('[bench] failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
