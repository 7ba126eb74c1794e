import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { isSignedIn } from '../_lib/auth';
import { LoginForm } from './login-form';

export const metadata: Metadata = { title: 'Sign in · Cronboard' };

export default async function LoginPage() {
  if (await isSignedIn()) redirect('/');
  return (
    <main className="login-page">
      <div className="card login-card">
        <h1 className="login-brand">Cronboard</h1>
        <p className="muted">Sign in to manage scheduled jobs.</p>
        <LoginForm />
      </div>
    </main>
  );
}
