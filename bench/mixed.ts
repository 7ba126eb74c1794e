/**
 * `npm run bench:mixed [-- --quick 1000 --http 200 --every 5 --window 30]`: an instant shared by
 * quick jobs and HTTP request jobs. `--quick` `log.message` jobs fire every second; `--http`
 * `http.request` jobs, whose ids sort before theirs (so they are claimed first), fire every
 * `--every` seconds at a local port that accepts connections and never answers (as a host that
 * does not answer: each request opens a new TLS connection; each run ends at its 2 s timeout).
 * Prints, for the shared instants and for the other seconds, when the quick jobs' first and last
 * fires started and when the last HTTP request did (start lateness = started_at − scheduled_for).
 * The engine runs as `npm run scheduler` runs it. Not part of `npm test`.
 */
import path from 'node:path';
import net from 'node:net';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { dropDatabase, prepareDatabase } from '../db/migrate';
import { DEFAULT_JOB_OPTIONS } from '../lib/types';
import { BENCH_DATABASE_URL, insertFiringJobs } from './lib/cronboard';
import { logPath, ROOT, sleep, spawnNode, stopChild } from './lib/proc';
import { describeMachine, fmt, machineLine, markdownTable, writeResult } from './lib/report';
import { summarize } from './lib/stats';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'string', default: '1000' },
    http: { type: 'string', default: '200' },
    every: { type: 'string', default: '5' },
    window: { type: 'string', default: '30' },
  },
});
const positive = (name: string, value: string | undefined, max: number) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} takes a whole number from 1 to ${max}, got ${value}`);
  return n;
};
const opt = {
  quick: positive('quick', flags.quick, 50_000),
  http: positive('http', flags.http, 10_000),
  every: positive('every', flags.every, 59),
  windowS: positive('window', flags.window, 600),
};
if (60 % opt.every !== 0) throw new Error(`--every must divide 60 (cron */n), got ${opt.every}`);

/** The engine benchmark's database (bench/lib/cronboard.ts), dropped and made again. */
const DATABASE_URL = BENCH_DATABASE_URL;

/** A local port that accepts connections and never answers; closes them all on stop(). */
async function silentServer(): Promise<{ port: number; stop: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    stop: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Start lateness (ms) of a window's fires, by instant: the quick jobs' and the HTTP jobs'. */
async function byInstant(conn: mysql.Connection, start: number, end: number): Promise<Map<number, { quick: number[]; http: number[] }>> {
  const [rows] = await conn.query({
    sql: `SELECT scheduled_for, job_id LIKE 'bench-%', TIMESTAMPDIFF(MICROSECOND, scheduled_for, started_at) / 1000 FROM job_executions
           WHERE scheduled_for >= ? AND scheduled_for < ? AND started_at IS NOT NULL AND status NOT IN ('missed', 'skipped')`,
    values: [new Date(start), new Date(end)],
    rowsAsArray: true,
  });
  const instants = new Map<number, { quick: number[]; http: number[] }>();
  for (const [at, quick, ms] of rows as Array<[Date, number, string | number]>) {
    const entry = instants.get(at.getTime()) ?? { quick: [], http: [] };
    (Number(quick) ? entry.quick : entry.http).push(Number(ms));
    instants.set(at.getTime(), entry);
  }
  return instants;
}

async function main(): Promise<void> {
  const machine = await describeMachine('mysql://root@127.0.0.1:3306/');
  const silent = await silentServer();
  await dropDatabase(DATABASE_URL);
  await prepareDatabase(DATABASE_URL);
  const conn = await mysql.createConnection({ uri: DATABASE_URL, timezone: 'Z' });
  const log = logPath('mixed-engine');
  try {
    await insertFiringJobs(conn, opt.quick);
    const first = Math.ceil((Date.now() + 3000) / (opt.every * 1000)) * opt.every * 1000;
    const trigger = JSON.stringify({ type: 'cron', expression: `*/${opt.every} * * * * *`, timezone: 'UTC' });
    const rows = Array.from({ length: opt.http }, (_, i) => {
      const id = `aaa-http-${String(i).padStart(5, '0')}`;
      const args = JSON.stringify({ method: 'GET', url: `https://127.0.0.1:${silent.port}/jobs/${i}`, timeoutMs: 2000 });
      return [id, id, 'http.request', args, trigger, 'active', new Date(first), JSON.stringify(DEFAULT_JOB_OPTIONS)];
    });
    for (let i = 0; i < rows.length; i += 1000) {
      await conn.query('INSERT INTO jobs (id, name, task, args, `trigger`, state, next_run_at, options) VALUES ?', [rows.slice(i, i + 1000)]);
    }
    console.error(`[bench] ${fmt(opt.quick)} log.message jobs every second and ${fmt(opt.http)} http.request jobs every ${opt.every} s (at 127.0.0.1:${silent.port}, which never answers); warm-up 10 s, window ${opt.windowS} s…`);
    const engine = spawnNode([path.join(ROOT, 'scripts/scheduler.mjs')], { logFile: log, env: { DATABASE_URL, INSTANCE_NAME: 'bench-mixed', SHUTDOWN_GRACE_MS: '3000' } });
    const start = Math.ceil((Date.now() + 10_000) / 1000) * 1000;
    const end = start + opt.windowS * 1000;
    try {
      await sleep(end + 3000 - Date.now());
      if (engine.exitCode !== null) throw new Error(`the engine exited with code ${engine.exitCode}`);
    } finally {
      await stopChild(engine);
    }
    const instants = await byInstant(conn, start, end);
    // Each request should end at its 2 s timeout, failed; a run that outlives it skips the next fires.
    const [statuses] = await conn.query(
      `SELECT status, COUNT(*) AS fires, MIN(error) AS error FROM job_executions WHERE job_id NOT LIKE 'bench-%' AND scheduled_for >= ? AND scheduled_for < ? GROUP BY status`,
      [new Date(start), new Date(end)],
    );
    const outcomes = (statuses as Array<{ status: string; fires: number; error: string | null }>).map((r) => `${r.status} ${fmt(Number(r.fires))}${r.error ? ` (${r.error.slice(0, 80)})` : ''}`);
    console.error(`[bench] the HTTP requests' rows in the window: ${outcomes.join('; ') || 'none'}`);
    const shared = [...instants].filter(([, v]) => v.http.length > 0).map(([, v]) => v);
    const alone = [...instants].filter(([, v]) => v.http.length === 0).map(([, v]) => v);
    const quickFirst = (list: typeof shared) => summarize(list.map((v) => Math.min(...v.quick)));
    const quickLast = (list: typeof shared) => summarize(list.map((v) => Math.max(...v.quick)));
    const httpLast = summarize(shared.map((v) => Math.max(...v.http)));
    const kept = [...instants.values()].reduce((sum, v) => sum + v.quick.length, 0) / (opt.quick * opt.windowS);
    const ms = (s: ReturnType<typeof summarize>) => `${fmt(s.p50)} / ${fmt(s.max)}`;
    console.log(`\n${fmt(opt.quick)} quick jobs (log.message) every second, ${fmt(opt.http)} HTTP request jobs every ${opt.every} s listed ahead of them; ${opt.windowS} s window. Start lateness in ms, median / worst over the window's instants.`);
    console.log(machineLine(machine));
    console.log(
      markdownTable(
        ['instants', 'count', 'quick jobs: first start', 'quick jobs: last start', 'HTTP requests: last start'],
        [
          ['shared with the HTTP requests', String(shared.length), ms(quickFirst(shared)), ms(quickLast(shared)), ms(httpLast)],
          ['quick jobs only', String(alone.length), ms(quickFirst(alone)), ms(quickLast(alone)), ''],
        ],
      ),
    );
    console.log(`Quick jobs' fires kept: ${fmt(100 * kept, 2)} %.`);
    const perInstant = shared.map((v) => ({ quickFirst: Math.min(...v.quick), quickLast: Math.max(...v.quick), httpFires: v.http.length, httpLast: Math.max(...v.http) }));
    const file = writeResult('mixed', { date: new Date().toISOString(), machine, options: opt, shared: perInstant, otherInstants: alone.length, kept });
    console.log(`\nJSON: ${file}`);
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : err} (engine output: ${log})`);
  } finally {
    await conn.end();
    await dropDatabase(DATABASE_URL);
    await silent.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
