'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { JOB_STATES } from '@/lib/schemas';
import { useUrlParams } from '@/components/data-table/use-url-params';
import { jobStateLabel } from './badges';

const SEARCH_DELAY_MS = 300;

/**
 * Search box ("Search jobs", matched on name and id by the server) and the "State" filter. Both
 * write to the URL (q, state) and go back to page 1.
 */
export function JobsToolbar({ q, state }: { q: string; state: string }) {
  const { setParams, isPending } = useUrlParams();
  const [text, setText] = useState(q);
  const searchId = useId();
  const stateId = useId();
  const lastSent = useRef(q);

  useEffect(() => {
    if (q !== lastSent.current) {
      lastSent.current = q;
      setText(q);
    }
  }, [q]);

  useEffect(() => {
    const value = text.trim();
    if (value === lastSent.current) return;
    const timer = window.setTimeout(() => {
      lastSent.current = value;
      setParams({ q: value }, { resetPage: true });
    }, SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [text, setParams]);

  return (
    <form
      className="toolbar"
      role="search"
      aria-label="Search and filter jobs"
      onSubmit={(e) => {
        e.preventDefault();
        const value = text.trim();
        lastSent.current = value;
        setParams({ q: value }, { resetPage: true });
      }}
    >
      <div className="toolbar-field">
        <label htmlFor={searchId}>Search jobs</label>
        <input
          id={searchId}
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="Name or id"
          maxLength={200}
          autoComplete="off"
        />
      </div>
      <div className="toolbar-field">
        <label htmlFor={stateId}>State</label>
        <select id={stateId} value={state} onChange={(e) => setParams({ state: e.target.value }, { resetPage: true })}>
          <option value="">All states</option>
          {JOB_STATES.map((s) => (
            <option key={s} value={s}>
              {jobStateLabel(s)}
            </option>
          ))}
        </select>
      </div>
      {isPending ? (
        <span className="toolbar-pending muted" aria-live="polite">
          Loading…
        </span>
      ) : null}
    </form>
  );
}
