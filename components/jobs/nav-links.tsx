'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/', label: 'Overview', match: (p: string) => p === '/' },
  { href: '/jobs', label: 'Jobs', match: (p: string) => p === '/jobs' || (p.startsWith('/jobs/') && p !== '/jobs/new') },
  { href: '/jobs/new', label: 'New job', match: (p: string) => p === '/jobs/new' },
  { href: '/settings/tokens', label: 'Tokens', match: (p: string) => p.startsWith('/settings/tokens') },
  { href: '/api-docs', label: 'API', match: (p: string) => p === '/api-docs' },
];

/** The top bar's navigation; the current section gets aria-current="page". */
export function NavLinks() {
  const pathname = usePathname();
  return (
    <ul className="nav-links">
      {LINKS.map((l) => (
        <li key={l.href}>
          <Link href={l.href} className="nav-link" aria-current={l.match(pathname) ? 'page' : undefined}>
            {l.label}
          </Link>
        </li>
      ))}
    </ul>
  );
}
