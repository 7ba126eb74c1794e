import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { env } from '@/lib/env';
import { appContext } from '@/scheduler/context';
import { safeEqual, sessionSecret, verifySession } from '@/scheduler/auth';

/** Name of the dashboard's session cookie (httpOnly, SameSite=Lax, signed). */
export const SESSION_COOKIE = 'cronboard_session';
/** Sessions last a week. */
export const SESSION_TTL_MS = 7 * 24 * 3_600_000;

const g = globalThis as unknown as { __cronboardSecret?: Promise<string> };

/** The signing secret, read once per process. */
export function getSessionSecret(): Promise<string> {
  g.__cronboardSecret ??= sessionSecret(appContext().db).catch((err) => {
    g.__cronboardSecret = undefined;
    throw err;
  });
  return g.__cronboardSecret;
}

async function validToken(token: string | undefined): Promise<boolean> {
  if (!token) return false;
  return verifySession(await getSessionSecret(), token);
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

/** API authentication: a Bearer token from API_TOKENS, or the dashboard's session cookie. */
export async function authenticateRequest(req: Request): Promise<boolean> {
  const header = req.headers.get('authorization');
  if (header) {
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match) return false;
    const token = match[1].trim();
    return env().API_TOKENS.some((t) => safeEqual(t, token));
  }
  const cookie = req.headers
    .get('cookie')
    ?.split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  let token: string | undefined;
  try {
    token = cookie ? decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1)) : undefined;
  } catch {
    return false; // a garbled cookie is no session
  }
  return validToken(token);
}
