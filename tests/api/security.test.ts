import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, disconnect } from '../../db/client';
import { sessionSigningKey, signSession } from '../../scheduler/auth';
import type { SchedulerContext } from '../../scheduler/context';
import { createToken, revokeToken } from '../../scheduler/tokens';

/**
 * Credentials over real HTTP: dashboard-made tokens (accepted, refused once revoked) and the
 * session cookie's CSRF guard (a change made with the cookie must come from the same origin).
 * Needs the server's database (tests/api/server.ts provides its URL and admin password).
 */

const BASE = inject('apiBase').replace(/\/$/, '');
const DATABASE_URL = inject('apiDatabaseUrl');
const ADMIN_PASSWORD = inject('apiAdminPassword');

let ctx: SchedulerContext;
let cookie: string;

beforeAll(async () => {
  ctx = { db: connect(DATABASE_URL, 2).db, now: () => new Date(), defaultTimezone: 'UTC', notify: () => {} };
  const key = await sessionSigningKey(ctx.db, ADMIN_PASSWORD);
  cookie = `cronboard_session=${encodeURIComponent(signSession(key, Date.now() + 3_600_000))}`;
});
afterAll(async () => {
  await disconnect(DATABASE_URL);
});

async function call(method: string, path: string, headers: Record<string, string>, json?: unknown) {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: { ...headers, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    body: json === undefined ? undefined : JSON.stringify(json),
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, body: text ? JSON.parse(text) : undefined };
}

describe('dashboard-made API tokens', () => {
  it('are accepted as Bearer tokens until revoked, then refused at once', async () => {
    const { token, info } = await createToken(ctx, { name: 'api test' });
    const auth = { authorization: `Bearer ${token}` };
    expect((await call('GET', '/api/jobs', auth)).status).toBe(200);

    await revokeToken(ctx, info.id);
    const refused = await call('GET', '/api/jobs', auth);
    expect(refused.status).toBe(401);
    expect(refused.type).toMatch(/^application\/problem\+json/);
  });

  it('refuses unknown, malformed and oversized Authorization values with 401, never 5xx', async () => {
    for (const value of ['Bearer cb_unknown', `Bearer cb_${'A'.repeat(43)}`, 'Bearer', 'Basic abc', `Bearer ${'x'.repeat(5000)}`, 'Bearer a b']) {
      const res = await call('GET', '/api/jobs', { authorization: value });
      expect(res.status, value.slice(0, 40)).toBe(401);
      expect(res.type).toMatch(/^application\/problem\+json/);
    }
  });

  it('a bad Authorization header is not rescued by a valid session cookie', async () => {
    expect((await call('GET', '/api/jobs', { authorization: 'Bearer nope', cookie })).status).toBe(401);
  });
});

describe('session cookie and origin', () => {
  const invalidJob = { task: 'log.message' };

  it('reads with the cookie from anywhere (GET changes nothing)', async () => {
    expect((await call('GET', '/api/jobs', { cookie })).status).toBe(200);
    expect((await call('GET', '/api/jobs', { cookie, origin: 'https://evil.example' })).status).toBe(200);
  });

  it('refuses a change made with the cookie without a matching Origin (403 problem+json)', async () => {
    const cases: Array<Record<string, string>> = [
      {},
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: 'not a url' },
      { origin: `${BASE}.evil.example` },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of cases) {
      const res = await call('POST', '/api/jobs', { cookie, ...headers }, invalidJob);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.type).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 403, title: 'Forbidden' });
    }
    expect((await call('DELETE', '/api/jobs/some-job', { cookie, origin: 'https://evil.example' })).status).toBe(403);
  });

  it('lets a same-origin change through to validation (Origin, X-Forwarded-Host or Sec-Fetch-Site)', async () => {
    const host = new URL(BASE).host;
    const sameOrigin: Array<Record<string, string>> = [
      { origin: BASE },
      { origin: 'https://dashboard.example', 'x-forwarded-host': 'dashboard.example' },
      { 'sec-fetch-site': 'same-origin' },
    ];
    for (const headers of sameOrigin) {
      const res = await call('POST', '/api/jobs', { cookie, ...headers }, invalidJob);
      expect(res.status, `${JSON.stringify(headers)} on ${host}: ${res.text.slice(0, 200)}`).toBe(400);
    }
  });

  it('does not ask Bearer callers for an Origin', async () => {
    const res = await call('POST', '/api/jobs', { authorization: `Bearer ${inject('apiToken')}`, origin: 'https://evil.example' }, invalidJob);
    expect(res.status).toBe(400);
  });
});
