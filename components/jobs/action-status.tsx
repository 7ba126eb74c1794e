'use client';

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

/** How a message is shown. */
export interface ReportOptions {
  /**
   * Move keyboard focus to the message (after an action whose button may be gone, such as a bulk
   * action or a delete), so keyboard and screen-reader users land on the result.
   */
  focus?: boolean;
}

interface Message {
  kind: 'success' | 'error';
  text: string;
  focus: boolean;
  /** Changes with every report, so the same text reported twice is announced again. */
  key: number;
}

interface ActionStatusApi {
  /** Shows a success message in the page's status region (role="status"). */
  success: (text: string, options?: ReportOptions) => void;
  /** Shows an error message (role="alert"). */
  error: (text: string, options?: ReportOptions) => void;
  clear: () => void;
}

const ActionStatusContext = createContext<ActionStatusApi | null>(null);
const MESSAGE_MS = 12_000;
/** While focus is on the message it stays; checked again this often. */
const FOCUSED_RECHECK_MS = 2_000;

let counter = 0;

/**
 * Holds the result message of the last action. Placed in the dashboard layout, so a message
 * survives a navigation (e.g. "Deleted X" after leaving the deleted job's page). A message
 * disappears after 12 s, but never while it has the keyboard focus.
 */
export function ActionStatusProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<Message | null>(null);
  const regionRef = useRef<HTMLDivElement>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!message) return;
    if (message.focus) (message.kind === 'success' ? statusRef : alertRef).current?.focus();
    let timer: number;
    const expire = () => {
      if (regionRef.current?.contains(document.activeElement)) timer = window.setTimeout(expire, FOCUSED_RECHECK_MS);
      else setMessage(null);
    };
    timer = window.setTimeout(expire, MESSAGE_MS);
    return () => window.clearTimeout(timer);
  }, [message]);

  const report = useCallback(
    (kind: Message['kind']) => (text: string, options: ReportOptions = {}) =>
      setMessage({ kind, text, focus: options.focus ?? false, key: ++counter }),
    [],
  );
  const clear = useCallback(() => setMessage(null), []);
  const api = useMemo(() => ({ success: report('success'), error: report('error'), clear }), [report, clear]);

  return (
    <ActionStatusContext.Provider value={api}>
      <div className="action-status" ref={regionRef}>
        <div
          role="status"
          ref={statusRef}
          tabIndex={message?.kind === 'success' ? -1 : undefined}
          className={message?.kind === 'success' ? 'notice notice-success' : 'visually-hidden'}
        >
          {message?.kind === 'success' ? message.text : ''}
        </div>
        {message?.kind === 'error' ? (
          <div role="alert" ref={alertRef} tabIndex={-1} className="notice notice-error" key={message.key}>
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
