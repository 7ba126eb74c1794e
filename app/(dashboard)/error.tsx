'use client';

import Link from 'next/link';
import { useEffect } from 'react';

/** A dashboard page failed to render (e.g. the database is down): say so and offer a retry. */
export default function DashboardError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="card error-page" role="alert">
      <h1>Something went wrong</h1>
      <p>
        The page could not be loaded. If the database was unreachable, it may be back in a moment.
        {error.digest ? (
          <>
            {' '}
            Reference: <code>{error.digest}</code>
          </>
        ) : null}
      </p>
      <div className="button-row">
        <button type="button" className="btn btn-primary" onClick={() => retry()}>
          Try again
        </button>
        <Link href="/jobs" className="btn btn-secondary">
          Back to jobs
        </Link>
      </div>
    </div>
  );
}
