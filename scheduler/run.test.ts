import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { JobRow } from '../db/schema';
import { DEFAULT_JOB_OPTIONS } from '../lib/types';
import { prepareRun, RunAborted, runTask, settleRun, startRun } from './run';
import type { TaskDefinition } from './task';

/**
 * runTask against tasks of every shape: a value returned at once (no promise to wait for), a
 * promise, a thenable that is not a Promise, a throw at once or later, a task that ignores its
 * abort signal. The registry is replaced by these test tasks; nothing here touches a database.
 */
const testTasks: Record<string, TaskDefinition['run']> = {
  'sync.value': (_args, ctx) => {
    ctx.log.info('one');
    ctx.log.warn('two');
    return { ok: true };
  },
  'sync.nothing': () => undefined,
  'sync.throw': () => {
    throw new TypeError('broken at once');
  },
  'sync.throw-string': () => {
    throw 'a string';
  },
  'async.value': async (_args, ctx) => {
    ctx.log.error('later');
    await new Promise((resolve) => setTimeout(resolve, 5));
    return 42;
  },
  'async.reject': async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    throw new Error('broken later');
  },
  'thenable.value': () => ({ then: (resolve: (v: unknown) => void) => resolve('from a thenable') }),
  'hang': () => new Promise(() => {}),
  'odd.then': () => ({
    get then(): never {
      throw new Error('no then here');
    },
  }),
  'sync.spin': () => spin(2),
  'args.echo': (args) => args,
  'execution': (_args, ctx) => ({ jobId: ctx.jobId, executionId: ctx.executionId, attempt: ctx.attempt, scheduledFor: ctx.scheduledFor.toISOString() }),
};

/** Keeps the thread busy for `ms` (a task's work, or the runner starting an instant's other fires). */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

vi.mock('./tasks', () => ({
  getTask: (name: string) =>
    testTasks[name] && {
      name,
      title: name,
      description: '',
      args:
        name === 'args.throwing'
          ? z.object({}).transform(() => {
              throw new TypeError('a transform that throws');
            })
          : z.strictObject({ n: z.number().optional() }),
      run: testTasks[name],
    },
}));

const job = (task: string, args: Record<string, unknown> = {}) => ({ id: 'job-1', task, args, options: DEFAULT_JOB_OPTIONS }) as unknown as JobRow;
const execution = { id: 7, scheduledFor: new Date('2026-01-01T10:00:00Z'), attempt: 2, startedAt: new Date() };
const now = () => new Date();
const run = (task: string, signal = new AbortController().signal, args?: Record<string, unknown>) => runTask(null as never, job(task, args), execution, signal, now);

describe('runTask', () => {
  it('ends a task that returns a value at once succeeded, with its result and log lines', async () => {
    const outcome = await run('sync.value');
    expect(outcome).toMatchObject({ status: 'succeeded', error: null, stack: null, result: '{"ok":true}' });
    expect(outcome.log).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z INFO one\n\d{4}-\d\d-\d\dT[\d:.]+Z WARN two$/);
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    expect(outcome.finishedAt).toBeInstanceOf(Date);
  });

  it('keeps no result and no log for a task that returns nothing and logs nothing', async () => {
    expect(await run('sync.nothing')).toMatchObject({ status: 'succeeded', result: null, log: '' });
  });

  it('ends a task that throws at once failed, with the message and stack', async () => {
    const outcome = await run('sync.throw');
    expect(outcome).toMatchObject({ status: 'failed', error: 'broken at once', result: null });
    expect(outcome.stack).toMatch(/TypeError: broken at once\n\s+at /);
    expect((await run('sync.throw-string')).error).toBe('a string');
  });

  it('waits for a promise and records what it resolves or rejects with', async () => {
    const done = await run('async.value');
    expect(done).toMatchObject({ status: 'succeeded', result: '42' });
    expect(done.log).toMatch(/ERROR later$/);
    expect(done.durationMs).toBeGreaterThanOrEqual(4);
    expect(await run('async.reject')).toMatchObject({ status: 'failed', error: 'broken later' });
  });

  it('waits for a thenable that is not a Promise', async () => {
    expect(await run('thenable.value')).toMatchObject({ status: 'succeeded', result: '"from a thenable"' });
  });

  it('fails a task whose returned value throws when asked for `then`', async () => {
    expect(await run('odd.then')).toMatchObject({ status: 'failed', error: 'no then here' });
  });

  it('gives the task its job id, execution id, attempt and scheduled instant', async () => {
    const outcome = await run('execution');
    expect(JSON.parse(outcome.result!)).toEqual({ jobId: 'job-1', executionId: 7, attempt: 2, scheduledFor: '2026-01-01T10:00:00.000Z' });
  });

  it('ends a task that ignores its signal when the signal aborts: timed out or interrupted, by the reason', async () => {
    const timeout = new AbortController();
    const timedOut = run('hang', timeout.signal);
    timeout.abort(new RunAborted('timeout', 'Timed out after 5 ms.'));
    expect(await timedOut).toMatchObject({ status: 'timed_out', error: 'Timed out after 5 ms.' });
    const shutdown = new AbortController();
    const interrupted = run('hang', shutdown.signal);
    shutdown.abort(new RunAborted('shutdown', 'Interrupted: shut down.'));
    expect(await interrupted).toMatchObject({ status: 'interrupted', error: 'Interrupted: shut down.' });
  });

  it('does not start a task whose signal has already aborted', async () => {
    const aborted = new AbortController();
    aborted.abort(new RunAborted('shutdown', 'Interrupted before it started.'));
    const started = vi.fn(testTasks['sync.value']);
    testTasks['sync.spy'] = started;
    expect(await run('sync.spy', aborted.signal)).toMatchObject({ status: 'interrupted', error: 'Interrupted before it started.' });
    expect(started).not.toHaveBeenCalled();
  });

  it('fails an unknown task and arguments its schema refuses, without running anything', async () => {
    expect((await run('no.such.task')).error).toMatch(/Unknown task "no.such.task"/);
    expect((await run('sync.value', undefined, { n: 'x' })).error).toMatch(/The stored arguments no longer match task "sync.value"/);
  });

  it("starts a task without making its outcome, which is timed as the task ran when made later", async () => {
    let serialized = false;
    testTasks['sync.late-json'] = () => ({ toJSON: () => ((serialized = true), 'kept') });
    const signal = new AbortController().signal;
    const formatted = startRun(null as never, job('sync.late-json'), execution, signal, now);
    // Its result is formatted by settleRun, once the runner has started the instant's other fires.
    expect(serialized).toBe(false);
    expect(await settleRun(formatted)).toMatchObject({ status: 'succeeded', result: '"kept"' });
    const started = startRun(null as never, job('sync.spin'), execution, signal, now);
    // The runner starts the instant's other fires meanwhile: not counted in this run's duration.
    const before = Date.now();
    spin(100);
    const after = Date.now();
    const { durationMs, finishedAt } = await settleRun(started);
    expect(durationMs).toBeGreaterThanOrEqual(2);
    expect(durationMs).toBeLessThan(100);
    expect(finishedAt.getTime()).toBeLessThan(after - 50);
    expect(finishedAt.getTime()).toBeGreaterThanOrEqual(before - 5);
    // The same for a task that throws at once.
    testTasks['sync.spin-throw'] = () => {
      spin(2);
      throw new Error('after 2 ms');
    };
    const thrown = startRun(null as never, job('sync.spin-throw'), execution, signal, now);
    spin(100);
    expect(await settleRun(thrown)).toMatchObject({ status: 'failed', error: 'after 2 ms', durationMs: expect.toSatisfy((ms: number) => ms >= 2 && ms < 100) });
  });

  it('never finishes a run before it started, however long its outcome waits', async () => {
    for (let i = 0; i < 200; i++) {
      const startedAt = new Date();
      const started = startRun(null as never, job('sync.nothing'), { ...execution, startedAt }, new AbortController().signal, now);
      spin(0.6);
      const { finishedAt } = await settleRun(started);
      expect(finishedAt.getTime()).toBeGreaterThanOrEqual(startedAt.getTime());
    }
  });

  it('records a task that threw before its signal aborted as failed, whenever its outcome is made', async () => {
    const controller = new AbortController();
    const started = startRun(null as never, job('sync.throw'), execution, controller.signal, now);
    controller.abort(new RunAborted('shutdown', 'Interrupted: shut down.'));
    expect(await settleRun(started)).toMatchObject({ status: 'failed', error: 'broken at once' });
  });

  it('runs with the task and arguments prepared ahead, and fails with the reason found then', async () => {
    const prepared = prepareRun(job('args.echo', { n: 5 }));
    // The job's arguments as they are now are not read again.
    const echoed = await runTask(null as never, job('args.echo', { n: 'no longer valid' }), execution, new AbortController().signal, now, undefined, prepared);
    expect(echoed).toMatchObject({ status: 'succeeded', result: '{"n":5}' });
    const unknown = prepareRun(job('no.such.task'));
    expect(unknown.error?.message).toMatch(/Unknown task "no.such.task"/);
    const refused = prepareRun(job('args.echo', { n: 'x' }));
    expect(refused.error?.message).toMatch(/The stored arguments no longer match task "args.echo"/);
    // A schema whose own code throws fails the run, not whoever prepares it (the claim).
    testTasks['args.throwing'] = testTasks['args.echo'];
    expect(prepareRun(job('args.throwing')).error?.message).toMatch(/task "args.throwing".*a transform that throws/);
    const spy = vi.fn(testTasks['args.echo']);
    testTasks['args.spy'] = spy;
    const failed = await runTask(null as never, job('args.spy'), execution, new AbortController().signal, now, undefined, refused);
    expect(failed).toMatchObject({ status: 'failed', error: refused.error!.message });
    expect(spy).not.toHaveBeenCalled();
  });
});
