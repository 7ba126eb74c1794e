/** Child processes and what /proc says about them: CPU time, peak RSS; plus small timing helpers. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSample, type Sample } from './stats';

export interface RunOptions {
  windowS: number;
  warmupMs: number;
  /** After the window, how long late fires of the window may still start. */
  settleMs: number;
  /** The task of Cronboard's jobs (BENCH_TASKS): `log.message` returns at once, `util.sleep` (0 ms) returns a promise. */
  task?: string;
  /** The trigger of Cronboard's jobs (BENCH_TRIGGERS): `interval` (every 1 s) or `cron` (`* * * * * *` in Europe/Berlin). */
  trigger?: string;
}

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
export const sleepUntil = (epochMs: number) => sleep(epochMs - Date.now());

/** User + system CPU seconds a process has used so far (/proc/<pid>/stat fields 14 and 15). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; fields after its closing ")" start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/**
 * The pid of a local server process by name (`mariadbd`, `redis-server`), or null when there is
 * none on this machine (a remote server: its CPU is then not measured).
 */
export function serverPid(...names: string[]): number | null {
  for (const dir of readdirSync('/proc')) {
    if (!/^\d+$/.test(dir)) continue;
    try {
      if (names.includes(readFileSync(`/proc/${dir}/comm`, 'utf8').trim())) return Number(dir);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

/** Peak resident set size of a live process in MB (/proc/<pid>/status VmHWM). */
export function peakRssMb(pid: number): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** A path in the temp folder for a child's output (kept only when something fails). */
export const logPath = (name: string) => path.join(os.tmpdir(), `cronboard-bench-${name}.log`);

export interface SpawnOptions {
  env?: Record<string, string>;
  logFile: string;
  ipc?: boolean;
  /**
   * In a session of its own, as a service manager or a container runtime starts a service. With
   * the kernel's autogroup scheduling (Linux's default on desktops and on these machines), the
   * processes of one session share one CPU share: a web server started in the benchmark's session
   * takes its page rendering out of the engine's share. Stopped when the benchmark exits.
   */
  ownSession?: boolean;
}

/**
 * Process groups of the children started in a session of their own: the terminal's Ctrl-C does
 * not reach them, so they are stopped, the whole group, when the benchmark exits.
 */
const ownGroups = new Set<number>();
let exitHooked = false;

/** Sends `signal` to a child, or to its whole process group when it leads one of its own. */
function signalChild(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid && ownGroups.has(child.pid)) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    for (const pgid of ownGroups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) process.once(signal, () => process.exit(code));
}

/** Starts `node --import tsx <script>` from the repo root; stdout/stderr go to `logFile`, optionally with an IPC channel. */
export function spawnTsx(script: string, args: string[], opts: SpawnOptions): ChildProcess {
  return spawnNode(['--import', 'tsx', script, ...args], opts);
}

/** Starts `node <args>` from the repo root, output to `logFile`. */
export function spawnNode(args: string[], opts: SpawnOptions): ChildProcess {
  return spawnLogged(process.execPath, args, opts);
}

/** Starts `command <args>` from the repo root, output to `logFile`. */
export function spawnLogged(command: string, args: string[], opts: SpawnOptions): ChildProcess {
  const fd = openSync(opts.logFile, 'w');
  try {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...opts.env },
      stdio: opts.ipc ? ['ignore', fd, fd, 'ipc'] : ['ignore', fd, fd],
      detached: opts.ownSession ?? false,
    });
    if (opts.ownSession && child.pid) {
      ownGroups.add(child.pid);
      hookExit();
    }
    return child;
  } finally {
    closeSync(fd);
  }
}

/** Resolves with the child's first IPC message of `type`; rejects when it exits first or time runs out. */
export function nextMessage<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, value?: T) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value as T);
    };
    const onMessage = (m: unknown) => {
      if ((m as { type?: string })?.type === type) done(null, m as T);
    };
    const onExit = (code: number | null) => done(new Error(`child exited (${code}) before sending "${type}"`));
    const timer = setTimeout(() => done(new Error(`no "${type}" from the child within ${timeoutMs} ms`)), timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** SIGTERM, then SIGKILL after `graceMs` (to its whole group when it leads one of its own); resolves once the child has exited. */
export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalChild(child, 'SIGTERM');
  const timer = setTimeout(() => signalChild(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export interface Window {
  /** Epoch ms, a whole second; fires scheduled in [start, end) count. */
  start: number;
  end: number;
}

/**
 * Waits `warmupMs`, picks the window (whole seconds), calls `beforeStart` with it, and measures
 * the process's CPU over the window as a % of one core.
 */
export async function measureWindow(
  pid: number,
  warmupMs: number,
  windowS: number,
  beforeStart?: (w: Window) => void,
  serverPid?: number | null,
): Promise<Window & { cpuPct: number; serverCpuPct: number }> {
  await sleep(warmupMs);
  const start = Math.ceil((Date.now() + 200) / 1000) * 1000;
  const w = { start, end: start + windowS * 1000 };
  beforeStart?.(w);
  await sleepUntil(w.start);
  const c0 = cpuSeconds(pid);
  const s0 = serverPid ? cpuSeconds(serverPid) : NaN;
  const t0 = performance.now();
  await sleepUntil(w.end);
  const c1 = cpuSeconds(pid);
  const s1 = serverPid ? cpuSeconds(serverPid) : NaN;
  const seconds = (performance.now() - t0) / 1000;
  return { ...w, cpuPct: (100 * (c1 - c0)) / seconds, serverCpuPct: (100 * (s1 - s0)) / seconds };
}

/** True when `moduleUrl` is the script node was started with (a module doubling as a child's entry). */
export const isMain = (moduleUrl: string) => process.argv[1] === fileURLToPath(moduleUrl);

/**
 * Parent side of a child that times its own fires (the floor, BullMQ): starts
 * `node --import tsx <script> --child <n>`, waits for "ready", sends it the window, measures its
 * CPU and peak RSS, then asks for the lateness of the fires it saw in the window.
 */
export async function runReportingChild(system: string, script: string, n: number, o: RunOptions, server: number | null = null): Promise<Sample> {
  const log = logPath(`${system}-${n}`);
  const child = spawnTsx(script, ['--child', String(n)], { logFile: log, ipc: true });
  try {
    await nextMessage(child, 'ready', 300_000);
    const w = await measureWindow(child.pid!, o.warmupMs, o.windowS, (win) => child.send({ type: 'window', ...win }), server);
    await sleep(o.settleMs);
    const rss = peakRssMb(child.pid!);
    child.send({ type: 'report' });
    const { lateness } = await nextMessage<{ lateness: number[] }>(child, 'result', 60_000);
    rmSync(log, { force: true });
    return makeSample(system, n, o.windowS, lateness, w.cpuPct, rss, undefined, w.serverCpuPct);
  } catch (err) {
    throw new Error(`${system} N=${n}: ${err instanceof Error ? err.message : err} (child output: ${log})`);
  } finally {
    await stopChild(child);
  }
}

/**
 * Child side: returns `record(scheduledMs, startedMs)`, which keeps the lateness of fires
 * scheduled inside the window the parent sends, and answers the parent's "report".
 */
export function lateRecorder(): (scheduledMs: number, startedMs: number) => void {
  let w: Window = { start: Infinity, end: -Infinity };
  const late: number[] = [];
  process.on('message', (m: { type: string } & Partial<Window>) => {
    if (m.type === 'window') w = { start: m.start!, end: m.end! };
    else if (m.type === 'report') process.send!({ type: 'result', lateness: late });
  });
  return (scheduled, started) => {
    if (scheduled >= w.start && scheduled < w.end) late.push(started - scheduled);
  };
}
