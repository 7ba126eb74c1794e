import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { env } from '@/lib/env';
import { appContext } from '@/scheduler/context';
import { safeEqual, sessionSigningKey, verifySession } from '@/scheduler/auth';
import { verifyToken } from '@/scheduler/tokens';

/** Name of the dashboard's session cookie (httpOnly, SameSite=Lax, signed). */
export const SESSION_COOKIE = 'cronboard_session';
/** Sessions last a week. */
export const SESSION_TTL_MS = 7 * 24 * 3_600_000;

/** How long a process reuses the session signing key before reading it again. */
const KEY_TTL_MS = 10_000;

const g = globalThis as unknown as { __cronboardSessionKey?: { key: Promise<string>; readAt: number } };

/**
 * The key that signs session cookies (the stored secret bound to the current password, see
 * sessionSigningKey), re-read every 10 s so a password changed elsewhere signs everyone out
 * within that time on every instance.
 */
export function getSessionKey(): Promise<string> {
  const cached = g.__cronboardSessionKey;
  if (cached && Date.now() - cached.readAt < KEY_TTL_MS) return cached.key;
  const entry = { readAt: Date.now(), key: sessionSigningKey(appContext().db, env().ADMIN_PASSWORD) };
  entry.key.catch(() => {
    if (g.__cronboardSessionKey === entry) g.__cronboardSessionKey = undefined;
  });
  g.__cronboardSessionKey = entry;
  return entry.key;
}

async function validToken(token: string | undefined): Promise<boolean> {
  if (!token) return false;
  return verifySession(await getSessionKey(), token);
}

/** True when the request carries a valid session cookie. */
export async function isSignedIn(): Promise<boolean> {
  const jar = await cookies();
  return validToken(jar.get(SESSION_COOKIE)?.value);
}

/** Redirects to /login unless signed in. Call at the top of every dashboard page. */
export async function requireSignedIn(): Promise<void> {
  if (!(await isSignedIn())) redirect('/login');
}

/** How a request proved who it is: a Bearer token (API_TOKENS or the dashboard's), or the session cookie. */
export type Credential = 'token' | 'session';

/** Longest Authorization value looked at; anything longer is no token of ours. */
const MAX_TOKEN_LENGTH = 1000;

async function validBearer(token: string): Promise<boolean> {
  if (!token || token.length > MAX_TOKEN_LENGTH) return false;
  if (env().API_TOKENS.some((t) => safeEqual(t, token))) return true;
  return (await verifyToken(appContext(), token)) !== null;
}

function sessionCookie(req: Request): string | undefined {
  const cookie = req.headers
    .get('cookie')
    ?.split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) return undefined;
  try {
    return decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1));
  } catch {
    return undefined; // a garbled cookie is no session
  }
}

/**
 * API authentication: an `Authorization: Bearer` token (from API_TOKENS or made in the
 * dashboard, checked against the database on every request, so a revoked one fails at once), or
 * the dashboard's session cookie. Null when neither holds; a bad Authorization header is not
 * rescued by a cookie.
 */
export async function authenticate(req: Request): Promise<Credential | null> {
  const header = req.headers.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
    return match && (await validBearer(match[1])) ? 'token' : null;
  }
  return (await validToken(sessionCookie(req))) ? 'session' : null;
}

/** True when {@link authenticate} accepts the request. */
export async function authenticateRequest(req: Request): Promise<boolean> {
  return (await authenticate(req)) !== null;
}
