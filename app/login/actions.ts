'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { env } from '@/lib/env';
import { appContext } from '@/scheduler/context';
import { signSession, verifyAdminPassword } from '@/scheduler/auth';
import { createLoginLimiter, minutesText, type LoginLimiter } from '@/scheduler/login-limiter';
import { SESSION_COOKIE, SESSION_TTL_MS, getSessionKey } from '../_lib/auth';

export interface LoginState {
  error?: string;
}

const g = globalThis as unknown as { __cronboardLoginLimiter?: LoginLimiter };

/** One limiter per process (on globalThis: Next may load this module more than once). */
function loginLimiter(): LoginLimiter {
  g.__cronboardLoginLimiter ??= createLoginLimiter();
  return g.__cronboardLoginLimiter;
}

/**
 * The client's address: the last X-Forwarded-For entry (the one the nearest proxy added; Next
 * sets it to the socket's address when no proxy did), else X-Real-IP, else one shared bucket.
 */
async function clientKey(): Promise<string> {
  const h = await headers();
  const forwarded = h
    .get('x-forwarded-for')
    ?.split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .at(-1);
  return (forwarded ?? h.get('x-real-ip')?.trim() ?? 'unknown').slice(0, 100) || 'unknown';
}

/**
 * Checks the password, sets the session cookie and goes to the dashboard. At most 5 failed
 * attempts per client address in 15 minutes; a success clears that client's count.
 */
export async function signIn(_prev: LoginState, form: FormData): Promise<LoginState> {
  const password = form.get('password');
  if (typeof password !== 'string' || !password) return { error: 'Enter the admin password.' };
  const key = await clientKey();
  const attempt = loginLimiter().attempt(key);
  if (!attempt.allowed) return { error: `Too many attempts; try again in ${minutesText(attempt.retryAfterMs)}.` };
  if (password.length > 1000) return { error: 'Wrong password.' };
  let ok = false;
  try {
    ok = await verifyAdminPassword(appContext().db, env().ADMIN_PASSWORD, password);
  } catch (err) {
    console.error('[cronboard] sign-in failed:', err);
    return { error: 'The database is not reachable; try again in a moment.' };
  }
  if (!ok) return { error: 'Wrong password. It is ADMIN_PASSWORD, or the one printed at the first start.' };
  loginLimiter().succeeded(key);
  const expiresAt = Date.now() + SESSION_TTL_MS;
  const jar = await cookies();
  jar.set(SESSION_COOKIE, signSession(await getSessionKey(), expiresAt), {
    httpOnly: true,
    sameSite: 'lax',
    secure: env().COOKIE_SECURE,
    path: '/',
    expires: new Date(expiresAt),
  });
  redirect('/');
}

/** Clears the session cookie. */
export async function signOut(): Promise<void> {
  const jar = await cookies();
  jar.delete(SESSION_COOKIE);
  redirect('/login');
}
