/**
 * Seeds a dashboard-scale database: N jobs and M executions that look like a real installation
 * (mixed tasks, states and last statuses; cron, interval and date triggers; a skewed history over
 * the last 30 days, newest ids last, with failures that carry errors and stacks). Multi-row
 * INSERTs over a few connections; deterministic for a given seed.
 */
import mysql from 'mysql2/promise';
import { jobWordsOf } from '../../db/job-words';
import { DEFAULT_JOB_OPTIONS } from '../../lib/types';

export interface SeedOptions {
  jobs: number;
  executions: number;
  /** Days of history, ending now (default 30). */
  days?: number;
  /** Executions older than the history, before it (for retention runs; default 0). */
  oldExecutions?: number;
  /** Age of the old executions: spread over this many days before the history (default 30). */
  oldDays?: number;
  /** Random seed (default 1). */
  seed?: number;
  /** Parallel connections (default 3). */
  connections?: number;
  /** Progress lines go here (default: none). */
  log?: (line: string) => void;
}

export interface SeedResult {
  jobIds: string[];
  /** Jobs with many executions (a minute-ish cadence), for history benchmarks. */
  busyJobIds: string[];
  /** Words that appear in job names, for search benchmarks. */
  words: string[];
  ms: number;
}

const DAY = 86_400_000;
const ROWS_PER_INSERT = 2000;

const VERBS = ['Sync', 'Backup', 'Export', 'Import', 'Refresh', 'Rebuild', 'Notify', 'Check', 'Clean', 'Archive', 'Report', 'Ping', 'Reindex', 'Rotate', 'Warm', 'Purge', 'Send', 'Fetch', 'Aggregate', 'Reconcile'];
const OBJECTS = ['orders', 'invoices', 'customers', 'payments', 'inventory', 'shipments', 'users', 'sessions', 'logs', 'metrics', 'reports', 'emails', 'webhooks', 'catalog', 'prices', 'tickets', 'leads', 'subscriptions', 'refunds', 'certificates', 'caches', 'thumbnails', 'search-index', 'ledger', 'payouts', 'coupons', 'reviews', 'feeds', 'sitemaps', 'backlog'];
const PLACES = ['eu-west', 'eu-central', 'us-east', 'us-west', 'ap-south', 'staging', 'prod', 'acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'tyrell', 'cyberdyne', 'aperture', 'wonka', 'soylent', 'oscorp'];
const CRONS = ['*/5 * * * *', '0 * * * *', '17 3 * * *', '0 9-17 * * 1-5', '*/15 * * * *', '30 2 * * 0', '0 0 1 * *', '*/30 * * * * *', '0 */6 * * *', '45 23 * * 1-5'];
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'America/Sao_Paulo'];
const ERRORS = [
  'HTTP 503 from https://api.example.com/v2/sync (expected 200)',
  'ETIMEDOUT connecting to db-replica-2:5432',
  'TypeError: Cannot read properties of undefined (reading "id")',
  'Aborted: the run exceeded its timeout of 30000 ms',
  'ECONNREFUSED 10.0.3.17:6379',
  'Validation failed: invoice 88213 has no customer',
];

/** A small fast deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks from weighted [value, weight] pairs. */
function weighted<T>(rand: () => number, pairs: Array<[T, number]>): T {
  const total = pairs.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [v, w] of pairs) if ((r -= w) < 0) return v;
  return pairs[pairs.length - 1][0];
}

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

const EXECUTION_STATUS_MIX: Array<[string, number]> = [
  ['succeeded', 880],
  ['failed', 60],
  ['missed', 20],
  ['skipped', 15],
  ['timed_out', 10],
  ['interrupted', 5],
];
const LAST_STATUS_MIX: Array<[string | null, number]> = [
  ['succeeded', 700],
  ['failed', 80],
  ['missed', 30],
  ['timed_out', 10],
  ['skipped', 10],
  ['interrupted', 5],
  [null, 165],
];

function taskOf(rand: () => number, i: number): { task: string; args: unknown } {
  const kind = weighted(rand, [['log', 40], ['http', 40], ['sleep', 15], ['prune', 5]] as Array<[string, number]>);
  if (kind === 'http') return { task: 'http.request', args: { method: pick(rand, ['GET', 'POST']), url: `https://hooks.example.com/jobs/${i}`, expectStatus: 200 } };
  if (kind === 'sleep') return { task: 'util.sleep', args: { ms: 1 + Math.floor(rand() * 500) } };
  if (kind === 'prune') return { task: 'system.prune-history', args: { olderThanDays: 30 } };
  return { task: 'log.message', args: { message: `tick ${i}`, level: 'info' } };
}

/**
 * Inserts the jobs and executions into an empty, migrated database at `url`. Foreign key and
 * unique checks are off in the seeding sessions (the rows are consistent by construction).
 */
export async function seedDashboard(url: string, o: SeedOptions): Promise<SeedResult> {
  const t0 = performance.now();
  const rand = rng(o.seed ?? 1);
  const now = Date.now();
  const days = o.days ?? 30;
  const log = o.log ?? (() => {});
  const pool = mysql.createPool({ uri: url, timezone: 'Z', connectionLimit: o.connections ?? 3 });
  pool.on('connection', (c) => {
    c.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
  });
  try {
    // Jobs.
    const jobIds: string[] = [];
    const jobRows: unknown[][] = [];
    for (let i = 0; i < o.jobs; i++) {
      const verb = pick(rand, VERBS);
      const object = pick(rand, OBJECTS);
      const place = pick(rand, PLACES);
      const id = `${verb.toLowerCase()}-${object}-${place}-${String(i).padStart(6, '0')}`;
      const name = `${verb} ${object} ${place} #${i}`;
      const { task, args } = taskOf(rand, i);
      const triggerKind = weighted(rand, [['cron', 60], ['interval', 35], ['date', 5]] as Array<[string, number]>);
      const zone = pick(rand, ZONES);
      const created = now - Math.floor(rand() * 90 * DAY);
      const trigger =
        triggerKind === 'cron'
          ? { type: 'cron', expression: pick(rand, CRONS), timezone: zone }
          : triggerKind === 'interval'
            ? { type: 'interval', every: pick(rand, [{ minutes: 5 }, { hours: 1 }, { seconds: 30 }, { days: 1 }, { minutes: 15 }]), timezone: zone, anchorAt: new Date(created).toISOString() }
            : { type: 'date', runAt: new Date(created + DAY).toISOString(), timezone: zone };
      const state = triggerKind === 'date' ? 'completed' : rand() < 0.12 ? 'paused' : 'active';
      const nextRunAt = state === 'active' ? new Date(now + Math.floor(rand() * DAY)) : null;
      const lastStatus = weighted(rand, LAST_STATUS_MIX);
      const lastRunAt = lastStatus ? new Date(now - Math.floor(rand() * 3 * DAY)) : null;
      const updated = created + Math.floor(rand() * (now - created));
      jobIds.push(id);
      jobRows.push([
        id, name, rand() < 0.3 ? `Runs ${verb.toLowerCase()} for ${object} (${place}).` : null, task, JSON.stringify(args), JSON.stringify(trigger),
        state, nextRunAt, JSON.stringify(DEFAULT_JOB_OPTIONS), 'user', 1 + Math.floor(rand() * 5), lastRunAt, lastStatus,
        new Date(created), new Date(updated),
      ]);
      // Drawn as when the jobs noted their last execution's id, so the same seed gives the same data.
      if (lastStatus) rand();
    }
    const jobCols = 'id, name, description, task, args, `trigger`, state, next_run_at, options, source, version, last_run_at, last_status, created_at, updated_at';
    await insertAll(pool, 'jobs', jobCols, jobRows);
    // The search's words, as Cronboard writes them with each job (db/job-words.ts).
    // One statement at a time: INSERT IGNOREs side by side into the same key ranges deadlock.
    const words = jobRows.flatMap(([id, name]) => jobWordsOf({ id: id as string, name: name as string }).map(({ word, fields }, pos) => [word, id, pos, fields]));
    await insertAll(pool, 'job_words', 'word, job_id, pos, fields', words, { oneAtATime: true });
    log(`seed: ${o.jobs} jobs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // Executions: 1% of the jobs are busy and get half of the history; ids grow with time.
    const busy = jobIds.slice(0, Math.max(1, Math.floor(o.jobs / 100)));
    const pickJob = () => (rand() < 0.5 ? pick(rand, busy) : pick(rand, jobIds));
    const insertHistory = async (count: number, from: number, to: number) => {
      const step = (to - from) / Math.max(1, count);
      let batch: unknown[][] = [];
      const pending: Array<Promise<void>> = [];
      for (let k = 0; k < count; k++) {
        const scheduled = Math.floor(from + k * step + rand() * step);
        batch.push(executionRow(rand, pickJob(), scheduled));
        if (batch.length === ROWS_PER_INSERT * 5) {
          pending.push(insertAll(pool, 'job_executions', EXECUTION_COLS, batch));
          batch = [];
          if (pending.length >= 3) await pending.shift();
        }
      }
      if (batch.length) pending.push(insertAll(pool, 'job_executions', EXECUTION_COLS, batch));
      await Promise.all(pending);
    };
    const oldDays = o.oldDays ?? 30;
    if (o.oldExecutions) await insertHistory(o.oldExecutions, now - (days + oldDays) * DAY, now - days * DAY - 60_000);
    await insertHistory(o.executions, now - days * DAY, now - 1000);
    log(`seed: ${o.executions + (o.oldExecutions ?? 0)} executions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await pool.query('ANALYZE TABLE jobs, job_words, job_executions');
    return { jobIds, busyJobIds: busy, words: [...OBJECTS, ...PLACES], ms: performance.now() - t0 };
  } finally {
    await pool.end();
  }
}

const EXECUTION_COLS = 'job_id, scheduled_for, attempt, kind, status, started_at, finished_at, duration_ms, error, stack, log, result, missed_count, missed_until, instance';

function executionRow(rand: () => number, jobId: string, scheduled: number): unknown[] {
  const status = weighted(rand, EXECUTION_STATUS_MIX);
  const at = new Date(scheduled);
  const instance = `web-${1 + Math.floor(rand() * 3)}:${1000 + Math.floor(rand() * 50)}`;
  if (status === 'missed') return [jobId, at, 1, 'scheduled', status, null, null, null, null, null, null, null, 1 + Math.floor(rand() * 5), at, instance];
  if (status === 'skipped') return [jobId, at, 1, 'scheduled', status, null, at, null, 'max instances (1) reached', null, null, null, null, null, instance];
  const started = scheduled + Math.floor(rand() * 40);
  const duration = Math.floor(rand() * rand() * 5000);
  const failed = status !== 'succeeded';
  const error = failed ? pick(rand, ERRORS) : null;
  const stack = status === 'failed' ? `Error: ${error}\n    at run (scheduler/tasks/http-request.ts:42:11)\n    at execute (scheduler/run.ts:88:5)` : null;
  const logText = rand() < 0.4 ? `${new Date(started).toISOString()} info  started\n${new Date(started + duration).toISOString()} info  done` : null;
  const kind = rand() < 0.02 ? 'manual' : 'scheduled';
  const attempt = failed && rand() < 0.1 ? 2 : 1;
  return [jobId, at, attempt, kind, status, new Date(started), new Date(started + duration), duration, error, stack, logText, failed ? null : '{"ok":true}', null, null, instance];
}

/** Multi-row INSERTs of ROWS_PER_INSERT rows, run over the pool's connections side by side. */
async function insertAll(pool: mysql.Pool, table: string, cols: string, rows: unknown[][], { oneAtATime = false } = {}): Promise<void> {
  const statements: Array<Promise<unknown>> = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const statement = pool.query(`INSERT IGNORE INTO ${table} (${cols}) VALUES ?`, [rows.slice(i, i + ROWS_PER_INSERT)]);
    if (oneAtATime) await statement;
    else statements.push(statement);
  }
  await Promise.all(statements);
}
