'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { createContext, useContext, useState, useTransition, type ReactNode } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import type { ActionResult } from '@/lib/action-result';
import type { JobState } from '@/lib/schemas';
import { useActionStatus } from './action-status';

/** The server actions behind the job buttons, passed down from a server component (components never import app/). */
export interface JobButtonActions {
  runNow: (id: string) => Promise<ActionResult<{ executionId: number }>>;
  pause: (id: string) => Promise<ActionResult<unknown>>;
  resume: (id: string) => Promise<ActionResult<unknown>>;
  /** `leaving`: the caller navigates away afterwards, so the current page needs no re-render. */
  remove: (id: string, leaving?: boolean) => Promise<ActionResult<unknown>>;
}

const JobButtonActionsContext = createContext<JobButtonActions | null>(null);

/** Makes the job server actions available to the JobActions buttons below it. */
export function JobButtonActionsProvider({ actions, children }: { actions: JobButtonActions; children: ReactNode }) {
  return <JobButtonActionsContext.Provider value={actions}>{children}</JobButtonActionsContext.Provider>;
}

function useJobButtonActions(): JobButtonActions {
  const actions = useContext(JobButtonActionsContext);
  if (!actions) throw new Error('JobActions needs a <JobButtonActionsProvider> above it.');
  return actions;
}

export interface JobActionsProps {
  job: { id: string; name: string; state: JobState };
  /** After a delete, go to the jobs table (used on the job's own page). */
  leaveAfterDelete?: boolean;
  size?: 'sm' | 'md';
}

type Kind = 'run' | 'pause' | 'resume';

/**
 * Run now, Pause (active jobs) / Resume (paused jobs), Edit and Delete (with confirmation) for one job.
 * Results go to the page's status region; accessible names include the job's name.
 */
export function JobActions({ job, leaveAfterDelete = false, size = 'sm' }: JobActionsProps) {
  const actions = useJobButtonActions();
  const status = useActionStatus();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [busy, setBusy] = useState<Kind | null>(null);
  const [confirming, setConfirming] = useState(false);
  const sizeClass = size === 'sm' ? ' btn-sm' : '';

  function report(result: ActionResult<unknown>, done: string, failed: string): boolean {
    if (result.ok) {
      status.success(done);
      return true;
    }
    status.error(`${failed}: ${result.error}`);
    if (result.status === 401) router.push('/login');
    return false;
  }

  function perform(kind: Kind) {
    if (pending) return;
    setBusy(kind);
    startTransition(async () => {
      try {
        if (kind === 'run') report(await actions.runNow(job.id), `Queued a run of ${job.name}`, `Could not run ${job.name}`);
        if (kind === 'pause') report(await actions.pause(job.id), `Paused ${job.name}`, `Could not pause ${job.name}`);
        if (kind === 'resume') report(await actions.resume(job.id), `Resumed ${job.name}`, `Could not resume ${job.name}`);
      } catch {
        status.error(`Could not reach the server to ${kind === 'run' ? 'run' : kind} ${job.name}. Check the connection and try again.`);
      } finally {
        setBusy(null);
      }
    });
  }

  async function confirmDelete(): Promise<string | null> {
    try {
      const result = await actions.remove(job.id, leaveAfterDelete);
      if (!result.ok) {
        if (result.status === 401) router.push('/login');
        return result.error;
      }
    } catch {
      return 'Could not reach the server. Check the connection and try again.';
    }
    setConfirming(false);
    // The row (or the page) of the deleted job goes away: its result takes the focus.
    status.success(`Deleted ${job.name}`, { focus: true });
    if (leaveAfterDelete) router.replace('/jobs');
    return null;
  }

  return (
    <div className="job-actions">
      <button
        type="button"
        className={`btn btn-secondary${sizeClass}`}
        onClick={() => perform('run')}
        aria-disabled={pending || undefined}
        aria-label={`Run now ${job.name}`}
      >
        {busy === 'run' ? 'Queuing…' : 'Run now'}
      </button>
      {job.state !== 'completed' ? (
        // One element for both, so keyboard focus stays on it when Pause turns into Resume.
        <button
          type="button"
          className={`btn btn-secondary${sizeClass}`}
          onClick={() => perform(job.state === 'active' ? 'pause' : 'resume')}
          aria-disabled={pending || undefined}
          aria-label={`${job.state === 'active' ? 'Pause' : 'Resume'} ${job.name}`}
        >
          {job.state === 'active' ? 'Pause' : 'Resume'}
        </button>
      ) : null}
      <Link href={`/jobs/${encodeURIComponent(job.id)}/edit`} className={`btn btn-secondary${sizeClass}`} aria-label={`Edit ${job.name}`}>
        Edit
      </Link>
      <button
        type="button"
        className={`btn btn-danger-outline${sizeClass}`}
        onClick={() => !pending && setConfirming(true)}
        aria-disabled={pending || undefined}
        aria-label={`Delete ${job.name}`}
      >
        Delete
      </button>
      {confirming ? (
        <ConfirmDialog
          title={`Delete job “${job.name}”?`}
          confirmLabel="Delete"
          pendingLabel="Deleting…"
          onConfirm={confirmDelete}
          onCancel={() => setConfirming(false)}
        >
          <p>
            This deletes <strong>{job.name}</strong> (<code>{job.id}</code>) and its whole execution history. It cannot be undone.
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
