'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { env } from '@/lib/env';
import { appContext } from '@/scheduler/context';
import { signSession, verifyAdminPassword } from '@/scheduler/auth';
import { SESSION_COOKIE, SESSION_TTL_MS, getSessionSecret } from '../_lib/auth';

export interface LoginState {
  error?: string;
}

/** Checks the password, sets the session cookie and goes to the dashboard. */
export async function signIn(_prev: LoginState, form: FormData): Promise<LoginState> {
  const password = form.get('password');
  if (typeof password !== 'string' || !password) return { error: 'Enter the admin password.' };
  if (password.length > 1000) return { error: 'Wrong password.' };
  let ok = false;
  try {
    ok = await verifyAdminPassword(appContext().db, env().ADMIN_PASSWORD, password);
  } catch (err) {
    console.error('[cronboard] sign-in failed:', err);
    return { error: 'The database is not reachable; try again in a moment.' };
  }
  if (!ok) return { error: 'Wrong password. It is ADMIN_PASSWORD, or the one printed at the first start.' };
  const expiresAt = Date.now() + SESSION_TTL_MS;
  const jar = await cookies();
  jar.set(SESSION_COOKIE, signSession(await getSessionSecret(), expiresAt), {
    httpOnly: true,
    sameSite: 'lax',
    secure: process.env.NODE_ENV === 'production' && process.env.COOKIE_SECURE === 'true',
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
