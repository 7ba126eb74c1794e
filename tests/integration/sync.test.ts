import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInput } from '../../lib/schemas';
import { getJob, updateJob } from '../../scheduler/jobs';
import { syncDeclaredJobs } from '../../scheduler/sync';
import { getTask } from '../../scheduler/tasks';
import { createTestDatabase, recordingLogger, type TestDatabase } from './helpers';

/** Jobs declared in code: applied on start, edits stick until the code changes, removals pause. */

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase('sync');
});
afterAll(async () => {
  await tdb?.cleanup();
});

const declared = (message: string, extra: Partial<JobInput> = {}): JobInput & { id: string } => ({
  id: 'code.report',
  name: 'Code report',
  task: 'log.message',
  args: { message },
  trigger: { type: 'cron', expression: '0 6 * * *', timezone: 'Europe/Berlin' },
  ...extra,
});

describe('syncDeclaredJobs', () => {
  it('creates a declared job once, even when several instances sync at the same moment', async () => {
    const log = recordingLogger();
    const reports = await Promise.all([1, 2, 3].map(() => syncDeclaredJobs(tdb.ctx, [declared('v1')], log)));
    expect(reports.flatMap((r) => r.created)).toEqual(['code.report']);
    const job = await getJob(tdb.ctx, 'code.report');
    expect(job).toMatchObject({ source: 'code', state: 'active', args: { message: 'v1' } });
    expect(await tdb.query('SELECT id FROM jobs')).toHaveLength(1);
  });

  it('leaves an unchanged declaration alone, and a dashboard edit sticks until the code changes', async () => {
    const log = recordingLogger();
    const before = await getJob(tdb.ctx, 'code.report');
    await updateJob(tdb.ctx, 'code.report', { args: { message: 'edited in the dashboard' }, version: before.version });
    expect(await syncDeclaredJobs(tdb.ctx, [declared('v1')], log)).toMatchObject({ unchanged: ['code.report'] });
    expect((await getJob(tdb.ctx, 'code.report')).args).toEqual({ message: 'edited in the dashboard' });

    expect(await syncDeclaredJobs(tdb.ctx, [declared('v2')], log)).toMatchObject({ updated: ['code.report'] });
    const replaced = await getJob(tdb.ctx, 'code.report');
    expect(replaced.args).toEqual({ message: 'v2' });
    expect(replaced.createdAt).toBe(before.createdAt);
  });

  it('pauses a job the code no longer declares, keeps it, and resumes it when declared again', async () => {
    const log = recordingLogger();
    expect(await syncDeclaredJobs(tdb.ctx, [], log)).toMatchObject({ paused: ['code.report'] });
    expect(await getJob(tdb.ctx, 'code.report')).toMatchObject({ state: 'paused', nextRunAt: null, source: 'code' });
    expect(log.lines.some((l) => l.level === 'warn' && /no longer declared/.test(l.message))).toBe(true);
    // Idempotent: a second start does not pause (or log) it again.
    expect(await syncDeclaredJobs(tdb.ctx, [], log)).toMatchObject({ paused: [] });

    expect(await syncDeclaredJobs(tdb.ctx, [declared('v2', { paused: false })], log)).toMatchObject({ updated: ['code.report'] });
    expect((await getJob(tdb.ctx, 'code.report')).state).toBe('active');
  });

  it('skips an invalid declaration with an error in the log and writes nothing for it', async () => {
    const log = recordingLogger();
    const bad = { ...declared('x'), id: 'code.bad', trigger: { type: 'cron' as const, expression: '61 * * * *' } };
    const report = await syncDeclaredJobs(tdb.ctx, [declared('v2', { paused: false }), bad], log);
    expect(report.created).toEqual([]);
    expect(log.lines.some((l) => l.level === 'error' && /code\.bad/.test(l.message))).toBe(true);
    expect(await tdb.query("SELECT id FROM jobs WHERE id = 'code.bad'")).toEqual([]);
  });
});

describe('system.prune-history', () => {
  it('deletes finished executions older than the cutoff in batches, and keeps recent and running ones', async () => {
    const now = Date.now();
    const old = new Date(now - 10 * 86_400_000);
    // 12,000 old finished rows (more than two batches), 3 old running rows, 5 recent rows.
    for (let chunk = 0; chunk < 6; chunk++) {
      const values = Array.from({ length: 2000 }, (_, i) => ['code.report', new Date(old.getTime() - (chunk * 2000 + i + 1) * 1000), 'succeeded']);
      await tdb.query('INSERT INTO job_executions (job_id, scheduled_for, status) VALUES ?', [values]);
    }
    await tdb.query(`INSERT INTO job_executions (job_id, scheduled_for, status) VALUES ('code.report', ?, 'running'), ('code.report', ?, 'running'), ('code.report', ?, 'running')`, [
      new Date(old.getTime() + 1),
      new Date(old.getTime() + 2),
      new Date(old.getTime() + 3),
    ]);
    for (let i = 0; i < 5; i++) {
      await tdb.query("INSERT INTO job_executions (job_id, scheduled_for, status) VALUES ('code.report', ?, 'failed')", [new Date(now - i * 1000)]);
    }
    const task = getTask('system.prune-history')!;
    const lines: string[] = [];
    const result = (await task.run(
      { olderThanDays: 7 },
      {
        jobId: 'code.report',
        executionId: 0,
        scheduledFor: new Date(now),
        attempt: 1,
        signal: new AbortController().signal,
        log: { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) },
        db: tdb.db,
      },
    )) as { deleted: number };
    expect(result.deleted).toBe(12_000);
    const left = await tdb.query<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM job_executions GROUP BY status ORDER BY status');
    expect(left.map((r) => [r.status, Number(r.n)])).toEqual([
      ['running', 3],
      ['failed', 5],
    ]);
    expect(lines.join('\n')).toMatch(/deleted 12000/);
  });
});
