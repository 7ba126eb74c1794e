'use client';

import { ConfirmDialog } from '@/components/confirm-dialog';
import type { ApiTokenInfo } from '@/lib/types';

export interface RevokeTokenDialogProps {
  token: ApiTokenInfo;
  /** Revokes the token; resolves to an error message, or null when done. */
  onConfirm: () => Promise<string | null>;
  onCancel: () => void;
}

/**
 * A modal dialog that names the token and asks before revoking it (Escape or Cancel keeps it).
 * The confirm button's text is "Revoke token".
 */
export function RevokeTokenDialog({ token, onConfirm, onCancel }: RevokeTokenDialogProps) {
  return (
    <ConfirmDialog
      title={`Revoke token “${token.name}”?`}
      confirmLabel="Revoke token"
      pendingLabel="Revoking…"
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>
        Programs using <code>{token.prefix}…</code> will be refused from now on. This cannot be undone: to give access
        again, create a new token.
      </p>
    </ConfirmDialog>
  );
}
