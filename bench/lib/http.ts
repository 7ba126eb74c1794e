/**
 * HTTP side of the dashboard benchmarks: start the production server (`scripts/start.ts`: migrate,
 * build when stale, `next start`), sign in with a minted session cookie, and time requests.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { connect, disconnect } from '../../db/client';
import { sessionSigningKey, signSession } from '../../scheduler/auth';
import { ROOT, sleep, spawnTsx } from './proc';

export const BENCH_TOKEN = 'bench-api-token';
export const BENCH_PASSWORD = 'bench-admin-password';

export interface BenchServer {
  child: ChildProcess;
  base: string;
  /** Headers for the API (Bearer token) and for pages (session cookie). */
  api: Record<string, string>;
  page: Record<string, string>;
}

/** Starts the real server on `port` against `databaseUrl` (SCHEDULER_ENABLED as given) and waits for it. */
export async function startServer(databaseUrl: string, port: number, opts: { scheduler: boolean; logFile: string; ownSession?: boolean }): Promise<BenchServer> {
  const child = spawnTsx(path.join(ROOT, 'scripts/start.ts'), [], {
    logFile: opts.logFile,
    ownSession: opts.ownSession,
    env: {
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      API_TOKENS: BENCH_TOKEN,
      ADMIN_PASSWORD: BENCH_PASSWORD,
      SCHEDULER_ENABLED: String(opts.scheduler),
    },
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} (output: ${opts.logFile})`);
    const up = await fetch(`${base}/api/health`).then((r) => r.status === 200, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`the server did not answer on ${base} (output: ${opts.logFile})`);
    await sleep(250);
  }
  const handle = connect(databaseUrl);
  try {
    const key = await sessionSigningKey(handle.db, BENCH_PASSWORD);
    const cookie = `cronboard_session=${encodeURIComponent(signSession(key, Date.now() + 3_600_000))}`;
    return { child, base, api: { authorization: `Bearer ${BENCH_TOKEN}` }, page: { cookie } };
  } finally {
    await disconnect(databaseUrl);
  }
}

/** One GET, read to the end; its duration in ms. Throws unless the answer is 200. */
export async function timedGet(base: string, pathAndQuery: string, headers: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${base}${pathAndQuery}`, { headers });
  const body = await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`GET ${pathAndQuery}: ${res.status} ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
  return ms;
}

/**
 * Times `count` GETs one after another, after `warmup` untimed ones; `next(i)` gives the i-th
 * path (so a run can rotate through searches, ids or cursors).
 */
export async function timeGets(base: string, next: (i: number) => string, headers: Record<string, string>, count: number, warmup: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await timedGet(base, next(i), headers);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(await timedGet(base, next(warmup + i), headers));
  return out;
}
