'use client';

import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

export interface ConfirmDialogProps {
  /** The question, e.g. `Delete job “Nightly report”?` (the dialog's accessible name). */
  title: string;
  /** What the action will do (the dialog's accessible description). */
  children: ReactNode;
  /** Text of the confirm button, e.g. "Delete". */
  confirmLabel: string;
  /** Text of the confirm button while `onConfirm` runs, e.g. "Deleting…". */
  pendingLabel: string;
  /** Acts; resolves to an error message (shown in the dialog), or null when done (the caller then closes the dialog). */
  onConfirm: () => Promise<string | null>;
  onCancel: () => void;
}

/**
 * A modal <dialog> (role "dialog"; the browser traps focus inside, Escape or a click on the backdrop
 * cancels) that asks before a destructive action (the confirm button has the danger style). Mount it to open it, unmount it to close it. Focus starts on
 * Cancel; when the dialog goes away, focus returns to the control that opened it unless something
 * else took it meanwhile (such as the result message after the action). While `onConfirm` runs,
 * both buttons are disabled and the dialog cannot be cancelled.
 */
export function ConfirmDialog({ title, children, confirmLabel, pendingLabel, onConfirm, onCancel }: ConfirmDialogProps) {
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
            {pending ? pendingLabel : confirmLabel}
          </button>
        </div>
      </div>
    </dialog>
  );
}
