import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { settings } from '../db/schema';

/**
 * Credentials of the dashboard: the admin password (from ADMIN_PASSWORD, or generated on the
 * first start and kept only as a scrypt hash) and the secret that signs session cookies.
 */

const PASSWORD_KEY = 'admin_password_hash';
const SECRET_KEY = 'session_secret';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** scrypt runs on libuv's thread pool, so a sign-in never blocks the event loop (and the engine). */
async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32);
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

async function verifyHash(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  if (expected.length < 16) return false;
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length);
  return timingSafeEqual(expected, actual);
}

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHmac('sha256', 'cmp').update(a).digest();
  const hb = createHmac('sha256', 'cmp').update(b).digest();
  return timingSafeEqual(ha, hb);
}

async function readSetting(db: Db, key: string): Promise<string | undefined> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).limit(1);
  return row?.value;
}

/** Inserts `value` unless the key exists; returns the value that won (ours or an earlier one). */
async function insertOnce(db: Db, key: string, value: string): Promise<{ value: string; created: boolean }> {
  const [res] = await db.execute(sql`INSERT IGNORE INTO ${settings} (\`key\`, \`value\`) VALUES (${key}, ${value})`);
  const created = (res as unknown as { affectedRows: number }).affectedRows === 1;
  return { value: created ? value : ((await readSetting(db, key)) ?? value), created };
}

/**
 * Makes sure the dashboard has a password and a session secret. When ADMIN_PASSWORD is unset
 * and none is stored, generates one and returns it (the caller prints it once); several
 * instances starting together agree on one (INSERT IGNORE), and only the winner gets it back.
 */
export async function ensureCredentials(db: Db, adminPassword: string | undefined): Promise<{ generatedPassword?: string }> {
  await insertOnce(db, SECRET_KEY, randomBytes(32).toString('base64url'));
  if (adminPassword) return {};
  if (await readSetting(db, PASSWORD_KEY)) return {};
  const password = randomBytes(12).toString('base64url');
  const { created } = await insertOnce(db, PASSWORD_KEY, await hashPassword(password));
  return created ? { generatedPassword: password } : {};
}

/** Checks a password against ADMIN_PASSWORD when set, else against the stored hash. */
export async function verifyAdminPassword(db: Db, adminPassword: string | undefined, candidate: string): Promise<boolean> {
  if (adminPassword) return safeEqual(candidate, adminPassword);
  const stored = await readSetting(db, PASSWORD_KEY);
  return stored ? verifyHash(candidate, stored) : false;
}

/** The secret that signs session cookies (created by ensureCredentials; created here if missing). */
export async function sessionSecret(db: Db): Promise<string> {
  return (await readSetting(db, SECRET_KEY)) ?? (await insertOnce(db, SECRET_KEY, randomBytes(32).toString('base64url'))).value;
}

/**
 * The key that signs session cookies: the stored secret bound to a fingerprint of the current
 * password (ADMIN_PASSWORD when set, else the stored hash). Changing the password changes the
 * key, so every session signed before is refused: a password change signs everyone out.
 */
export async function sessionSigningKey(db: Db, adminPassword: string | undefined): Promise<string> {
  const secret = await sessionSecret(db);
  const password = adminPassword ? `env:${adminPassword}` : `stored:${(await readSetting(db, PASSWORD_KEY)) ?? ''}`;
  const fingerprint = createHash('sha256').update(password).digest('base64url');
  return createHmac('sha256', secret).update(`session-key:${fingerprint}`).digest('base64url');
}

/** A session token: "<expiresAtMs>.<hmac>". */
export function signSession(secret: string, expiresAt: number): string {
  const mac = createHmac('sha256', secret).update(`session:${expiresAt}`).digest('base64url');
  return `${expiresAt}.${mac}`;
}

/** True when `token` was signed with `secret` and has not expired. */
export function verifySession(secret: string, token: string, now = Date.now()): boolean {
  const [exp, mac] = token.split('.');
  const expiresAt = Number(exp);
  if (!mac || !Number.isFinite(expiresAt) || expiresAt <= now) return false;
  return safeEqual(signSession(secret, expiresAt), token);
}
