import Link from 'next/link';
import type { ReactNode } from 'react';
import { ActionStatusProvider } from '@/components/jobs/action-status';
import { NavLinks } from '@/components/jobs/nav-links';
import { requireSignedIn } from '../_lib/auth';
import { signOut } from '../login/actions';

/** The dashboard shell: sign-in check, top bar (brand, navigation, sign out) and the action status region. */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  await requireSignedIn();
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link href="/" className="brand">
            <svg className="brand-mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <rect width="24" height="24" rx="6" />
              <circle cx="12" cy="12" r="6.5" fill="none" stroke="#fff" strokeWidth="2" />
              <path d="M12 8.5V12l2.5 1.5" fill="none" stroke="#fff" strokeWidth="2" strokeLinecap="round" />
            </svg>
            Cronboard
          </Link>
          <nav aria-label="Main" className="topbar-nav">
            <NavLinks />
          </nav>
          <form action={signOut} className="topbar-signout">
            <button type="submit" className="btn btn-ghost btn-sm">
              Sign out
            </button>
          </form>
        </div>
      </header>
      <main id="main" className="main">
        <ActionStatusProvider>{children}</ActionStatusProvider>
      </main>
    </div>
  );
}
