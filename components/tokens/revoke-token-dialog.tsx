'use client';

import { useEffect, useId, useRef, useState } from 'react';
import type { ApiTokenInfo } from '@/lib/types';

export interface RevokeTokenDialogProps {
  token: ApiTokenInfo;
  /** Revokes the token; resolves to an error message, or null when done. */
  onConfirm: () => Promise<string | null>;
  onCancel: () => void;
}

/**
 * A modal <dialog> that names the token and asks before revoking it (Escape or Cancel keeps it).
 * The confirm button's text is "Revoke token".
 */
export function RevokeTokenDialog({ token, onConfirm, onCancel }: RevokeTokenDialogProps) {
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
          Revoke token “{token.name}”?
        </h2>
        <p id={descId}>
          Programs using <code>{token.prefix}…</code> will be refused from now on. This cannot be undone: to give access
          again, create a new token.
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
            {pending ? 'Revoking…' : 'Revoke token'}
          </button>
        </div>
      </div>
    </dialog>
  );
}
