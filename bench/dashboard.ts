/**
 * `npm run bench:dashboard [-- --jobs 100000 --executions 1000000 --requests 200 --port 3210 --database cronboard_bench_dash]`
 *
 * The dashboard at scale: seeds a fresh database (`--database`, default cronboard_bench_dash) with realistic jobs and
 * executions, starts the production server on it (scripts/start.ts: migrate, build when stale,
 * `next start`; SCHEDULER_ENABLED=false so only the dashboard works), and times GETs through real
 * HTTP, one at a time after a warm-up: the jobs list (first page, searches, the lastStatus filter,
 * a deep page by cursor, and by OFFSET for comparison), a job's history, the 24 h summary, and
 * the overview and jobs pages (HTML). Then the retention task deletes the older half of the
 * history and its rate is reported. Prints one markdown table; JSON under bench/results/.
 */
import { parseArgs } from 'node:util';
import { connect, disconnect } from '../db/client';
import { dropDatabase, prepareDatabase } from '../db/migrate';
import { encodeJobCursor } from '../lib/job-cursor';
import { planJobSearch } from '../scheduler/job-search';
import { pruneHistory } from '../scheduler/tasks/prune-history';
import { startServer, timeGets } from './lib/http';
import { logPath, stopChild } from './lib/proc';
import { describeMachine, fmt, machineLine, markdownTable, writeResult } from './lib/report';
import { seedDashboard, type SeedResult } from './lib/seed';
import { summarize, type Lateness } from './lib/stats';

const API_TARGET_MS = 20;
const PAGE_TARGET_MS = 100;
const RETENTION_TARGET = 30_000;

const { values: flags } = parseArgs({
  options: {
    jobs: { type: 'string', default: '100000' },
    executions: { type: 'string', default: '1000000' },
    requests: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '20' },
    port: { type: 'string', default: '3210' },
    keep: { type: 'boolean', default: false },
    database: { type: 'string', default: 'cronboard_bench_dash' },
  },
});
if (!/^[A-Za-z0-9_]+$/.test(flags.database)) throw new Error(`--database takes a database name (letters, digits, _), got ${flags.database}`);
const DATABASE_URL = `mysql://root@127.0.0.1:3306/${flags.database}`;
const opt = {
  jobs: Number(flags.jobs),
  executions: Number(flags.executions),
  requests: Number(flags.requests),
  warmup: Number(flags.warmup),
  port: Number(flags.port),
};
for (const [k, v] of Object.entries(opt)) if (!Number.isInteger(v) || v < 0) throw new Error(`--${k} takes a whole number, got ${v}`);

interface Measure {
  name: string;
  path: string;
  kind: 'api' | 'page' | 'comparison';
  count?: number;
  next: (i: number) => string;
}

interface Row {
  name: string;
  path: string;
  target: string;
  ms: Lateness;
  pass: boolean | null;
}

/** Cursors of pages deep in the default sort (nextRunAt), at rows 20,000 to 80,000. */
async function deepCursors(count: number): Promise<string[]> {
  const handle = connect(DATABASE_URL);
  try {
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const offset = 20_000 + Math.floor((60_000 * i) / count);
      const [rows] = await handle.pool.query('SELECT next_run_at AS at, id FROM jobs WHERE next_run_at IS NOT NULL ORDER BY next_run_at, id LIMIT 1 OFFSET ?', [offset]);
      const row = (rows as Array<{ at: Date; id: string }>)[0];
      if (row) out.push(encodeJobCursor({ sort: 'nextRunAt', direction: 'after', key: { value: row.at.toISOString(), id: row.id }, page: Math.floor(offset / 20) + 2 }));
    }
    return out;
  } finally {
    await disconnect(DATABASE_URL);
  }
}

/** For each search word, the cursor to page 2 of its search (read through the API). */
async function searchCursors(base: string, headers: Record<string, string>, words: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const w of words) {
    const res = await fetch(`${base}/api/jobs?q=${encodeURIComponent(w)}`, { headers });
    const page = (await res.json()) as { nextCursor: string | null };
    if (page.nextCursor) out.push(`/api/jobs?q=${encodeURIComponent(w)}&cursor=${page.nextCursor}`);
  }
  return out;
}

/**
 * Searches the server has not seen: the prefixes of the seeded words (3 letters or more, shorter
 * than the word; each finds at least the word's 3–5 % of the jobs), each once. A search with more than 500 matches is remembered for 30 s and then skips its
 * lookup, and the other search rows repeat their words, so this row is the one that times the
 * lookup every time.
 */
function firstTimeSearches(words: string[]): string[] {
  const prefixes = words.filter((w) => /^[a-z]+$/.test(w)).flatMap((w) => Array.from({ length: Math.max(0, w.length - 3) }, (_, i) => w.slice(0, 3 + i)));
  return [...new Set(prefixes)].filter((p) => planJobSearch(p).words.length === 1);
}

function measures(seed: SeedResult, cursors: string[], searchPages: string[]): Measure[] {
  const words = seed.words;
  const fresh = firstTimeSearches(words);
  const pairs = words.slice(0, 30).map((w, i) => `${w} ${words[30 + (i % (words.length - 30))]}`);
  const historyIds = [...seed.busyJobIds.slice(0, 50), ...seed.jobIds.filter((_, i) => i % 997 === 500).slice(0, 50)];
  const at = <T>(xs: T[], i: number) => xs[i % xs.length];
  return [
    { name: 'jobs list, page 1 by next run', path: '/api/jobs?sort=nextRunAt', kind: 'api', next: () => '/api/jobs?sort=nextRunAt' },
    { name: 'jobs list, search one word (3–5 % of jobs)', path: '/api/jobs?q=<word>', kind: 'api', next: (i) => `/api/jobs?q=${encodeURIComponent(at(words, i))}` },
    {
      name: 'jobs list, search one word, first time (a prefix of a word)',
      path: '/api/jobs?q=<prefix>',
      kind: 'api',
      count: Math.min(opt.requests, fresh.length - opt.warmup),
      next: (i) => `/api/jobs?q=${encodeURIComponent(fresh[i])}`,
    },
    { name: 'jobs list, search one word, by last run (newest first)', path: '/api/jobs?q=<word>&sort=-lastRunAt', kind: 'api', next: (i) => `/api/jobs?q=${encodeURIComponent(at(words, i))}&sort=-lastRunAt` },
    { name: 'jobs list, search one word, page 2 by cursor', path: '/api/jobs?q=<word>&cursor=…', kind: 'api', next: (i) => at(searchPages, i) },
    { name: 'jobs list, search two words', path: '/api/jobs?q=<word word>', kind: 'api', next: (i) => `/api/jobs?q=${encodeURIComponent(at(pairs, i))}` },
    { name: 'jobs list, lastStatus=failed', path: '/api/jobs?lastStatus=failed', kind: 'api', next: () => '/api/jobs?lastStatus=failed' },
    { name: 'jobs list, deep page by cursor (rows 20k–80k)', path: '/api/jobs?cursor=…', kind: 'api', next: (i) => `/api/jobs?cursor=${at(cursors, i)}` },
    { name: 'jobs list, page 2,500 by OFFSET (for comparison)', path: '/api/jobs?page=2500', kind: 'comparison', count: 30, next: () => '/api/jobs?page=2500' },
    { name: "a job's history", path: '/api/jobs/{id}/executions', kind: 'api', next: (i) => `/api/jobs/${encodeURIComponent(at(historyIds, i))}/executions` },
    { name: '24 h status summary', path: '/api/stats/executions', kind: 'api', next: () => '/api/stats/executions' },
    { name: 'overview page (HTML)', path: '/', kind: 'page', next: () => '/' },
    { name: 'jobs page (HTML)', path: '/jobs', kind: 'page', next: () => '/jobs' },
  ];
}

/** Runs the retention task over the executions older than 15 days (about half); rows per second. */
async function measureRetention(): Promise<{ deleted: number; seconds: number; rowsPerSecond: number }> {
  const handle = connect(DATABASE_URL);
  try {
    const t0 = performance.now();
    const result = (await pruneHistory.run(
      { olderThanDays: 15 },
      {
        jobId: 'system.prune-history',
        executionId: 0,
        scheduledFor: new Date(),
        attempt: 1,
        signal: new AbortController().signal,
        log: { info: () => {}, warn: () => {}, error: () => {} },
        db: handle.db,
      },
    )) as { deleted: number };
    const seconds = (performance.now() - t0) / 1000;
    return { deleted: result.deleted, seconds, rowsPerSecond: result.deleted / seconds };
  } finally {
    await disconnect(DATABASE_URL);
  }
}

async function main(): Promise<void> {
  const machine = await describeMachine('mysql://root@127.0.0.1:3306/');
  console.error(`[bench] seeding ${fmt(opt.jobs)} jobs and ${fmt(opt.executions)} executions into ${flags.database}…`);
  await dropDatabase(DATABASE_URL);
  await prepareDatabase(DATABASE_URL);
  const seed = await seedDashboard(DATABASE_URL, { jobs: opt.jobs, executions: opt.executions, log: (l) => console.error(`[bench] ${l}`) });
  const cursors = await deepCursors(40);

  const log = logPath('dashboard-server');
  console.error('[bench] starting the production server (builds first when the build is stale)…');
  const server = await startServer(DATABASE_URL, opt.port, { scheduler: false, logFile: log });
  const rows: Row[] = [];
  try {
    const searchPages = await searchCursors(server.base, server.api, seed.words);
    for (const m of measures(seed, cursors, searchPages)) {
      const headers = m.kind === 'page' ? server.page : server.api;
      const count = m.count ?? opt.requests;
      console.error(`[bench] ${m.name}: ${count} requests after ${opt.warmup} warm-up…`);
      const ms = summarize(await timeGets(server.base, m.next, headers, count, m.kind === 'comparison' ? 3 : opt.warmup));
      const target = m.kind === 'api' ? API_TARGET_MS : m.kind === 'page' ? PAGE_TARGET_MS : null;
      rows.push({ name: m.name, path: m.path, target: target ? `p95 ≤ ${target} ms` : '—', ms, pass: target ? ms.p95 <= target : null });
    }
  } finally {
    await stopChild(server.child);
  }

  console.error('[bench] retention: system.prune-history over the executions older than 15 days…');
  const retention = await measureRetention();

  const table = markdownTable(
    ['endpoint', 'path', 'p50 ms', 'p95 ms', 'p99 ms', 'target', 'result'],
    [
      ...rows.map((r) => [r.name, `\`${r.path}\``, fmt(r.ms.p50, 1), fmt(r.ms.p95, 1), fmt(r.ms.p99, 1), r.target, r.pass === null ? '—' : r.pass ? 'pass' : 'FAIL']),
      [
        `retention: ${fmt(retention.deleted)} rows in ${fmt(retention.seconds, 1)} s`,
        '`system.prune-history`',
        '',
        '',
        '',
        `≥ ${fmt(RETENTION_TARGET)} rows/s`,
        `${fmt(retention.rowsPerSecond)} rows/s ${retention.rowsPerSecond >= RETENTION_TARGET ? 'pass' : 'FAIL'}`,
      ],
    ],
    2,
  );
  console.log(`\n${fmt(opt.jobs)} jobs, ${fmt(opt.executions)} executions over 30 days; ${opt.requests} sequential requests per row after ${opt.warmup} warm-up.`);
  console.log(`${machineLine(machine)}\n`);
  console.log(table);
  const file = writeResult('dashboard', { date: new Date().toISOString(), machine, options: opt, seedMs: seed.ms, rows, retention });
  console.log(`\nJSON: ${file}`);
  if (!flags.keep) await dropDatabase(DATABASE_URL);
}

main().catch((err: unknown) => {
  console.error('[bench] failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});

