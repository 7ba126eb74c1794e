/**
 * `npm run scheduler`: the engine without the web server, as plain JavaScript.
 *
 * Running TypeScript through tsx keeps a loader thread and a transpile cache in the process
 * (about 50 MB of its resident memory). So this launcher bundles scripts/scheduler.ts and what it
 * imports into .cronboard/scheduler.mjs with esbuild (a few hundred ms, only when a source file
 * is newer than the bundle; dependencies stay in node_modules) and runs that in this process.
 * `node --import tsx scripts/scheduler.ts` runs the same engine straight from the sources.
 * Stack traces point into the bundle (readable, not minified); NODE_OPTIONS=--enable-source-maps
 * maps them back to the .ts files through the bundle's .map file, at about 13 MB more memory.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import v8 from 'node:v8';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The engine allocates fast and keeps little (its live heap is ~40 MB at 10,000 fires/s), but V8
// lets the old generation grow to several times that between full collections. Growing it by at
// most three quarters of the live size after each one keeps the resident memory near what is
// really used (10,000 jobs every second: ~167 MB peak instead of 250-260 MB) for more GC work. A
// growth factor, not a cap: a bigger live heap is never refused. A quarter (until 2026-12-07)
// kept ~153 MB but cost a third more of the engine's CPU in full collections (10,000 fires/s:
// 33-39% of a core against 22-26%), CPU that MariaDB needs beside it at 20,000.
v8.setFlagsFromString('--heap-growing-percent=75');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'scripts/scheduler.ts');
const bundle = path.join(root, '.cronboard/scheduler.mjs');
const SOURCES = ['scheduler', 'db', 'lib', 'scripts/scheduler.ts', 'package-lock.json', 'tsconfig.json'];

/** Newest modification time of the given files and folders (recursively), in ms. */
function newestMtime(paths) {
  let newest = 0;
  for (const p of paths) {
    let stat;
    try {
      stat = statSync(p);
    } catch {
      continue;
    }
    if (stat.isDirectory()) {
      newest = Math.max(newest, newestMtime(readdirSync(p).map((name) => path.join(p, name))));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  }
  return newest;
}

function bundleMtime() {
  try {
    return statSync(bundle).mtimeMs;
  } catch {
    return 0;
  }
}

if (newestMtime(SOURCES.map((s) => path.join(root, s))) > bundleMtime()) {
  const { build } = await import('esbuild');
  mkdirSync(path.dirname(bundle), { recursive: true });
  await build({
    entryPoints: [entry],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}
// The migrations are found next to db/migrate.ts, which the bundle no longer is.
process.env.CRONBOARD_MIGRATIONS_DIR ??= path.join(root, 'db/migrations');
await import(pathToFileURL(bundle).href);
