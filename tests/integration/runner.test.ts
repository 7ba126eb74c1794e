import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { inArray } from 'drizzle-orm';
import { jobs } from '../../db/schema';
import { RunAborted } from '../../scheduler/run';
import { Runner } from '../../scheduler/runner';
import type { TaskDefinition } from '../../scheduler/task';
import { createTestDatabase, recordingLogger, waitFor, type TestDatabase } from './helpers';

/**
 * The runner at an instant: every task of the instant is called before any of their outcomes is
 * made (formatting a quick task's outcome is most of its start, and the fires after it would wait
 * for it), and each outcome still reaches its row, timed as its task ran.
 */

const events: string[] = [];

/** A task that notes when it runs, and when its result is formatted (its outcome made). */
const orderTask: TaskDefinition = {
  name: 'test.order',
  title: 'Order',
  description: '',
  args: z.strictObject({ n: z.number() }),
  run: ({ n }: { n: number }) => {
    events.push(`run ${n}`);
    return { toJSON: () => (events.push(`outcome ${n}`), n) };
  },
};

vi.mock('../../scheduler/tasks', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../scheduler/tasks')>();
  return { ...original, getTask: (name: string) => (name === 'test.order' ? orderTask : original.getTask(name)) };
});

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase('runner');
});

afterAll(async () => {
  await tdb?.cleanup();
});

describe('Runner at an instant', () => {
  it("calls all of an instant's tasks before making any outcome, and records every outcome", async () => {
    const ids = ['order-1', 'order-2', 'order-3'];
    // Far enough ahead for the rows below to be written first on a busy machine.
    const at = new Date(Date.now() + 1500);
    for (const [i, id] of ids.entries()) {
      await tdb.query("INSERT INTO jobs (id, name, task, args, `trigger`, state, next_run_at, options, running_count) VALUES (?, ?, 'test.order', ?, ?, 'active', ?, ?, 1)", [
        id,
        id,
        JSON.stringify({ n: i + 1 }),
        JSON.stringify({ type: 'interval', every: { hours: 1 }, timezone: 'UTC' }),
        at,
        JSON.stringify({ maxInstances: 1, coalesce: true, misfireGraceMs: 60_000, timeoutMs: null, retries: null }),
      ]);
      await tdb.query("INSERT INTO job_executions (job_id, scheduled_for, status, instance) VALUES (?, ?, 'running', 'test')", [id, at]);
    }
    const rows = await tdb.db.select().from(jobs).where(inArray(jobs.id, ids));
    const executions = await tdb.query<{ id: number; job_id: string }>('SELECT id, job_id FROM job_executions ORDER BY id');
    const runner = new Runner(tdb.ctx, recordingLogger(), () => {});
    runner.startAtInstants(
      executions.map((e) => ({
        job: rows.find((r) => r.id === e.job_id)!,
        run: { id: Number(e.id), jobId: e.job_id, scheduledFor: at, attempt: 1, kind: 'scheduled' as const },
      })),
    );
    // Claimed ahead: nothing runs before the instant.
    expect(events).toEqual([]);

    const done = await waitFor(async () => {
      const r = await tdb.query<{ status: string; result: string; started_at: Date; finished_at: Date; duration_ms: number }>(
        "SELECT status, result, started_at, finished_at, duration_ms FROM job_executions WHERE status <> 'running' ORDER BY id",
      );
      return r.length === 3 ? r : undefined;
    });
    expect(events).toEqual(['run 1', 'run 2', 'run 3', 'outcome 1', 'outcome 2', 'outcome 3']);
    expect(done.map((r) => [r.status, r.result])).toEqual([
      ['succeeded', '1'],
      ['succeeded', '2'],
      ['succeeded', '3'],
    ]);
    for (const r of done) {
      expect(r.started_at.getTime()).toBeGreaterThanOrEqual(at.getTime());
      expect(r.finished_at.getTime()).toBeGreaterThanOrEqual(r.started_at.getTime());
    }
    const counts = await tdb.query<{ running_count: number }>('SELECT running_count FROM jobs');
    expect(counts.map((c) => c.running_count)).toEqual([0, 0, 0]);
    await runner.drain(1000, new RunAborted('shutdown', 'done'));
    runner.close();
  });
});
