import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { executionSchema, jobSchema, problemSchema } from '../../lib/api-schemas';
import { bodyCases, idCases, prng, queryCases, refusalCases, type FuzzCase } from './fuzz-cases';

/**
 * Over 1,000 generated malformed requests against the real server (seeded, so a failure can be
 * replayed with FUZZ_SEED): every answer must be a 4xx problem+json (400s with field errors naming
 * the broken field), never a 5xx, and no row may change (snapshot through the API before and after).
 */

const BASE = (process.env.CRONBOARD_TEST_URL ?? inject('apiBase')).replace(/\/$/, '');
const TOKEN = process.env.CRONBOARD_TEST_TOKEN ?? inject('apiToken');
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_501);
const CONCURRENCY = 8;

const run = Date.now().toString(36);
const TARGET = `fuzz-${run}-target`;
const ACTIVE = `fuzz-${run}-active`;

async function api(method: string, path: string, json?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(json !== undefined && { 'content-type': 'application/json' }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

interface RowState {
  /** The job minus what the engine moves on its own (next run, last execution). */
  job: Record<string, unknown>;
  executions: number;
  nextRunAt: string | null;
}

/** Every job (with its version and all) and its executions total, read through the API. */
async function snapshot(): Promise<Map<string, RowState>> {
  const rows = new Map<string, RowState>();
  for (let page = 1; ; page++) {
    const res = await api('GET', `/api/jobs?pageSize=100&page=${page}&sort=createdAt`);
    expect(res.status).toBe(200);
    for (const job of res.body.items) {
      // The answers match the schemas the OpenAPI document is generated from.
      expect(jobSchema.safeParse(job).error?.issues ?? []).toEqual([]);
      const history = await api('GET', `/api/jobs/${encodeURIComponent(job.id)}/executions?pageSize=100`);
      expect(history.status).toBe(200);
      for (const execution of history.body.items) expect(executionSchema.safeParse(execution).error?.issues ?? []).toEqual([]);
      const { nextRunAt, lastExecution: _engineOwned, ...rest } = job;
      rows.set(job.id, { job: rest, executions: history.body.total, nextRunAt });
    }
    if (page * 100 >= res.body.total) return rows;
  }
}

/** Does the error key `key` name `field` (itself, a parent or a child)? "_" is the body as a whole. */
const names = (key: string, field: string) =>
  key === field || (field !== '_' && key !== '_' && (key.startsWith(`${field}.`) || field.startsWith(`${key}.`)));

/** Sends one case; returns what was wrong with the answer, or null. */
async function send(c: FuzzCase): Promise<string | null> {
  const headers = { ...c.headers, ...(!c.noToken && { authorization: `Bearer ${TOKEN}` }) };
  const body = c.method === 'GET' || c.method === 'HEAD' ? undefined : c.body;
  let status: number;
  let type: string | null;
  let text: string;
  try {
    const res = await fetch(`${BASE}${c.path}`, { method: c.method, headers, body });
    [status, type, text] = [res.status, res.headers.get('content-type'), await res.text()];
  } catch (err) {
    return `[${c.category}] ${c.label}: the request failed: ${String(err)}`;
  }
  const wrong: string[] = [];
  if (!c.statuses.includes(status)) wrong.push(`status ${status}, expected ${c.statuses.join(' or ')}`);
  if (!type?.startsWith('application/problem+json')) wrong.push(`content-type ${type}`);
  let problem: any;
  try {
    problem = JSON.parse(text);
  } catch {
    wrong.push('the body is not JSON');
  }
  if (problem !== undefined) {
    const parsed = problemSchema.safeParse(problem);
    if (!parsed.success || problem.status !== status) wrong.push('the body is not a problem of this status');
    if (status === 400) {
      const errors: Record<string, unknown> = problem.errors ?? {};
      const keys = Object.keys(errors);
      if (!keys.length) wrong.push('a 400 without field errors');
      if (Object.values(errors).some((m) => !Array.isArray(m) || !m.length || m.some((s) => typeof s !== 'string' || !s.trim()))) wrong.push('empty error messages');
      for (const field of c.fields ?? []) if (!keys.some((k) => names(k, field))) wrong.push(`no error names "${field}"`);
      if (c.mentions && !JSON.stringify(errors).includes(c.mentions)) wrong.push(`no error mentions "${c.mentions}"`);
    }
  }
  return wrong.length ? `[${c.category}] ${c.method} ${c.label}: ${wrong.join('; ')} — ${status} ${text.slice(0, 240)}` : null;
}

/** Runs `cases` with a few requests in flight at a time; returns the failures. */
async function sendAll(cases: FuzzCase[]): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const failure = await send(cases[next++]);
      if (failure) failures.push(failure);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return failures;
}

describe(`malformed requests, generated (FUZZ_SEED=${SEED})`, () => {
  beforeAll(async () => {
    const job = (id: string, extra: Record<string, unknown>) => ({ id, task: 'log.message', args: { message: 'fuzz target' }, ...extra });
    expect((await api('POST', '/api/jobs', job(TARGET, { trigger: { type: 'cron', expression: '*/5 * * * *' }, paused: true }))).status).toBe(201);
    expect((await api('POST', '/api/jobs', job(ACTIVE, { trigger: { type: 'cron', expression: '0 0 1 1 *', timezone: 'Pacific/Auckland' } }))).status).toBe(201);
    expect((await api('POST', `/api/jobs/${TARGET}/run`)).status).toBe(202);
  });

  afterAll(async () => {
    for (const id of [TARGET, ACTIVE]) await api('DELETE', `/api/jobs/${id}`);
  });

  it('answers each with a 4xx problem+json naming the bad field, and changes no row', { timeout: 90_000 }, async () => {
    const before = await snapshot();
    const version = before.get(TARGET)!.job.version as number;
    const rng = prng(SEED);
    const cases = [
      ...bodyCases(rng, 700, TARGET, version),
      ...queryCases(rng, 150, TARGET),
      ...idCases(rng, 150),
      ...refusalCases(rng, 100, TARGET, version),
    ];
    expect(cases.length).toBeGreaterThanOrEqual(1000);
    const categories = new Set(cases.map((c) => c.category));
    for (const c of ['bad JSON', 'not an object', 'invalid UTF-8', 'wrong type', 'huge string', 'unknown field', 'bad query', 'bad id', 'no credentials', 'content type', 'method']) {
      expect(categories, c).toContain(c);
    }

    const started = Date.now();
    const failures = await sendAll(cases);
    expect(failures.slice(0, 25), `${failures.length} of ${cases.length} answers were wrong`).toEqual([]);

    const after = await snapshot();
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [id, was] of before) {
      const now = after.get(id)!;
      expect(now.job, id).toEqual(was.job);
      // A job the engine may have fired meanwhile can gain executions; no other can.
      const mayFire = was.nextRunAt !== null && Date.parse(was.nextRunAt) <= Date.now() + 1000;
      if (mayFire) expect(now.executions, id).toBeGreaterThanOrEqual(was.executions);
      else expect(now.executions, id).toBe(was.executions);
    }
    console.log(`[fuzz] ${cases.length} malformed requests in ${Date.now() - started} ms, seed ${SEED}`);
  });
});
