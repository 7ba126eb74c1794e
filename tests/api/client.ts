import { expect, inject } from 'vitest';

/**
 * A small client for the API tests: calls over real HTTP with the test token, and assertions on
 * problem+json answers. The "api" project's global setup (tests/api/server.ts) provides the URL
 * and token; CRONBOARD_TEST_URL and CRONBOARD_TEST_TOKEN point the tests at a running server.
 */

export const BASE = (process.env.CRONBOARD_TEST_URL ?? inject('apiBase')).replace(/\/$/, '');
export const TOKEN = process.env.CRONBOARD_TEST_TOKEN ?? inject('apiToken');

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export interface CallOptions {
  /** A JSON value (serialized) or a raw string/bytes/stream body. */
  json?: unknown;
  raw?: BodyInit;
  headers?: Record<string, string>;
  /** false: send no Authorization header; a string: send that token. */
  token?: string | false;
}

export async function call(method: string, path: string, opts: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? TOKEN : opts.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let body: BodyInit | undefined = opts.raw;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['content-type'] ??= 'application/json';
  }
  const init: RequestInit & { duplex?: 'half' } = { method, headers, body };
  if (body instanceof ReadableStream) init.duplex = 'half';
  const res = await fetch(`${BASE}${path}`, init);
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** Asserts a 4xx problem+json answer (optionally of one status, with field errors). */
export function expectProblem(res: Answer, status?: number, withErrors = false): void {
  const context = `${res.status} ${res.text.slice(0, 300)}`;
  if (status) expect(res.status, context).toBe(status);
  expect(res.status, context).toBeGreaterThanOrEqual(400);
  expect(res.status, context).toBeLessThan(500);
  expect(res.headers.get('content-type'), context).toMatch(/^application\/problem\+json/);
  expect(res.body, context).toMatchObject({ type: expect.any(String), title: expect.any(String), status: res.status, detail: expect.any(String) });
  if (withErrors) {
    expect(res.body.errors, context).toBeTypeOf('object');
    expect(Object.keys(res.body.errors).length, context).toBeGreaterThan(0);
    for (const messages of Object.values(res.body.errors)) expect(messages, context).toEqual(expect.arrayContaining([expect.any(String)]));
  }
}

/** Asserts the problem's field errors name `field` or something under it ("trigger" matches "trigger.type"). */
export function expectFieldError(res: Answer, field: string): void {
  const keys = Object.keys(res.body?.errors ?? {});
  expect(
    keys.some((k) => k === field || k.startsWith(`${field}.`)),
    `expected an error at "${field}", got ${JSON.stringify(res.body?.errors)}`,
  ).toBe(true);
}
