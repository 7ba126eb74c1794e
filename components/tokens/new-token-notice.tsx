'use client';

import { useEffect, useId, useRef, useState } from 'react';
import type { ApiTokenInfo } from '@/lib/types';

export interface NewTokenNoticeProps {
  created: { token: string; info: ApiTokenInfo };
  /** Hides the notice (and with it the only copy of the token). */
  onDone: () => void;
}

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * Shows a token just made, once: a read-only field ("New API token", focused and selected), a
 * Copy button, and a warning that it cannot be shown again.
 */
export function NewTokenNotice({ created, onDone }: NewTokenNoticeProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const [copy, setCopy] = useState<CopyState>('idle');

  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, [created.token]);

  async function copyToken() {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopy('copied');
    } catch {
      // No clipboard access (permission, insecure context): leave the text selected for Ctrl+C.
      inputRef.current?.focus();
      inputRef.current?.select();
      setCopy('failed');
    }
  }

  return (
    <div className="notice notice-warning token-new" role="region" aria-labelledby={titleId}>
      <h3 id={titleId} className="token-new-title">
        Your new token “{created.info.name}”
      </h3>
      <p>
        <strong>Copy it now: it will not be shown again.</strong> Cronboard keeps only a hash of it. Anyone with the token can
        use the API until you revoke it.
      </p>
      <div className="token-new-value">
        <input
          ref={inputRef}
          type="text"
          readOnly
          value={created.token}
          aria-label="New API token"
          className="token-new-input"
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="btn btn-secondary" onClick={copyToken}>
          Copy
        </button>
        <button type="button" className="btn btn-ghost" onClick={onDone}>
          Done
        </button>
        <p role="status" className="token-new-status">
          {copy === 'copied' ? 'Copied to the clipboard.' : copy === 'failed' ? 'Copying failed: the token is selected, press Ctrl+C (⌘C).' : ''}
        </p>
      </div>
    </div>
  );
}
