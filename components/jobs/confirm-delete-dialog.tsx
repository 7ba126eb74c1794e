'use client';

import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

export interface ConfirmDeleteDialogProps {
  /** The question, e.g. `Delete job “Nightly report”?` or `Delete 3 jobs?`. */
  title: string;
  /** What will be deleted (the dialog's accessible description). */
  children: ReactNode;
  /** Text of the confirm button (default "Delete"). */
  confirmLabel?: string;
  /** Deletes; resolves to an error message, or null when done (the caller then closes the dialog). */
  onConfirm: () => Promise<string | null>;
  onCancel: () => void;
}

/**
 * A modal <dialog> (role "dialog"; the browser traps focus inside, Escape cancels) that asks before
 * deleting. Focus starts on Cancel; when the dialog goes away, focus returns to the control that
 * opened it unless something else took it meanwhile (such as the result message after a delete).
 */
export function ConfirmDeleteDialog({ title, children, confirmLabel = 'Delete', onConfirm, onCancel }: ConfirmDeleteDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descId = useId();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      const focusLost = document.activeElement === document.body || dialog?.contains(document.activeElement);
      dialog?.close();
      if (focusLost && opener?.isConnected) opener.focus();
    };
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
          {title}
        </h2>
        <div id={descId} className="dialog-description">
          {children}
        </div>
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
            {pending ? 'Deleting…' : confirmLabel}
          </button>
        </div>
      </div>
    </dialog>
  );
}
