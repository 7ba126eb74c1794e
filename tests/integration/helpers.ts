import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, disconnect, type Db } from '../../db/client';
import { dropDatabase, prepareDatabase } from '../../db/migrate';
import type { SchedulerContext } from '../../scheduler/context';
import { notifyJobsChanged } from '../../scheduler/context';
import type { EngineLogger } from '../../scheduler/log';

/**
 * Integration test plumbing: a fresh database per test file (like pg-boss's schema per test),
 * condition waits with deadlines, and scheduler child processes that are always reaped.
 */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Server part of the test databases' URL (override with TEST_DATABASE_SERVER, e.g. mysql://root@db:3306). */
export const SERVER = (process.env.TEST_DATABASE_SERVER ?? 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');

/** A job_executions row as the engine tests read it back (snake_case, as mysql2 returns it). */
export interface FireRow {
  id: number;
  job_id: string;
  scheduled_for: Date;
  started_at: Date | null;
  finished_at: Date | null;
  status: string;
  attempt: number;
  missed_count: number | null;
  missed_until: Date | null;
  instance: string | null;
  error: string | null;
}

export interface TestDatabase {
  /** mysql://.../cronboard_test_<label>_<random> */
  url: string;
  /** Its database name. */
  name: string;
  /** A context over a pool on `url`: real clock, UTC default zone, wakes local engines on change. */
  ctx: SchedulerContext;
  db: Db;
  /** Runs raw SQL on the test database (rows for SELECT). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Closes the pool and drops the database. Safe to call twice. */
  cleanup(): Promise<void>;
}

/**
 * Creates and migrates a uniquely named database. `label` names the test file ("engine"); the
 * random suffix keeps parallel runs and leftovers of crashed runs apart.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const safe = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30);
  const name = `cronboard_test_${safe}_${randomBytes(4).toString('hex')}`;
  const url = `${SERVER}/${name}`;
  await prepareDatabase(url);
  const handle = connect(url);
  const ctx: SchedulerContext = { db: handle.db, now: () => new Date(), defaultTimezone: 'UTC', notify: notifyJobsChanged };
  let cleaned: Promise<void> | null = null;
  return {
    url,
    name,
    ctx,
    db: handle.db,
    async query<T>(sql: string, params: unknown[] = []) {
      const [rows] = await handle.pool.query(sql, params);
      return rows as T[];
    },
    cleanup() {
      cleaned ??= (async () => {
        await disconnect(url);
        await dropDatabase(url);
      })();
      return cleaned;
    },
  };
}

export interface WaitOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Poll period (default 100 ms). */
  intervalMs?: number;
  /** Said in the timeout error. */
  message?: string;
}

/**
 * Polls `condition` until it returns a truthy value (which is returned) or the deadline passes
 * (then throws, with the last value or error seen). A condition may be async and may throw
 * (e.g. a failing expect) while it is not yet satisfied.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  let lastError: unknown;
  for (;;) {
    try {
      last = await condition();
      lastError = undefined;
      if (last) return last as NonNullable<T>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? lastError.message : JSON.stringify(last);
      throw new Error(`waitFor timed out after ${timeoutMs} ms${options.message ? ` (${options.message})` : ''}; last: ${detail}`, {
        cause: lastError,
      });
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** An engine logger that keeps what it is told (tests assert on warnings and errors). */
export function recordingLogger(): EngineLogger & { lines: Array<{ level: string; message: string; err?: unknown }> } {
  const lines: Array<{ level: string; message: string; err?: unknown }> = [];
  return {
    lines,
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message, err) => lines.push({ level: 'warn', message, err }),
    error: (message, err) => lines.push({ level: 'error', message, err }),
  };
}

/** Active (ref'd) timers of this process: a stopped engine must leave none behind. */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface SchedulerProcess {
  name: string;
  /** How it was started: `npx tsx scripts/scheduler.ts`, or `node --import tsx scripts/scheduler.ts`. */
  via: 'npx' | 'node';
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (or signal name) of the spawned process once it has exited and its output is closed. */
  exited: Promise<number | string>;
  /** True once the spawned process has exited. */
  readonly hasExited: boolean;
}

const children = new Set<SchedulerProcess>();

/**
 * Processes of process group `pgid` that are still alive (zombies do not count: in a container
 * nobody may reap the grandchildren `npx` leaves behind). Linux /proc; elsewhere, signal 0.
 */
export function groupMembers(pgid: number): number[] {
  try {
    const pids: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') pids.push(Number(entry));
      } catch {
        // the process went away while we looked
      }
    }
    return pids;
  } catch {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
}

function signalGroup(p: SchedulerProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-p.child.pid!, signal);
  } catch {
    // group already gone
  }
}

/** Last-resort reaper: a test run that dies must not leave schedulers behind. */
process.once('exit', () => {
  for (const p of children) signalGroup(p, 'SIGKILL');
});

/**
 * Starts `scripts/scheduler.ts` in its own process (and process group), with DATABASE_URL and
 * INSTANCE_NAME set. `via: 'npx'` runs exactly `npx tsx scripts/scheduler.ts` (npm, tsx and
 * node: three processes); `via: 'node'` (default) runs `node --import tsx scripts/scheduler.ts`,
 * so the pid is the scheduler itself and its exit code is the scheduler's. Signals are sent to
 * the whole group, as a terminal or a container runtime does: `npx` does not forward SIGTERM to
 * its child, so signalling only its pid would orphan the scheduler.
 */
export function spawnScheduler(options: { url: string; name: string; via?: 'npx' | 'node'; env?: Record<string, string> }): SchedulerProcess {
  const via = options.via ?? 'node';
  const [command, args] =
    via === 'npx' ? ['npx', ['tsx', 'scripts/scheduler.ts']] : [process.execPath, ['--import', 'tsx', 'scripts/scheduler.ts']];
  const child = spawn(command, args, {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      DATABASE_URL: options.url,
      INSTANCE_NAME: options.name,
      SCHEDULER_ENABLED: 'true',
      NODE_ENV: 'production',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  let exited = false;
  const proc: SchedulerProcess = {
    name: options.name,
    via,
    child,
    output: () => out,
    exited: new Promise((resolve) => {
      // 'close', not 'exit': by then the output is complete (npx's children share its pipes).
      child.once('close', (code, signal) => {
        exited = true;
        resolve(code ?? signal ?? 'unknown');
      });
      child.once('error', (err) => {
        exited = true;
        out += `\nspawn error: ${err.message}`;
        resolve('spawn-error');
      });
    }),
    get hasExited() {
      return exited;
    },
  };
  children.add(proc);
  return proc;
}

/**
 * Sends `signal` to the process's group and waits until the spawned process has exited and no
 * process of its group is left; SIGKILLs the group after `timeoutMs`. Returns the spawned
 * process's exit code (or signal name) and whether it had to be killed.
 */
export async function stopProcess(p: SchedulerProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<{ code: number | string; killed: boolean }> {
  const pgid = p.child.pid;
  if (pgid === undefined) return { code: await p.exited, killed: false };
  signalGroup(p, signal);
  let killed = false;
  try {
    await waitFor(() => p.hasExited && groupMembers(pgid).length === 0, { timeoutMs, intervalMs: 50 });
  } catch {
    killed = true;
    signalGroup(p, 'SIGKILL');
    await waitFor(() => p.hasExited && groupMembers(pgid).length === 0, { timeoutMs: 5000, intervalMs: 50 }).catch(() => {});
  }
  children.delete(p);
  return { code: await p.exited, killed };
}

/** SIGKILLs every scheduler process group still alive (for afterAll, after the graceful path). */
export async function killAllSchedulers(): Promise<void> {
  await Promise.all([...children].map((p) => stopProcess(p, 'SIGKILL', 5_000)));
}

export interface TcpProxy {
  /** The port the proxy listens on (127.0.0.1). */
  port: number;
  /** `url` (a mysql:// URL of the proxied server) rewritten to go through the proxy. */
  urlFor(url: string): string;
  /** Simulates an outage: destroys every open connection and refuses new ones until restore(). */
  cut(): void;
  /** Ends the outage: new connections are forwarded again. */
  restore(): void;
  /** True between cut() and restore(). */
  readonly isCut: boolean;
  /** Counters: connections forwarded, refused while cut, and destroyed by cut(). */
  readonly stats: { forwarded: number; refused: number; destroyed: number };
  /** Stops listening and destroys every connection. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * A small TCP proxy the test controls, in front of the test database server (or `target`, a
 * mysql:// URL): point a process's DATABASE_URL at `urlFor(db.url)` and cut() its database
 * connection under load. While cut, new connections are accepted and closed at once, so the
 * client sees "connection lost" quickly instead of a hang.
 */
export async function startTcpProxy(target: string = SERVER): Promise<TcpProxy> {
  const to = new URL(target);
  const host = to.hostname;
  const port = Number(to.port || 3306);
  const pairs = new Set<() => void>();
  const stats = { forwarded: 0, refused: 0, destroyed: 0 };
  let cut = false;
  const server = createServer((client) => {
    if (cut) {
      stats.refused++;
      client.destroy();
      return;
    }
    stats.forwarded++;
    const backend = createConnection({ host, port });
    client.setNoDelay(true);
    backend.setNoDelay(true);
    // Either side closing or failing ends the pair, like a real broken connection.
    const end = () => {
      pairs.delete(end);
      client.destroy();
      backend.destroy();
    };
    pairs.add(end);
    for (const s of [client, backend]) {
      s.on('error', end);
      s.on('close', end);
    }
    client.pipe(backend);
    backend.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const listenPort = (server.address() as { port: number }).port;
  let closed: Promise<void> | null = null;
  const destroyAll = () => {
    for (const end of [...pairs]) {
      stats.destroyed++;
      end();
    }
  };
  return {
    port: listenPort,
    urlFor(url: string) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(listenPort);
      return u.toString();
    },
    cut() {
      cut = true;
      destroyAll();
    },
    restore() {
      cut = false;
    },
    get isCut() {
      return cut;
    },
    stats,
    close() {
      closed ??= new Promise<void>((resolve) => {
        cut = true;
        server.close(() => resolve());
        destroyAll();
      });
      return closed;
    },
  };
}

/**
 * The jobs whose runs in progress as claims see them (scheduler/slots.ts: a live lease, plus
 * jobs.running_count) differ from their `running` rows, with both numbers: [] when every job is
 * right. `running_count` here is that sum.
 */
export async function wrongRunningCounts(q: Pick<TestDatabase, 'query'>): Promise<Array<{ id: string; running_count: number; running_rows: number }>> {
  const rows = await q.query<{ id: string; running_count: number; running_rows: number }>(
    `SELECT j.id,
            j.running_count + EXISTS (SELECT 1 FROM job_executions l
                                       WHERE l.job_id = j.id AND l.scheduled_for = j.lease_at AND l.attempt = 1 AND l.status = 'running') AS running_count,
            (SELECT COUNT(*) FROM job_executions e WHERE e.job_id = j.id AND e.status = 'running') AS running_rows
       FROM jobs j`,
  );
  return rows
    .map((r) => ({ id: r.id, running_count: Number(r.running_count), running_rows: Number(r.running_rows) }))
    .filter((r) => r.running_count !== r.running_rows);
}
