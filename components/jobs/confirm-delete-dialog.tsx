'use client';

import { useEffect, useId, useRef, useState } from 'react';

export interface ConfirmDeleteDialogProps {
  job: { id: string; name: string };
  /** Deletes the job; resolves to an error message, or null when done. */
  onConfirm: () => Promise<string | null>;
  onCancel: () => void;
}

/**
 * A modal <dialog> (role "dialog", focus trapped by the browser, Escape cancels) that names the job
 * and asks before deleting it with its history. The confirm button's text is "Delete".
 */
export function ConfirmDeleteDialog({ job, onConfirm, onCancel }: ConfirmDeleteDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descId = useId();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  async function confirm() {
    setPending(true);
    setError(null);
    const problem = await onConfirm();
    setPending(false);
    if (problem) setError(problem);
  }

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={descId}
      onCancel={(e) => {
        e.preventDefault();
        if (!pending) onCancel();
      }}
      onClick={(e) => {
        if (e.target === ref.current && !pending) onCancel();
      }}
    >
      <div className="dialog-body">
        <h2 id={titleId} className="dialog-title">
          Delete job “{job.name}”?
        </h2>
        <p id={descId}>
          This deletes <strong>{job.name}</strong> (<code>{job.id}</code>) and its whole execution history. It cannot be undone.
        </p>
        {error ? (
          <p role="alert" className="field-error">
            {error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="btn btn-secondary" onClick={onCancel} disabled={pending} autoFocus>
            Cancel
          </button>
          <button type="button" className="btn btn-danger" onClick={confirm} disabled={pending}>
            {pending ? 'Deleting…' : 'Delete'}
          </button>
        </div>
      </div>
    </dialog>
  );
}
