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

/** A task whose call takes 5 ms before it returns (as a request opening its connection does). */
const slowStartTask: TaskDefinition = {
  name: 'test.slow-start',
  title: 'Slow start',
  description: '',
  args: z.strictObject({ n: z.number() }),
  run: ({ n }: { n: number }) => {
    events.push(`slow ${n}`);
    const until = performance.now() + 5;
    while (performance.now() < until);
    return n;
  },
};

vi.mock('../../scheduler/tasks', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../scheduler/tasks')>();
  return { ...original, getTask: (name: string) => [orderTask, slowStartTask].find((t) => t.name === name) ?? original.getTask(name) };
});

const HOURLY = JSON.stringify({ type: 'interval', every: { hours: 1 }, timezone: 'UTC' });
const OPTIONS = JSON.stringify({ maxInstances: 1, coalesce: true, misfireGraceMs: 60_000, timeoutMs: null, retries: null });

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
        HOURLY,
        at,
        OPTIONS,
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

  it("calls an instant's quickest tasks first once it has seen what each task's call costs", async () => {
    const jobsOf = [
      ['slow-a', 'test.slow-start'],
      ['quick-a', 'test.order'],
      ['slow-b', 'test.slow-start'],
      ['quick-b', 'test.order'],
    ];
    for (const [i, [id, task]] of jobsOf.entries()) {
      await tdb.query('INSERT INTO jobs (id, name, task, args, `trigger`, state, next_run_at, options) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
        id,
        id,
        task,
        JSON.stringify({ n: 10 + i }),
        HOURLY,
        'active',
        new Date(Date.now() + 3_600_000),
        OPTIONS,
      ]);
    }
    const rows = await tdb.db.select().from(jobs).where(inArray(jobs.id, jobsOf.map(([id]) => id)));
    const runner = new Runner(tdb.ctx, recordingLogger(), () => {});
    /** Claims the four jobs' fires at `at`, in the order above, and waits for their outcomes. */
    const instant = async (at: Date) => {
      events.length = 0;
      const claimed = [];
      for (const [id] of jobsOf) {
        await tdb.query("INSERT INTO job_executions (job_id, scheduled_for, status, instance) VALUES (?, ?, 'running', 'test')", [id, at]);
        const [{ id: executionId }] = await tdb.query<{ id: number }>('SELECT id FROM job_executions WHERE job_id = ? AND scheduled_for = ?', [id, at]);
        claimed.push({ job: rows.find((r) => r.id === id)!, run: { id: Number(executionId), jobId: id, scheduledFor: at, attempt: 1, kind: 'scheduled' as const } });
      }
      runner.startAtInstants(claimed);
      const done = await waitFor(async () => {
        const r = await tdb.query<{ job_id: string; started_at: Date }>("SELECT job_id, started_at FROM job_executions WHERE scheduled_for = ? AND status = 'succeeded'", [at]);
        return r.length === 4 ? r : undefined;
      });
      return { events: events.filter((e) => !e.startsWith('outcome')), started: new Map(done.map((r) => [r.job_id, r.started_at.getTime()])) };
    };
    // Nothing is known yet: each task's runs together, the tasks in the order they came.
    const first = await instant(new Date(Date.now() + 1500));
    expect(first.events).toEqual(['slow 10', 'slow 12', 'run 11', 'run 13']);
    // Now the quick ones go first, and start before the slow ones by the clock too.
    const second = await instant(new Date(Date.now() + 1500));
    expect(second.events).toEqual(['run 11', 'run 13', 'slow 10', 'slow 12']);
    expect(second.started.get('quick-b')).toBeLessThanOrEqual(second.started.get('slow-a')!);
    expect(second.started.get('slow-b')! - second.started.get('slow-a')!).toBeGreaterThanOrEqual(4);
    await runner.drain(1000, new RunAborted('shutdown', 'done'));
    runner.close();
  });
});
