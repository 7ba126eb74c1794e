import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { dropDatabase } from '../../db/migrate';

/**
 * Global setup of the "api" project: starts the real app (`scripts/start.ts`: migrate, build
 * when stale, `next start`) on a fresh database, and hands its URL and token to the tests.
 */
const PORT = Number(process.env.API_TEST_PORT ?? 3108);
const URL_ = `http://127.0.0.1:${PORT}`;
const DATABASE_URL = `mysql://root@127.0.0.1:3306/${process.env.API_TEST_DATABASE ?? 'cronboard_test_api'}`;
const TOKEN = 'api-test-token';
const ADMIN_PASSWORD = 'api-test-password';

declare module 'vitest' {
  export interface ProvidedContext {
    apiBase: string;
    apiToken: string;
    apiDatabaseUrl: string;
    apiAdminPassword: string;
    /** The process started as `npm start` starts (scripts/start.ts). */
    apiServerPid: number;
  }
}

async function waitForHealth(child: ChildProcess, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode} before it answered`);
    try {
      const res = await fetch(`${URL_}/api/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app did not answer on ${URL_} within ${deadlineMs} ms`);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await dropDatabase(DATABASE_URL);
  const root = path.resolve(import.meta.dirname, '../..');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/start.ts')], {
    cwd: root,
    env: { ...process.env, PORT: String(PORT), DATABASE_URL, API_TOKENS: TOKEN, ADMIN_PASSWORD, SHUTDOWN_GRACE_MS: '1000' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitForHealth(child, 240_000);
  project.provide('apiBase', URL_);
  project.provide('apiToken', TOKEN);
  project.provide('apiDatabaseUrl', DATABASE_URL);
  project.provide('apiAdminPassword', ADMIN_PASSWORD);
  project.provide('apiServerPid', child.pid!);
  return async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    await dropDatabase(DATABASE_URL);
  };
}
