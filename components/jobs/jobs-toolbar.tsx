'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { EXECUTION_STATUSES, JOB_STATES } from '@/lib/schemas';
import { useUrlParams } from '@/components/data-table/use-url-params';
import { executionStatusLabel, jobStateLabel } from './badges';

const SEARCH_DELAY_MS = 300;

/** Props of JobsToolbar. */
export interface JobsToolbarProps {
  /** The URL's values ('' when absent or invalid). */
  q: string;
  state: string;
  task: string;
  lastStatus: string;
  /** The tasks jobs can run, for the Task filter. */
  tasks: Array<{ name: string; title: string }>;
}

/**
 * Search box ("Search jobs", matched on name and id by the server) and the "State", "Task" and
 * "Last status" filters. Each writes to the URL (q, state, task, lastStatus) and goes back to page 1.
 */
export function JobsToolbar({ q, state, task, lastStatus, tasks }: JobsToolbarProps) {
  const { setParams, isPending } = useUrlParams();
  const [text, setText] = useState(q);
  const searchId = useId();
  const stateId = useId();
  const taskId = useId();
  const lastStatusId = useId();
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

  const filter = (key: string) => (e: { target: { value: string } }) => setParams({ [key]: e.target.value }, { resetPage: true });
  const taskOptions = task && !tasks.some((t) => t.name === task) ? [...tasks, { name: task, title: task }] : tasks;
  const filtered = Boolean(q || state || task || lastStatus);

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
        <select id={stateId} value={state} onChange={filter('state')}>
          <option value="">All states</option>
          {JOB_STATES.map((s) => (
            <option key={s} value={s}>
              {jobStateLabel(s)}
            </option>
          ))}
        </select>
      </div>
      <div className="toolbar-field">
        <label htmlFor={taskId}>Task</label>
        <select id={taskId} value={task} onChange={filter('task')}>
          <option value="">All tasks</option>
          {taskOptions.map((t) => (
            <option key={t.name} value={t.name}>
              {t.name}
            </option>
          ))}
        </select>
      </div>
      <div className="toolbar-field">
        <label htmlFor={lastStatusId}>Last status</label>
        <select id={lastStatusId} value={lastStatus} onChange={filter('lastStatus')}>
          <option value="">Any last status</option>
          {EXECUTION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {executionStatusLabel(s)}
            </option>
          ))}
          <option value="never">Never run</option>
        </select>
      </div>
      {filtered ? (
        <button
          type="button"
          className="btn btn-ghost btn-sm toolbar-clear"
          onClick={() => {
            lastSent.current = '';
            setText('');
            setParams({ q: null, state: null, task: null, lastStatus: null }, { resetPage: true });
          }}
        >
          Clear filters
        </button>
      ) : null}
      {isPending ? (
        <span className="toolbar-pending muted" aria-live="polite">
          Loading…
        </span>
      ) : null}
    </form>
  );
}
