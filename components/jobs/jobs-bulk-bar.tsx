'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import type { ActionResult } from '@/lib/action-result';
import { useActionStatus } from './action-status';

/** What a bulk action did: the ids it applied to, and why it failed for the others. */
export interface BulkResult {
  done: string[];
  failed: Array<{ id: string; error: string }>;
}

/** The bulk server actions, passed down from the page (components never import app/). */
export interface JobBulkActions {
  pause: (ids: string[]) => Promise<ActionResult<BulkResult>>;
  resume: (ids: string[]) => Promise<ActionResult<BulkResult>>;
  runNow: (ids: string[]) => Promise<ActionResult<BulkResult>>;
  remove: (ids: string[]) => Promise<ActionResult<BulkResult>>;
}

type Kind = keyof JobBulkActions;

const countJobs = (n: number) => `${n} ${n === 1 ? 'job' : 'jobs'}`;

const WORDS: Record<Kind, { done: (n: number) => string; verb: string }> = {
  pause: { done: (n) => `Paused ${countJobs(n)}.`, verb: 'pause' },
  resume: { done: (n) => `Resumed ${countJobs(n)}.`, verb: 'resume' },
  runNow: { done: (n) => `Queued ${n === 1 ? 'a run' : 'runs'} of ${countJobs(n)}.`, verb: 'run' },
  remove: { done: (n) => `Deleted ${countJobs(n)}.`, verb: 'delete' },
};

/** "Paused 2 jobs. Could not pause 1 job: No job with id "x"." (at most three reasons, then a count). */
function bulkSummary(kind: Kind, result: BulkResult): string {
  const parts: string[] = [];
  if (result.done.length) parts.push(WORDS[kind].done(result.done.length));
  if (result.failed.length) {
    const reasons = result.failed.slice(0, 3).map((f) => f.error);
    const more = result.failed.length - reasons.length;
    parts.push(`Could not ${WORDS[kind].verb} ${countJobs(result.failed.length)}: ${reasons.join(' ')}${more > 0 ? ` (and ${more} more)` : ''}`);
  }
  return parts.join(' ');
}

/** Props of JobsBulkBar. */
export interface JobsBulkBarProps {
  /** The selected jobs (ids with names, for the delete confirmation). */
  selected: Array<{ id: string; name: string }>;
  actions: JobBulkActions;
  /** Called with the ids an action applied to (they leave the selection). */
  onDone: (ids: string[]) => void;
  onClear: () => void;
}

/**
 * The bar over the jobs table while jobs are selected: how many, and Pause, Resume, Run now and
 * Delete (after a confirmation naming how many) for all of them. The result (what was done and
 * what failed) goes to the page's status region, which takes the focus.
 */
export function JobsBulkBar({ selected, actions, onDone, onClear }: JobsBulkBarProps) {
  const status = useActionStatus();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState(false);
  const ids = selected.map((job) => job.id);
  const count = selected.length;

  /** Reports the outcome; returns the error to show in the dialog when nothing was done at all. */
  function report(kind: Kind, result: ActionResult<BulkResult>): string | null {
    if (!result.ok) {
      if (result.status === 401) router.push('/login');
      return `Could not ${WORDS[kind].verb} the selected jobs: ${result.error}`;
    }
    onDone(result.data.done);
    const text = bulkSummary(kind, result.data);
    if (result.data.failed.length) status.error(text, { focus: true });
    else status.success(text, { focus: true });
    return null;
  }

  async function call(kind: Kind): Promise<string | null> {
    try {
      return report(kind, await actions[kind](ids));
    } catch {
      return `Could not reach the server to ${WORDS[kind].verb} the selected jobs. Check the connection and try again.`;
    }
  }

  function perform(kind: Exclude<Kind, 'remove'>) {
    if (pending) return;
    startTransition(async () => {
      const problem = await call(kind);
      if (problem) status.error(problem, { focus: true });
    });
  }

  async function confirmDelete(): Promise<string | null> {
    const problem = await call('remove');
    if (!problem) setConfirming(false);
    return problem;
  }

  const busy = pending || undefined;
  return (
    <div className="bulk-bar" role="region" aria-label="Bulk actions" hidden={count === 0}>
      <p className="bulk-count" aria-live="polite">
        {count > 0 ? `${countJobs(count)} selected` : ''}
      </p>
      <div className="bulk-buttons">
        <button type="button" className="btn btn-secondary btn-sm" aria-disabled={busy} onClick={() => perform('pause')}>
          Pause
        </button>
        <button type="button" className="btn btn-secondary btn-sm" aria-disabled={busy} onClick={() => perform('resume')}>
          Resume
        </button>
        <button type="button" className="btn btn-secondary btn-sm" aria-disabled={busy} onClick={() => perform('runNow')}>
          Run now
        </button>
        <button type="button" className="btn btn-danger-outline btn-sm" aria-disabled={busy} onClick={() => !pending && setConfirming(true)}>
          Delete
        </button>
        <button type="button" className="btn btn-ghost btn-sm" onClick={onClear}>
          Clear selection
        </button>
      </div>
      {pending ? (
        <span className="muted bulk-pending" aria-hidden="true">
          Working…
        </span>
      ) : null}
      {confirming ? (
        <ConfirmDialog
          title={`Delete ${countJobs(count)}?`}
          confirmLabel={`Delete ${countJobs(count)}`}
          pendingLabel="Deleting…"
          onConfirm={confirmDelete}
          onCancel={() => setConfirming(false)}
        >
          <p>
            This deletes {count === 1 ? 'this job' : `these ${count} jobs`} and their whole execution history. It cannot be undone.
          </p>
          <ul className="bulk-names">
            {selected.slice(0, 10).map((job) => (
              <li key={job.id}>
                <strong>{job.name}</strong> <code>{job.id}</code>
              </li>
            ))}
            {count > 10 ? <li className="muted">and {count - 10} more</li> : null}
          </ul>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
