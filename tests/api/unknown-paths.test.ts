import { describe, expect, inject, it } from 'vitest';

/** Unknown /api paths answer 404 problem+json for every method, never Next's HTML page. */
const BASE = (process.env.CRONBOARD_TEST_URL ?? inject('apiBase')).replace(/\/$/, '');
const TOKEN = process.env.CRONBOARD_TEST_TOKEN ?? inject('apiToken');

describe('unknown API paths', () => {
  for (const [method, path] of [
    ['GET', '/api/nope'],
    ['POST', '/api/jobs/a/b/c'],
    ['DELETE', '/api/triggers'],
    ['PATCH', '/api/tasks/x'],
  ] as const) {
    it(`${method} ${path} is a 404 problem+json`, async () => {
      const res = await fetch(`${BASE}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ status: 404, title: 'Not found', detail: expect.stringContaining(path) });
    });
  }
});
