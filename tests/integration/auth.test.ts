import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCredentials, sessionSecret, signSession, verifyAdminPassword, verifySession } from '../../scheduler/auth';
import { prepareDatabase } from '../../db/migrate';
import { createTestDatabase, type TestDatabase } from './helpers';

/** Dashboard credentials: generated once, kept only as a hash, agreed on by concurrent starts. */

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase('auth');
});
afterAll(async () => {
  await tdb?.cleanup();
});

describe('credentials', () => {
  it('generates one password for several concurrent first starts, stores only its hash, and a second start changes nothing', async () => {
    const results = await Promise.all([1, 2, 3].map(() => ensureCredentials(tdb.db, undefined)));
    const generated = results.map((r) => r.generatedPassword).filter(Boolean) as string[];
    expect(generated).toHaveLength(1);
    const [password] = generated;
    expect(password.length).toBeGreaterThanOrEqual(12);

    const rows = await tdb.query<{ key: string; value: string }>('SELECT `key`, `value` FROM settings ORDER BY `key`');
    expect(rows.map((r) => r.key)).toEqual(['admin_password_hash', 'session_secret']);
    expect(rows[0].value).toMatch(/^scrypt\$/);
    expect(rows[0].value).not.toContain(password);

    expect(await ensureCredentials(tdb.db, undefined)).toEqual({});
    await prepareDatabase(tdb.url);
    expect(await tdb.query('SELECT `key` FROM settings')).toHaveLength(2);

    expect(await verifyAdminPassword(tdb.db, undefined, password)).toBe(true);
    expect(await verifyAdminPassword(tdb.db, undefined, `${password}x`)).toBe(false);
    expect(await verifyAdminPassword(tdb.db, undefined, '')).toBe(false);
  });

  it('uses ADMIN_PASSWORD when it is set, and nothing else', async () => {
    expect(await ensureCredentials(tdb.db, 'configured-password')).toEqual({});
    expect(await verifyAdminPassword(tdb.db, 'configured-password', 'configured-password')).toBe(true);
    expect(await verifyAdminPassword(tdb.db, 'configured-password', 'configured-passwor')).toBe(false);
  });

  it('signs sessions with the stored secret; a forged, altered or expired token is refused', async () => {
    const secret = await sessionSecret(tdb.db);
    expect(await sessionSecret(tdb.db)).toBe(secret);
    const now = Date.now();
    const token = signSession(secret, now + 60_000);
    expect(verifySession(secret, token, now)).toBe(true);
    expect(verifySession(secret, token, now + 60_001)).toBe(false);
    expect(verifySession('another-secret', token, now)).toBe(false);
    const [exp, mac] = token.split('.');
    expect(verifySession(secret, `${Number(exp) + 1000}.${mac}`, now)).toBe(false);
    expect(verifySession(secret, 'garbage', now)).toBe(false);
    expect(verifySession(secret, '', now)).toBe(false);
  });
});
