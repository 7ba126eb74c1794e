/** Starts the app for Playwright on a fresh database (dropped first), via the real `npm start` path. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { dropDatabase } from '../db/migrate';

const url = process.env.DATABASE_URL;
if (!url || !/cronboard_e2e/.test(url)) {
  console.error('e2e-server: DATABASE_URL must point at a cronboard_e2e database (it is dropped).');
  process.exit(1);
}
await dropDatabase(url);
const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'start.ts')], { stdio: 'inherit', env: process.env });
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
