'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useTransition } from 'react';

/** Values to write into the URL; null, undefined or '' removes the parameter. */
export type UrlParamUpdates = Record<string, string | number | null | undefined>;

/**
 * URL search params as the state of a page: read them, and replace them (in a transition, so the
 * current content stays visible while the server renders the new one).
 */
export function useUrlParams() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [isPending, startTransition] = useTransition();

  const setParams = useCallback(
    /** `resetPage` goes back to the first page (drops `page` and `cursor`). */
    (updates: UrlParamUpdates, options: { resetPage?: boolean } = {}) => {
      const next = new URLSearchParams(searchParams.toString());
      for (const [key, v] of Object.entries(updates)) {
        if (v === null || v === undefined || v === '') next.delete(key);
        else next.set(key, String(v));
      }
      if (options.resetPage) {
        next.delete('page');
        next.delete('cursor');
      }
      const qs = next.toString();
      if (qs === searchParams.toString()) return;
      startTransition(() => {
        router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
      });
    },
    [pathname, router, searchParams],
  );

  return { searchParams, setParams, isPending };
}
