import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCredentials, sessionSigningKey, signSession, verifySession } from '../../scheduler/auth';
import { createToken, listTokens, revokeToken, verifyToken, LAST_USED_RESOLUTION_MS } from '../../scheduler/tokens';
import type { SchedulerContext } from '../../scheduler/context';
import { ValidationError, NotFoundError } from '../../lib/errors';
import { createTestDatabase, type TestDatabase } from './helpers';

/** API tokens made in the dashboard, and sessions bound to the password. */

let tdb: TestDatabase;
let clock = new Date('2026-11-24T10:00:00.000Z');
let ctx: SchedulerContext;

beforeAll(async () => {
  tdb = await createTestDatabase('tokens');
  ctx = { ...tdb.ctx, now: () => clock };
});
afterAll(async () => {
  await tdb?.cleanup();
});

interface StoredRow {
  name: string;
  token_hash: string;
  prefix: string;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

describe('API tokens', () => {
  it('gives the token once and stores only its SHA-256 and a short prefix', async () => {
    const { token, info } = await createToken(ctx, { name: '  deploy pipeline ' });
    expect(token).toMatch(/^cb_[A-Za-z0-9_-]{43}$/);
    expect(info).toEqual({
      id: expect.any(Number),
      name: 'deploy pipeline',
      prefix: token.slice(0, 11),
      createdAt: clock.toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    });
    const rows = await tdb.query<StoredRow>('SELECT * FROM api_tokens WHERE id = ?', [info.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows[0])).not.toContain(token.slice(11));
    expect(JSON.stringify(await listTokens(ctx))).not.toContain(token.slice(11));
  });

  it('refuses a missing, empty or too long name, writing nothing', async () => {
    const before = (await listTokens(ctx)).length;
    for (const input of [{}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(101) }, { name: 5 }, null, { name: 'ok', extra: 1 }]) {
      await expect(createToken(ctx, input)).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(createToken(ctx, { name: '' })).rejects.toMatchObject({ fieldErrors: { name: ['Give the token a name.'] } });
    expect(await listTokens(ctx)).toHaveLength(before);
  });

  it('verifies a live token and records its use at most once a minute', async () => {
    const { token, info } = await createToken(ctx, { name: 'verify me' });
    const used = await verifyToken(ctx, token);
    expect(used).toMatchObject({ id: info.id, lastUsedAt: clock.toISOString() });

    const first = clock;
    clock = new Date(first.getTime() + LAST_USED_RESOLUTION_MS - 1);
    expect((await verifyToken(ctx, token))?.lastUsedAt).toBe(first.toISOString());
    clock = new Date(first.getTime() + LAST_USED_RESOLUTION_MS + 1);
    expect((await verifyToken(ctx, token))?.lastUsedAt).toBe(clock.toISOString());

    expect(await verifyToken(ctx, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    expect(await verifyToken(ctx, token.toUpperCase())).toBeNull();
    for (const garbage of ['', 'cb_', 'Bearer x', info.prefix, 'x'.repeat(5000), `${token} `]) {
      expect(await verifyToken(ctx, garbage)).toBeNull();
    }
  });

  it('a revoked token stops working at once and stays listed as revoked', async () => {
    const { token, info } = await createToken(ctx, { name: 'short-lived' });
    expect(await verifyToken(ctx, token)).not.toBeNull();
    const revoked = await revokeToken(ctx, info.id);
    expect(revoked.revokedAt).toBe(clock.toISOString());
    expect(await verifyToken(ctx, token)).toBeNull();

    const later = clock;
    clock = new Date(later.getTime() + 5000);
    expect((await revokeToken(ctx, info.id)).revokedAt).toBe(later.toISOString());
    const listed = (await listTokens(ctx)).find((t) => t.id === info.id);
    expect(listed).toMatchObject({ name: 'short-lived', revokedAt: later.toISOString() });
    await expect(revokeToken(ctx, 999_999)).rejects.toBeInstanceOf(NotFoundError);
    await expect(revokeToken(ctx, -1)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists every token newest first, without secrets', async () => {
    clock = new Date(clock.getTime() + 60_000);
    const { info } = await createToken(ctx, { name: 'newest' });
    const listed = await listTokens(ctx);
    expect(listed[0]).toEqual(info);
    expect(listed.map((t) => t.name)).toEqual(expect.arrayContaining(['deploy pipeline', 'verify me', 'short-lived', 'newest']));
    for (const t of listed) expect(Object.keys(t).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt']);
  });
});

describe('sessions', () => {
  it('are signed with a key bound to the password: changing it signs everyone out', async () => {
    await ensureCredentials(tdb.db, undefined);
    const key = await sessionSigningKey(tdb.db, undefined);
    expect(await sessionSigningKey(tdb.db, undefined)).toBe(key);
    const session = signSession(key, Date.now() + 60_000);
    expect(verifySession(key, session)).toBe(true);

    await tdb.query("UPDATE settings SET `value` = 'scrypt$changed$hash' WHERE `key` = 'admin_password_hash'");
    const afterChange = await sessionSigningKey(tdb.db, undefined);
    expect(afterChange).not.toBe(key);
    expect(verifySession(afterChange, session)).toBe(false);

    const envKey = await sessionSigningKey(tdb.db, 'configured-password');
    expect(envKey).not.toBe(afterChange);
    expect(await sessionSigningKey(tdb.db, 'configured-password-2')).not.toBe(envKey);
  });
});
