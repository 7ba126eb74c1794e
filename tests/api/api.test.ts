import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectFieldError, expectProblem, type Answer } from './client';

/**
 * The JSON API over real HTTP, against a running Cronboard (real route handlers, real MySQL).
 * The "api" project's global setup (tests/api/server.ts) starts the app on a fresh database; or
 * point it at a running server with CRONBOARD_TEST_URL and CRONBOARD_TEST_TOKEN.
 */

const run = Date.now().toString(36);
const uid = (name: string) => `apitest-${run}-${name}`;
const created = new Set<string>();

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const logJob = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `API test ${id}`,
  task: 'log.message',
  args: { message: 'hello from the API test' },
  trigger: { type: 'cron', expression: '*/5 * * * *', timezone: 'Europe/Berlin' },
  ...extra,
});

async function createJob(input: Record<string, unknown>): Promise<Answer> {
  const res = await call('POST', '/api/jobs', { json: input });
  if (res.status === 201 || res.status === 200) created.add(res.body.id);
  return res;
}

async function jobsTotal(): Promise<number> {
  const res = await call('GET', '/api/jobs?pageSize=1');
  expect(res.status).toBe(200);
  return res.body.total;
}

/** Waits for `check` to pass, retrying until the deadline (never a blind sleep). */
async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('JSON API over HTTP', () => {
  afterAll(async () => {
    for (const id of created) await call('DELETE', `/api/jobs/${encodeURIComponent(id)}`);
  });

  describe('authentication', () => {
    it('answers 401 problem+json with WWW-Authenticate without a token', async () => {
      const res = await call('GET', '/api/jobs', { token: false });
      expectProblem(res, 401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it('answers 401 for a wrong token, a non-Bearer scheme or a garbled session cookie', async () => {
      expectProblem(await call('GET', '/api/jobs', { token: 'not-a-token' }), 401);
      expectProblem(await call('GET', '/api/tasks', { token: false, headers: { authorization: 'Basic dXNlcjpwYXNz' } }), 401);
      expectProblem(await call('GET', '/api/tasks', { token: false, headers: { cookie: 'cronboard_session=%ff%zz' } }), 401);
      expectProblem(await call('POST', '/api/jobs', { token: false, json: logJob(uid('noauth')) }), 401);
    });

    it('leaves /api/health open', async () => {
      const res = await call('GET', '/api/health', { token: false });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: expect.any(String), database: 'up', scheduler: expect.any(Object) });
    });
  });

  describe('jobs', () => {
    const id = uid('main');

    it('creates a job: 201, Location, the resolved job', async () => {
      const res = await createJob(logJob(id));
      expect(res.status, res.text).toBe(201);
      expect(res.headers.get('location')).toBe(`/api/jobs/${id}`);
      expect(res.body).toMatchObject({
        id,
        task: 'log.message',
        state: 'active',
        source: 'user',
        version: 1,
        trigger: { type: 'cron', expression: '*/5 * * * *', timezone: 'Europe/Berlin' },
        options: { maxInstances: 1, coalesce: true },
        lastExecution: null,
      });
      expect(Date.parse(res.body.nextRunAt)).toBeGreaterThan(Date.now() - 1000);
    });

    it('answers 409 for an existing id, and writes nothing', async () => {
      const res = await call('POST', '/api/jobs', { json: logJob(id, { name: 'Overwritten?' }) });
      expectProblem(res, 409);
      const job = await call('GET', `/api/jobs/${id}`);
      expect(job.body.name).toBe(`API test ${id}`);
    });

    it('replaces an existing id with replaceExisting, and creates a new one with it', async () => {
      const replaced = await createJob(logJob(id, { name: 'Replaced', replaceExisting: true }));
      expect(replaced.status).toBe(201);
      expect(replaced.body).toMatchObject({ id, name: 'Replaced', version: 2 });
      const fresh = await createJob(logJob(uid('fresh'), { replaceExisting: true }));
      expect(fresh.status).toBe(201);
      expect(fresh.body.version).toBe(1);
    });

    it('generates an id when none is given', async () => {
      const { id: _omit, ...input } = logJob('x');
      const res = await createJob(input);
      expect(res.status).toBe(201);
      expect(res.body.id).toMatch(/\S/);
    });

    it('gets a job, and 404 for an unknown one', async () => {
      const res = await call('GET', `/api/jobs/${id}`);
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(id);
      expectProblem(await call('GET', `/api/jobs/${uid('missing')}`), 404);
    });

    it('lists, filters and searches jobs', async () => {
      const res = await call('GET', `/api/jobs?q=${encodeURIComponent(`apitest-${run}`)}&sort=name&pageSize=100`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ page: 1, pageSize: 100 });
      expect(res.body.items.map((j: { id: string }) => j.id)).toContain(id);
      const paused = await call('GET', `/api/jobs?state=paused&q=${encodeURIComponent(id)}`);
      expect(paused.body.total).toBe(0);
      // Empty values count as absent, unknown parameters are ignored.
      expect((await call('GET', '/api/jobs?q=&state=&cacheBust=1')).status).toBe(200);
    });

    it('patches a job; a stale version is a 409', async () => {
      const before = (await call('GET', `/api/jobs/${id}`)).body;
      const res = await call('PATCH', `/api/jobs/${id}`, {
        json: { description: 'patched', options: { maxInstances: 2 }, version: before.version },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ description: 'patched', options: { maxInstances: 2 }, version: before.version + 1 });
      const stale = await call('PATCH', `/api/jobs/${id}`, { json: { name: 'stale edit', version: before.version } });
      expectProblem(stale, 409);
      expect((await call('GET', `/api/jobs/${id}`)).body.name).not.toBe('stale edit');
    });

    it('patches the trigger and re-plans the next run', async () => {
      const res = await call('PATCH', `/api/jobs/${id}`, {
        json: { trigger: { type: 'interval', every: { hours: 2 }, timezone: 'UTC' } },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body.trigger).toMatchObject({ type: 'interval', every: { hours: 2 } });
      const next = Date.parse(res.body.nextRunAt);
      expect(next).toBeGreaterThan(Date.now() + 2 * 3_600_000 - 60_000);
      expect(next).toBeLessThan(Date.now() + 2 * 3_600_000 + 60_000);
    });

    it('pauses and resumes (both idempotent)', async () => {
      const paused = await call('POST', `/api/jobs/${id}/pause`);
      expect(paused.status).toBe(200);
      expect(paused.body).toMatchObject({ state: 'paused', nextRunAt: null });
      expect((await call('POST', `/api/jobs/${id}/pause`)).body.state).toBe('paused');
      const resumed = await call('POST', `/api/jobs/${id}/resume`);
      expect(resumed.status).toBe(200);
      expect(resumed.body.state).toBe('active');
      expect(resumed.body.nextRunAt).not.toBeNull();
      expect((await call('POST', `/api/jobs/${id}/resume`)).body.state).toBe('active');
    });

    it('runs a job now (even paused): 202 { executionId }, listed in its executions', async () => {
      await call('POST', `/api/jobs/${id}/pause`);
      const res = await call('POST', `/api/jobs/${id}/run`);
      expect(res.status, res.text).toBe(202);
      expect(res.body.executionId).toEqual(expect.any(Number));
      const list = await call('GET', `/api/jobs/${id}/executions`);
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ page: 1, total: expect.any(Number) });
      const execution = list.body.items.find((e: { id: number }) => e.id === res.body.executionId);
      expect(execution).toMatchObject({ jobId: id, attempt: 1 });

      const health = await call('GET', '/api/health', { token: false });
      if (health.body.scheduler?.instancesAlive > 0) {
        // A live engine picks the run up: wait for it to finish, not for a fixed time.
        const done = await eventually(async () => {
          const page = await call('GET', `/api/jobs/${id}/executions?status=succeeded`);
          const row = page.body.items.find((e: { id: number }) => e.id === res.body.executionId);
          expect(row).toBeDefined();
          return row;
        });
        expect(done.finishedAt).not.toBeNull();
      }
      expect((await call('GET', `/api/jobs/${id}`)).body.state).toBe('paused');
    });

    it('404s actions and history of an unknown job', async () => {
      const missing = uid('nope');
      for (const [method, path] of [
        ['POST', `/api/jobs/${missing}/pause`],
        ['POST', `/api/jobs/${missing}/resume`],
        ['POST', `/api/jobs/${missing}/run`],
        ['GET', `/api/jobs/${missing}/executions`],
        ['PATCH', `/api/jobs/${missing}`],
        ['DELETE', `/api/jobs/${missing}`],
      ]) {
        const res = await call(method, path, method === 'PATCH' ? { json: { name: 'x' } } : {});
        expectProblem(res, 404);
      }
    });

    it('deletes a job: 204 with an empty body, then 404', async () => {
      const doomed = uid('doomed');
      await createJob(logJob(doomed));
      const res = await call('DELETE', `/api/jobs/${doomed}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectProblem(await call('GET', `/api/jobs/${doomed}`), 404);
      expectProblem(await call('DELETE', `/api/jobs/${doomed}`), 404);
    });
  });

  describe('triggers, tasks, methods', () => {
    it('previews a cron trigger in its zone across a DST change', async () => {
      const res = await call('POST', '/api/triggers/preview', {
        json: {
          trigger: { type: 'cron', expression: '0 9 * * 1-5', timezone: 'Europe/Berlin' },
          count: 3,
          from: '2026-03-27T12:00:00Z',
        },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body.runs).toEqual(['2026-03-30T07:00:00.000Z', '2026-03-31T07:00:00.000Z', '2026-04-01T07:00:00.000Z']);
      expect(res.body.description).toEqual(expect.any(String));
    });

    it('previews five runs by default', async () => {
      const res = await call('POST', '/api/triggers/preview', { json: { trigger: { type: 'interval', every: { minutes: 90 } } } });
      expect(res.status).toBe(200);
      expect(res.body.runs).toHaveLength(5);
    });

    it('rejects an invalid cron expression in a preview with field errors', async () => {
      const res = await call('POST', '/api/triggers/preview', { json: { trigger: { type: 'cron', expression: '61 * * * *' } } });
      expectProblem(res, 400, true);
      expectFieldError(res, 'trigger.expression');
    });

    it('lists the tasks with JSON Schema arguments', async () => {
      const res = await call('GET', '/api/tasks');
      expect(res.status).toBe(200);
      const names = res.body.map((t: { name: string }) => t.name);
      expect(names).toEqual(expect.arrayContaining(['log.message', 'util.sleep', 'http.request']));
      for (const task of res.body) {
        expect(task).toMatchObject({ name: expect.any(String), title: expect.any(String), description: expect.any(String) });
        expect(task.argsSchema).toBeTypeOf('object');
      }
    });

    it('answers 405 problem+json with Allow for an unsupported method, and OPTIONS', async () => {
      const res = await call('PUT', '/api/jobs', { json: {} });
      expectProblem(res, 405);
      expect(res.headers.get('allow')).toContain('POST');
      const preview = await call('GET', '/api/triggers/preview');
      expectProblem(preview, 405);
      const options = await call('OPTIONS', '/api/jobs/some-id');
      expect(options.status).toBe(204);
      expect(options.headers.get('allow')).toContain('PATCH');
    });
  });

  describe('malformed requests: always 4xx problem+json, nothing written', () => {
    let totalBefore = 0;
    const existing = uid('target');
    beforeAll(async () => {
      expect((await createJob(logJob(existing))).status).toBe(201);
      totalBefore = await jobsTotal();
    });

    const bad = uid('bad');
    const cron = (expression: unknown, extra: Record<string, unknown> = {}) => ({ ...logJob(bad), trigger: { type: 'cron', expression, ...extra } });
    const interval = (every: unknown) => ({ ...logJob(bad), trigger: { type: 'interval', every } });
    const date = (runAt: unknown) => ({ ...logJob(bad), trigger: { type: 'date', runAt } });
    const withOptions = (options: unknown) => ({ ...logJob(bad), options });

    // [label, body as JSON value, the field whose error is expected ('' for any)]
    const badJobs: Array<[string, unknown, string]> = [
      ['empty object', {}, 'task'],
      ['no trigger', { task: 'log.message', args: { message: 'x' } }, 'trigger'],
      ['unknown top-level field', { ...logJob(bad), colour: 'blue' }, ''],
      ['task as a number', { ...logJob(bad), task: 42 }, 'task'],
      ['unknown task', { ...logJob(bad), task: 'no.such.task' }, 'task'],
      ['args missing a required field', { ...logJob(bad), args: {} }, 'args.message'],
      ['args with a wrong type', { ...logJob(bad), args: { message: 42 } }, 'args.message'],
      ['args with an unknown field', { ...logJob(bad), args: { message: 'x', extra: true } }, 'args'],
      ['args as an array', { ...logJob(bad), args: ['x'] }, 'args'],
      ['args of another task', { ...logJob(bad), task: 'util.sleep', args: { message: 'x' } }, 'args'],
      ['trigger null', { ...logJob(bad), trigger: null }, 'trigger'],
      ['trigger without type', { ...logJob(bad), trigger: { expression: '* * * * *' } }, 'trigger'],
      ['trigger of unknown type', { ...logJob(bad), trigger: { type: 'weekly' } }, 'trigger'],
      ['cron: words', cron('every monday'), 'trigger.expression'],
      ['cron: minute 61', cron('61 * * * *'), 'trigger.expression'],
      ['cron: 8 fields', cron('0 0 0 * * * * *'), 'trigger.expression'],
      ['cron: empty', cron(''), 'trigger.expression'],
      ['cron: a number', cron(5), 'trigger.expression'],
      ['cron: 300 characters', cron(`${'1,'.repeat(150)}* * * *`), 'trigger.expression'],
      ['cron: unknown time zone', cron('0 * * * *', { timezone: 'Mars/Olympus_Mons' }), 'trigger.timezone'],
      ['cron: time zone a number', cron('0 * * * *', { timezone: 1 }), 'trigger.timezone'],
      ['cron: end before start', cron('0 * * * *', { startAt: future(10), endAt: future(5) }), 'trigger.endAt'],
      ['cron: negative jitter', cron('0 * * * *', { jitterMs: -1 }), 'trigger.jitterMs'],
      ['cron: unknown trigger field', cron('0 * * * *', { every: { minutes: 1 } }), 'trigger'],
      ['interval: zero', interval({ minutes: 0 }), 'trigger.every'],
      ['interval: empty', interval({}), 'trigger.every'],
      ['interval: negative', interval({ minutes: -5 }), 'trigger.every.minutes'],
      ['interval: fraction', interval({ hours: 1.5 }), 'trigger.every.hours'],
      ['interval: number as string', interval({ minutes: '5' }), 'trigger.every.minutes'],
      ['interval: unknown unit', interval({ fortnights: 1 }), 'trigger.every'],
      ['interval: every as a number', interval(60), 'trigger.every'],
      ['date: in the past', date('2001-01-01T00:00:00Z'), 'trigger.runAt'],
      ['date: not a date', date('tomorrow'), 'trigger.runAt'],
      ['date: no offset', date('2099-01-01T00:00:00'), 'trigger.runAt'],
      ['date: impossible day', date('2099-02-30T00:00:00Z'), 'trigger.runAt'],
      ['date: past the year 9999 in UTC', date('9999-12-31T23:00:00-14:00'), 'trigger.runAt'],
      ['date: a timestamp number', date(4_102_444_800_000), 'trigger.runAt'],
      ['id with spaces', { ...logJob(bad), id: 'has spaces' }, 'id'],
      ['id of 300 characters', { ...logJob(bad), id: 'a'.repeat(300) }, 'id'],
      ['id empty', { ...logJob(bad), id: '' }, 'id'],
      ['id a number', { ...logJob(bad), id: 123 }, 'id'],
      ['name a number', { ...logJob(bad), name: 5 }, 'name'],
      ['name of 201 characters', { ...logJob(bad), name: 'n'.repeat(201) }, 'name'],
      ['description null', { ...logJob(bad), description: null }, 'description'],
      ['paused as a string', { ...logJob(bad), paused: 'true' }, 'paused'],
      ['replaceExisting as a string', { ...logJob(existing), replaceExisting: 'yes' }, 'replaceExisting'],
      ['maxInstances zero', withOptions({ maxInstances: 0 }), 'options.maxInstances'],
      ['maxInstances as a string', withOptions({ maxInstances: '2' }), 'options.maxInstances'],
      ['retries without backoff', withOptions({ retries: { max: 3 } }), 'options.retries.backoffMs'],
      ['unknown option', withOptions({ priority: 'high' }), 'options'],
      ['options as an array', withOptions([1]), 'options'],
    ];

    it.each(badJobs)('POST /api/jobs, %s: 400 with field errors', async (_label, body, field) => {
      const res = await call('POST', '/api/jobs', { json: body });
      expectProblem(res, 400, true);
      if (field) expectFieldError(res, field);
    });

    // [label, raw body, content type, expected status]
    const badBodies: Array<[string, string, string, number]> = [
      ['truncated JSON', '{"task": "log.message", ', 'application/json', 400],
      ['not JSON at all', 'hello', 'application/json', 400],
      ['trailing comma', '{"task": "log.message",}', 'application/json', 400],
      ['an empty body', '', 'application/json', 400],
      ['whitespace only', '   \n ', 'application/json', 400],
      ['an array', '[]', 'application/json', 400],
      ['null', 'null', 'application/json', 400],
      ['a number', '42', 'application/json', 400],
      ['a string', '"job"', 'application/json', 400],
      ['an overflowing number', '{"task":"log.message","options":{"maxInstances":1e999}}', 'application/json', 400],
      ['a __proto__ key', '{"__proto__":{"polluted":true},"task":"log.message"}', 'application/json', 400],
      ['deep nesting', `{"task":"log.message","args":{"message":"x","deep":${'['.repeat(5000)}${']'.repeat(5000)}}}`, 'application/json', 400],
      ['text/plain', JSON.stringify(logJob(bad)), 'text/plain', 415],
      ['a form post', 'task=log.message', 'application/x-www-form-urlencoded', 415],
    ];

    it.each(badBodies)('POST /api/jobs with %s: a 4xx problem+json', async (_label, raw, type, status) => {
      const res = await call('POST', '/api/jobs', { raw, headers: { 'content-type': type } });
      expectProblem(res, status, status === 400);
    });

    it('rejects invalid UTF-8 with 400', async () => {
      const bytes = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
      expectProblem(await call('POST', '/api/jobs', { raw: bytes, headers: { 'content-type': 'application/json' } }), 400, true);
    });

    it('rejects a body over 1 MiB with 413, declared or streamed', async () => {
      const huge = JSON.stringify({ ...logJob(bad), description: 'x'.repeat(1_100_000) });
      expectProblem(await call('POST', '/api/jobs', { raw: huge, headers: { 'content-type': 'application/json' } }), 413);
      const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 20) controller.enqueue(chunk);
          else controller.close();
        },
      });
      expectProblem(await call('POST', '/api/triggers/preview', { raw: stream, headers: { 'content-type': 'application/json' } }), 413);
    });

    // [label, body, the field whose error is expected ('' for any)]
    const badPatches: Array<[string, unknown, string]> = [
      ['version as a string', { name: 'x', version: '1' }, 'version'],
      ['negative version', { version: -1 }, 'version'],
      ['an id', { id: 'renamed' }, ''],
      ['an unknown field', { colour: 'red' }, ''],
      ['replaceExisting', { replaceExisting: true }, ''],
      ['unknown task', { task: 'no.such.task' }, 'task'],
      ['args not matching the task', { args: { message: '' } }, 'args.message'],
      ['bad cron', { trigger: { type: 'cron', expression: '* * *' } }, 'trigger.expression'],
      ['past date', { trigger: { type: 'date', runAt: '2000-01-01T00:00:00Z' } }, 'trigger.runAt'],
      ['null name', { name: null }, 'name'],
    ];

    it.each(badPatches)('PATCH /api/jobs/{id} with %s: 400 with field errors', async (_label, body, field) => {
      const res = await call('PATCH', `/api/jobs/${existing}`, { json: body });
      expectProblem(res, 400, true);
      if (field) expectFieldError(res, field);
    });

    it('PATCH with bad JSON or an array: 400', async () => {
      expectProblem(await call('PATCH', `/api/jobs/${existing}`, { raw: '{"name":', headers: { 'content-type': 'application/json' } }), 400, true);
      expectProblem(await call('PATCH', `/api/jobs/${existing}`, { json: [{ name: 'x' }] }), 400, true);
    });

    // [label, path and query, the field whose error is expected]
    const badQueries: Array<[string, string, string]> = [
      ['page 0', '/api/jobs?page=0', 'page'],
      ['page not a number', '/api/jobs?page=abc', 'page'],
      ['page a fraction', '/api/jobs?page=1.5', 'page'],
      ['page huge', '/api/jobs?page=1e400', 'page'],
      ['pageSize 1000', '/api/jobs?pageSize=1000', 'pageSize'],
      ['pageSize negative', '/api/jobs?pageSize=-1', 'pageSize'],
      ['unknown sort', '/api/jobs?sort=colour', 'sort'],
      ['unknown state', '/api/jobs?state=sleeping', 'state'],
      ['repeated page', '/api/jobs?page=1&page=2', 'page'],
      ['search of 201 characters', `/api/jobs?q=${'q'.repeat(201)}`, 'q'],
      ['executions: unknown status', `/api/jobs/${existing}/executions?status=exploded`, 'status'],
      ['executions: pageSize 0', `/api/jobs/${existing}/executions?pageSize=0`, 'pageSize'],
      ['executions: repeated status', `/api/jobs/${existing}/executions?status=failed&status=missed`, 'status'],
    ];

    it.each(badQueries)('GET with %s: 400 with field errors', async (_label, path, field) => {
      const res = await call('GET', path);
      expectProblem(res, 400, true);
      expectFieldError(res, field);
    });

    const badPreviews: Array<[string, unknown, string]> = [
      ['no trigger', {}, 'trigger'],
      ['count 0', { trigger: { type: 'interval', every: { minutes: 1 } }, count: 0 }, 'count'],
      ['count 51', { trigger: { type: 'interval', every: { minutes: 1 } }, count: 51 }, 'count'],
      ['count as a string', { trigger: { type: 'interval', every: { minutes: 1 } }, count: '5' }, 'count'],
      ['from not an instant', { trigger: { type: 'interval', every: { minutes: 1 } }, from: 'now' }, 'from'],
      ['unknown time zone', { trigger: { type: 'cron', expression: '0 * * * *', timezone: 'Europe/Atlantis' } }, 'trigger.timezone'],
      ['unknown field', { trigger: { type: 'interval', every: { minutes: 1 } }, verbose: true }, ''],
    ];

    it.each(badPreviews)('POST /api/triggers/preview with %s: 400 with field errors', async (_label, body, field) => {
      const res = await call('POST', '/api/triggers/preview', { json: body });
      expectProblem(res, 400, true);
      if (field) expectFieldError(res, field);
    });

    it.each([
      ['1000 characters', `/api/jobs/${'a'.repeat(1000)}`],
      ['1000 characters, action', `/api/jobs/${'a'.repeat(1000)}/run`],
      ['malformed percent-encoding', '/api/jobs/%ff'],
      ['a lone percent sign', '/api/jobs/%'],
      ['a truncated UTF-8 sequence', '/api/jobs/%e2%82/executions'],
      ['a NUL byte', '/api/jobs/%00'],
      ['an emoji', '/api/jobs/%F0%9F%98%80'],
    ])('a job id with %s in the path: 400 or 404, never 500', async (_label, path) => {
      const method = path.endsWith('/run') ? 'POST' : 'GET';
      const res = await call(method, path);
      expect([400, 404], `${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
      expectProblem(res);
    });

    it('wrote nothing: the jobs total and the target job are unchanged', async () => {
      expect(await jobsTotal()).toBe(totalBefore);
      const job = await call('GET', `/api/jobs/${existing}`);
      expect(job.body).toMatchObject({ version: 1, name: `API test ${existing}` });
    });
  });
});
