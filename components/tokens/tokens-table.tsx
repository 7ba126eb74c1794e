'use client';

import { useState } from 'react';
import type { ActionResult } from '@/lib/action-result';
import type { ApiTokenInfo } from '@/lib/types';
import { useActionStatus } from '@/components/jobs/action-status';
import { RelativeTime } from '@/components/jobs/time';
import { RevokeTokenDialog } from './revoke-token-dialog';

export interface TokensTableProps {
  tokens: ApiTokenInfo[];
  /** The server action that revokes a token by id. */
  revokeAction: (id: number) => Promise<ActionResult<ApiTokenInfo>>;
}

/** The dashboard's API tokens (table "API tokens"): name, prefix, created, last used, status, and a Revoke button. */
export function TokensTable({ tokens, revokeAction }: TokensTableProps) {
  const status = useActionStatus();
  const [revoking, setRevoking] = useState<ApiTokenInfo | null>(null);

  if (tokens.length === 0) {
    return (
      <div className="empty-state card">
        <h2>No tokens yet</h2>
        <p className="muted">Create one above for each program that calls the API, so each can be revoked on its own.</p>
      </div>
    );
  }

  async function revoke(token: ApiTokenInfo): Promise<string | null> {
    const result = await revokeAction(token.id);
    if (!result.ok) return result.error;
    setRevoking(null);
    status.success(`Revoked the token “${token.name}”.`);
    return null;
  }

  return (
    <div className="card card-flush">
      <div className="table-scroll">
        <table className="table" aria-label="API tokens">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Token</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} className={t.revokedAt ? 'token-revoked' : undefined}>
                <td className="token-name">{t.name}</td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>
                  <RelativeTime iso={t.createdAt} />
                </td>
                <td>{t.lastUsedAt ? <RelativeTime iso={t.lastUsedAt} /> : <span className="muted">Never</span>}</td>
                <td>
                  {t.revokedAt ? (
                    <span className="badge badge-failed">
                      Revoked <RelativeTime iso={t.revokedAt} />
                    </span>
                  ) : (
                    <span className="badge badge-active">Active</span>
                  )}
                </td>
                <td className="token-actions">
                  {t.revokedAt ? null : (
                    <button type="button" className="btn btn-danger-outline btn-sm" onClick={() => setRevoking(t)}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {revoking ? <RevokeTokenDialog token={revoking} onConfirm={() => revoke(revoking)} onCancel={() => setRevoking(null)} /> : null}
    </div>
  );
}
