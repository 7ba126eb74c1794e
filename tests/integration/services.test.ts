import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors';
import { createJob, deleteJob, getJob, pauseJob, resumeJob, runJobNow, updateJob } from '../../scheduler/jobs';
import { listExecutions } from '../../scheduler/executions';
import { listJobs } from '../../scheduler/list-jobs';
import { createTestDatabase, type TestDatabase } from './helpers';

/**
 * The job services against the real database (no engine running, so nothing moves underneath):
 * validation writes nothing, conflicts are 409s, listing is done in SQL.
 */

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase('services');
});

afterAll(async () => {
  await tdb?.cleanup();
});

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const valid = (extra: Record<string, unknown> = {}) => ({
  task: 'log.message',
  args: { message: 'hi' },
  trigger: { type: 'cron', expression: '*/5 * * * *', timezone: 'Europe/Berlin' },
  ...extra,
});
const countRows = async () => {
  const [{ jobs, executions }] = await tdb.query<{ jobs: number; executions: number }>(
    'SELECT (SELECT COUNT(*) FROM jobs) AS jobs, (SELECT COUNT(*) FROM job_executions) AS executions',
  );
  return { jobs: Number(jobs), executions: Number(executions) };
};

/** Runs `fn`, expects a ValidationError, returns its field errors. */
async function fieldErrors(fn: () => Promise<unknown>): Promise<Record<string, string[]>> {
  const err = await fn().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ValidationError);
  expect((err as ValidationError).status).toBe(400);
  return (err as ValidationError).fieldErrors;
}

describe('createJob validation', () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['an unknown task', valid({ task: 'no.such.task' }), ['task']],
    ['args of the wrong type', valid({ args: { message: 42 } }), ['args.message']],
    ['missing required args', valid({ args: {} }), ['args.message']],
    ['args the task does not take', valid({ args: { message: 'hi', extra: true } }), ['args']],
    ['a bad cron expression', valid({ trigger: { type: 'cron', expression: 'every tuesday' } }), ['trigger.expression']],
    ['a cron field out of range', valid({ trigger: { type: 'cron', expression: '61 * * * *' } }), ['trigger.expression']],
    ['an unknown time zone', valid({ trigger: { type: 'cron', expression: '0 9 * * *', timezone: 'Mars/Olympus_Mons' } }), ['trigger.timezone']],
    ['a zero interval', valid({ trigger: { type: 'interval', every: { seconds: 0 } } }), ['trigger.every']],
    ['an empty interval', valid({ trigger: { type: 'interval', every: {} } }), ['trigger.every']],
    ['a date in the past', valid({ trigger: { type: 'date', runAt: inHours(-1) } }), ['trigger.runAt']],
    ['an end before the start', valid({ trigger: { type: 'cron', expression: '0 9 * * *', startAt: inHours(2), endAt: inHours(1) } }), ['trigger.endAt']],
    ['a bad id', valid({ id: 'has spaces' }), ['id']],
    ['an out-of-range option', valid({ options: { maxInstances: 0 } }), ['options.maxInstances']],
  ];

  it.each(cases)('rejects %s with field errors and writes nothing', async (_what, input, keys) => {
    const before = await countRows();
    const errors = await fieldErrors(() => createJob(tdb.ctx, input));
    expect(Object.keys(errors).sort()).toEqual(keys);
    for (const messages of Object.values(errors)) {
      expect(messages.length).toBeGreaterThan(0);
      for (const m of messages) expect(m).toMatch(/\w/);
    }
    expect(await countRows()).toEqual(before);
  });

  it('accepts the same input once it is fixed', async () => {
    const job = await createJob(tdb.ctx, valid({ id: 'valid-one' }));
    expect(job).toMatchObject({ id: 'valid-one', task: 'log.message', state: 'active', version: 1, source: 'user' });
    expect(job.trigger).toMatchObject({ type: 'cron', expression: '*/5 * * * *', timezone: 'Europe/Berlin' });
    expect(Date.parse(job.nextRunAt!)).toBeGreaterThan(Date.now());
    expect(Date.parse(job.nextRunAt!) % 300_000).toBe(0);
    await deleteJob(tdb.ctx, 'valid-one');
  });
});

describe('ids and versions', () => {
  it('refuses a duplicate id with a ConflictError unless replaceExisting', async () => {
    const first = await createJob(tdb.ctx, valid({ id: 'dup', name: 'First' }));
    const before = await countRows();
    await expect(createJob(tdb.ctx, valid({ id: 'dup', name: 'Second' }))).rejects.toBeInstanceOf(ConflictError);
    expect(await countRows()).toEqual(before);
    expect((await getJob(tdb.ctx, 'dup')).name).toBe('First');

    const replaced = await createJob(tdb.ctx, valid({ id: 'dup', name: 'Second', task: 'util.sleep', args: { ms: 5 }, replaceExisting: true }));
    expect(replaced).toMatchObject({ id: 'dup', name: 'Second', task: 'util.sleep', args: { ms: 5 }, version: 2 });
    expect(replaced.createdAt).toBe(first.createdAt);
    expect(await countRows()).toEqual(before);
  });

  it('refuses an update with a stale version and keeps the row as it was', async () => {
    const job = await createJob(tdb.ctx, valid({ id: 'versioned', name: 'v1' }));
    const v2 = await updateJob(tdb.ctx, 'versioned', { name: 'v2', version: job.version });
    expect(v2.version).toBe(job.version + 1);
    await expect(updateJob(tdb.ctx, 'versioned', { name: 'stale edit', version: job.version })).rejects.toBeInstanceOf(ConflictError);
    expect(await getJob(tdb.ctx, 'versioned')).toEqual(v2);
    // Without a version, last write wins; with the current one, it goes through.
    expect((await updateJob(tdb.ctx, 'versioned', { name: 'v3' })).version).toBe(v2.version + 1);
    expect((await updateJob(tdb.ctx, 'versioned', { name: 'v4', version: v2.version + 1 })).name).toBe('v4');
  });

  it('keeps the planned fire on an edit that does not touch the schedule, re-plans on one that does', async () => {
    const job = await createJob(tdb.ctx, valid({ id: 'replan', trigger: { type: 'cron', expression: '0 9 * * *', timezone: 'UTC' } }));
    const renamed = await updateJob(tdb.ctx, 'replan', { name: 'Renamed', args: { message: 'changed' } });
    expect(renamed.nextRunAt).toBe(job.nextRunAt);
    expect(renamed.args).toEqual({ message: 'changed' });
    const retimed = await updateJob(tdb.ctx, 'replan', { trigger: { type: 'cron', expression: '30 10 * * *', timezone: 'UTC' } });
    expect(new Date(retimed.nextRunAt!).toISOString()).toMatch(/T10:30:00\.000Z$/);
    const errors = await fieldErrors(() => updateJob(tdb.ctx, 'replan', { args: { message: '' } }));
    expect(Object.keys(errors)).toEqual(['args.message']);
    expect(await getJob(tdb.ctx, 'replan')).toEqual(retimed);
  });

  it('answers NotFoundError for jobs that do not exist', async () => {
    await expect(getJob(tdb.ctx, 'ghost')).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateJob(tdb.ctx, 'ghost', { name: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteJob(tdb.ctx, 'ghost')).rejects.toBeInstanceOf(NotFoundError);
    await expect(pauseJob(tdb.ctx, 'ghost')).rejects.toBeInstanceOf(NotFoundError);
    await expect(resumeJob(tdb.ctx, 'ghost')).rejects.toBeInstanceOf(NotFoundError);
    await expect(runJobNow(tdb.ctx, 'ghost')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('pause and resume', () => {
  it('pausing clears next_run_at; resuming plans the next fire on the same grid', async () => {
    const job = await createJob(tdb.ctx, valid({ id: 'pausable', trigger: { type: 'interval', every: { minutes: 1 } } }));
    const created = Date.parse(job.createdAt);
    expect(Date.parse(job.nextRunAt!) - created).toBe(60_000);

    const paused = await pauseJob(tdb.ctx, 'pausable');
    expect(paused).toMatchObject({ state: 'paused', nextRunAt: null, version: job.version + 1 });
    const [row] = await tdb.query<{ state: string; next_run_at: Date | null }>("SELECT state, next_run_at FROM jobs WHERE id = 'pausable'");
    expect(row).toEqual({ state: 'paused', next_run_at: null });
    expect(await pauseJob(tdb.ctx, 'pausable')).toEqual(paused);
    expect((await listJobs(tdb.ctx, { state: 'paused', q: 'pausable' })).total).toBe(1);

    const resumed = await resumeJob(tdb.ctx, 'pausable');
    expect(resumed.state).toBe('active');
    expect(resumed.version).toBe(paused.version + 1);
    const next = Date.parse(resumed.nextRunAt!);
    expect(next).toBeGreaterThan(Date.now());
    expect(next - Date.now()).toBeLessThanOrEqual(60_000);
    expect((next - created) % 60_000).toBe(0);
    expect(await resumeJob(tdb.ctx, 'pausable')).toEqual(resumed);
  });

  it('creates a job paused when asked, and can resume it', async () => {
    const job = await createJob(tdb.ctx, valid({ id: 'born-paused', paused: true }));
    expect(job).toMatchObject({ state: 'paused', nextRunAt: null });
    const resumed = await resumeJob(tdb.ctx, 'born-paused');
    expect(resumed.state).toBe('active');
    expect(Date.parse(resumed.nextRunAt!) % 300_000).toBe(0);
  });
});

describe('listJobs', () => {
  const ids = ['list-alpha', 'list-bravo', 'list-charlie', 'list-delta', 'list-echo', 'list-foxtrot', 'list-golf'];

  beforeAll(async () => {
    for (const [i, id] of ids.entries()) {
      await createJob(tdb.ctx, {
        id,
        name: id === 'list-golf' ? 'Listed 100%_done' : `Listed ${id.slice(5)}`,
        task: i % 2 ? 'util.sleep' : 'log.message',
        args: i % 2 ? { ms: 1 } : { message: 'x' },
        // Hour i+1 from now: a distinct, known order of next runs.
        trigger: { type: 'date', runAt: inHours(i + 1) },
        paused: id === 'list-delta',
      });
    }
  });

  const q = (query: Record<string, unknown>) => listJobs(tdb.ctx, { q: 'list-', pageSize: 100, ...query });

  it('searches name and id, and filters by state and task', async () => {
    expect((await q({})).total).toBe(ids.length);
    expect((await q({ q: 'Listed charlie' })).items.map((j) => j.id)).toEqual(['list-charlie']);
    expect((await q({ q: 'ECHO' })).items.map((j) => j.id)).toEqual(['list-echo']);
    // Words begin words ("100%_done" holds the words "100" and "_done"); LIKE wildcards are literal.
    expect((await q({ q: '100%_d' })).items.map((j) => j.id)).toEqual(['list-golf']);
    expect((await q({ q: '%' })).items).toEqual([]);
    expect((await q({ q: '_' })).items.map((j) => j.id)).toEqual(['list-golf']); // `_` is a letter of words: it begins "_done"
    expect((await q({ q: '1' })).items.map((j) => j.id)).toEqual(['list-golf']); // short words too begin words
    expect((await q({ q: 'list-g' })).items.map((j) => j.id)).toEqual(['list-golf']);
    expect((await q({ q: 'no match at all' })).items).toEqual([]);
    expect((await q({ state: 'paused' })).items.map((j) => j.id)).toEqual(['list-delta']);
    const sleeps = await q({ task: 'util.sleep', sort: 'name' });
    expect(sleeps.items.map((j) => j.id)).toEqual(['list-bravo', 'list-delta', 'list-foxtrot']);
    expect(sleeps.total).toBe(3);
    expect((await q({ task: 'util.sleep', state: 'active' })).total).toBe(2);
  });

  it('sorts by name and by next run (paused jobs last)', async () => {
    const byName = (await q({ sort: 'name' })).items.map((j) => j.name);
    expect(byName).toEqual(['Listed 100%_done', 'Listed alpha', 'Listed bravo', 'Listed charlie', 'Listed delta', 'Listed echo', 'Listed foxtrot']);
    expect((await q({ sort: '-name' })).items.map((j) => j.name)).toEqual([...byName].reverse());
    const byNext = (await q({ sort: 'nextRunAt' })).items.map((j) => j.id);
    expect(byNext).toEqual([...ids.filter((id) => id !== 'list-delta'), 'list-delta']);
    const byNextDesc = (await q({ sort: '-nextRunAt' })).items.map((j) => j.id);
    expect(byNextDesc).toEqual([...ids.filter((id) => id !== 'list-delta').reverse(), 'list-delta']);
  });

  it('paginates with a stable total', async () => {
    const pages = await Promise.all([1, 2, 3].map((page) => q({ sort: 'nextRunAt', page, pageSize: 3 })));
    expect(pages.map((p) => p.total)).toEqual([7, 7, 7]);
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    expect(pages.map((p) => [p.page, p.pageSize])).toEqual([[1, 3], [2, 3], [3, 3]]);
    expect(pages.flatMap((p) => p.items.map((j) => j.id))).toEqual((await q({ sort: 'nextRunAt' })).items.map((j) => j.id));
    expect((await q({ page: 4, pageSize: 3 })).items).toEqual([]);
  });

  it('rejects a bad query with field errors', async () => {
    expect(Object.keys(await fieldErrors(() => listJobs(tdb.ctx, { pageSize: 1000 })))).toEqual(['pageSize']);
    expect(Object.keys(await fieldErrors(() => listJobs(tdb.ctx, { sort: 'bogus' })))).toEqual(['sort']);
    expect(Object.keys(await fieldErrors(() => listJobs(tdb.ctx, { state: 'sleeping', page: 0 }))).sort()).toEqual(['page', 'state']);
  });
});

describe("a job's history", () => {
  it('is newest first by scheduled instant, then attempt, whatever order the rows were written in', async () => {
    await createJob(tdb.ctx, valid({ id: 'hist-order', name: 'History order' }));
    const at = (hhmm: string) => `2026-03-01 ${hhmm}:00.000`;
    // Written in this order: two fires, the retry of the first, then a missed fire recorded late.
    const rows: Array<[string, number, string]> = [
      [at('10:00'), 1, 'failed'],
      [at('10:05'), 1, 'succeeded'],
      [at('10:00'), 2, 'succeeded'],
      [at('09:00'), 1, 'missed'],
    ];
    for (const [scheduledFor, attempt, status] of rows) {
      await tdb.query("INSERT INTO job_executions (job_id, scheduled_for, attempt, status) VALUES ('hist-order', ?, ?, ?)", [scheduledFor, attempt, status]);
    }
    const history = await listExecutions(tdb.ctx, 'hist-order', {});
    expect(history.items.map((e) => [e.scheduledFor.slice(11, 16), e.attempt, e.status])).toEqual([
      ['10:05', 1, 'succeeded'],
      ['10:00', 2, 'succeeded'],
      ['10:00', 1, 'failed'],
      ['09:00', 1, 'missed'],
    ]);
    expect((await listExecutions(tdb.ctx, 'hist-order', { page: 2, pageSize: 3 })).items.map((e) => e.status)).toEqual(['missed']);
    // The job is shown with the newest of them, not the last one written.
    const [job] = (await listJobs(tdb.ctx, { q: 'hist-order' })).items;
    expect(job.lastExecution).toMatchObject({ id: history.items[0].id, status: 'succeeded' });
  });
});
