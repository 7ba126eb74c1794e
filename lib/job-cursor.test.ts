import { describe, expect, it } from 'vitest';
import { decodeJobCursor, encodeJobCursor, jobCursorSchema, type JobCursor } from './job-cursor';

const raw = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');

describe('job cursors', () => {
  const cursors: JobCursor[] = [
    { sort: 'nextRunAt', direction: 'after', key: { value: '2026-11-24T09:30:00.123Z', id: 'nightly-report' }, page: 2 },
    { sort: '-name', direction: 'before', key: { value: 'Zürich «backup» 🌙', id: 'zürich/backup' }, page: 7 },
    { sort: 'lastRunAt', direction: 'after', key: { value: null, id: 'never-ran' }, page: 3 },
    { sort: 'name', direction: 'last', page: 1 },
  ];

  it.each(cursors)('round-trips %j through a URL-safe string', (cursor) => {
    const text = encodeJobCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeJobCursor(text)).toEqual(cursor);
    expect(jobCursorSchema.safeParse(text).success).toBe(true);
  });

  it.each([
    ['not base64url', 'a cursor!'],
    ['no JSON inside', 'bm90IGpzb24'],
    ['bad UTF-8 inside', '_w'],
    ['a JSON of another shape', 'eyJzIjoibmFtZSJ9'],
    ['"last" with a key', raw({ s: 'name', d: 'last', k: ['a', 'b'], p: 1 })],
    ['"after" without a key', raw({ s: 'name', d: 'after', p: 2 })],
    ['page 0', raw({ s: 'name', d: 'after', k: ['a', 'b'], p: 0 })],
    ['too long', 'e'.repeat(601)],
  ])('refuses a string that is %s', (_label, text) => {
    expect(decodeJobCursor(text)).toBeNull();
    const parsed = jobCursorSchema.safeParse(text);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toMatch(/nextCursor or prevCursor/);
  });
});
