'use client';

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

interface Message {
  kind: 'success' | 'error';
  text: string;
  /** Changes with every report, so the same text reported twice is announced again. */
  key: number;
}

interface ActionStatusApi {
  /** Shows a success message in the page's status region (role="status"). */
  success: (text: string) => void;
  /** Shows an error message (role="alert"). */
  error: (text: string) => void;
  clear: () => void;
}

const ActionStatusContext = createContext<ActionStatusApi | null>(null);
const MESSAGE_MS = 12_000;

/**
 * Holds the result message of the last action. Placed in the dashboard layout, so a message
 * survives a navigation (e.g. "Deleted X" after leaving the deleted job's page).
 */
export function ActionStatusProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<Message | null>(null);

  useEffect(() => {
    if (!message) return;
    const timer = window.setTimeout(() => setMessage(null), MESSAGE_MS);
    return () => window.clearTimeout(timer);
  }, [message]);

  const success = useCallback((text: string) => setMessage({ kind: 'success', text, key: Date.now() }), []);
  const error = useCallback((text: string) => setMessage({ kind: 'error', text, key: Date.now() }), []);
  const clear = useCallback(() => setMessage(null), []);
  const api = useMemo(() => ({ success, error, clear }), [success, error, clear]);

  return (
    <ActionStatusContext.Provider value={api}>
      <div className="action-status">
        <div role="status" className={message?.kind === 'success' ? 'notice notice-success' : 'visually-hidden'}>
          {message?.kind === 'success' ? message.text : ''}
        </div>
        {message?.kind === 'error' ? (
          <div role="alert" className="notice notice-error" key={message.key}>
            {message.text}
            <button type="button" className="notice-dismiss" onClick={clear} aria-label="Dismiss error">
              ×
            </button>
          </div>
        ) : null}
      </div>
      {children}
    </ActionStatusContext.Provider>
  );
}

/** The status reporter of the surrounding ActionStatusProvider. */
export function useActionStatus(): ActionStatusApi {
  const api = useContext(ActionStatusContext);
  if (!api) throw new Error('useActionStatus() needs an <ActionStatusProvider> above it.');
  return api;
}
