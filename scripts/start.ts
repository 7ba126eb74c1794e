/**
 * `npm start`: checks the configuration, creates and migrates the database, makes sure the
 * dashboard has a password (printing a generated one once), builds the app when the build is
 * missing or older than the sources, then serves it with `next start` on PORT.
 */
import { spawn, spawnSync } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { disconnect } from '../db/client';
import { env } from '../lib/env';
import { prepare } from '../scheduler';

const root = path.resolve(import.meta.dirname, '..');
const SOURCES = ['app', 'components', 'lib', 'scheduler', 'db', 'instrumentation.ts', 'proxy.ts', 'next.config.ts', 'package.json'];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

function buildIsStale(): boolean {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

async function main(): Promise<void> {
  const config = env();
  await prepare();
  await disconnect(config.DATABASE_URL);
  if (buildIsStale()) {
    console.log('[cronboard] building the dashboard (next build)…');
    const build = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, stdio: 'inherit', env: process.env });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  console.log(`[cronboard] starting on http://localhost:${config.PORT}`);
  // The scheduler handles SIGTERM itself (finish running work, mark the rest interrupted, exit 0).
  const childEnv = { ...process.env, NEXT_MANUAL_SIG_HANDLE: 'true' };
  const child = spawn(process.execPath, [nextBin, 'start', '-p', String(config.PORT)], { cwd: root, stdio: 'inherit', env: childEnv });
  let forwarded: NodeJS.Signals | null = null;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      forwarded = signal;
      child.kill(signal);
    });
  }
  // Exit 0 only when the server stopped because we asked it to; a crash (OOM kill, SIGSEGV) is a failure.
  child.on('exit', (code, signal) => process.exit(code ?? (signal && signal === forwarded ? 0 : 128 + (osConstants.signals[signal!] ?? 0))));
}

main().catch((err) => {
  console.error(`[cronboard] could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
