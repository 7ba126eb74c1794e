'use client';

import { useEffect, useRef, useState } from 'react';
import { useWatch } from 'react-hook-form';
import type { ActionResult } from '@/lib/action-result';
import { cronSyntaxError, describeCron } from '@/lib/cron';
import { triggerSchema } from '@/lib/schemas';
import { useJobForm } from './form-context';
import { RunsTable } from './runs-table';
import { buildTrigger, triggerKey } from './trigger-build';
import styles from './job-form.module.css';

export interface TriggerPreview {
  runs: string[];
  description: string;
}

/** The server action that computes a preview (POST /api/triggers/preview's service). */
export type PreviewAction = (input: unknown) => Promise<ActionResult<TriggerPreview>>;

interface PreviewState {
  key: string;
  preview: TriggerPreview | null;
  error: string | null;
}

const DEBOUNCE_MS = 300;

function firstError(res: Extract<ActionResult<unknown>, { ok: false }>): string {
  const first = Object.values(res.fieldErrors ?? {}).find((m) => m.length > 0);
  return first ? first.join(' ') : res.error;
}

function viewerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * Live preview of the trigger being edited: the schedule in words and the next 5 runs in the
 * job's zone and the viewer's, with DST gaps and repeated hours called out. Checks the trigger locally first, then asks the server
 * (debounced; a late answer to an older trigger is ignored).
 */
export function SchedulePreview({ previewAction }: { previewAction: PreviewAction }) {
  const { control } = useJobForm();
  const trigger = useWatch({ control, name: 'trigger' });
  const built = buildTrigger(trigger);
  const cronProblem = trigger.type === 'cron' ? cronSyntaxError(trigger.expression) : null;
  let localError: string | null = built.ok ? cronProblem : built.errors[0].message;
  if (!localError && built.ok) {
    const parsed = triggerSchema.safeParse(built.trigger);
    if (!parsed.success) localError = parsed.error.issues[0]?.message ?? 'The trigger is invalid.';
  }
  const key = built.ok && !localError ? triggerKey(built.trigger) : null;

  const [state, setState] = useState<PreviewState | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    if (!key) return;
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      previewAction({ trigger: JSON.parse(key), count: 5 })
        .then((res) => {
          if (mine !== seq.current) return;
          setState(res.ok ? { key, preview: res.data, error: null } : { key, preview: null, error: firstError(res) });
        })
        .catch(() => {
          if (mine !== seq.current) return;
          setState({ key, preview: null, error: 'Could not reach the server to preview the schedule.' });
        });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key, previewAction]);

  const current = key && state?.key === key ? state : null;
  const error = localError ?? current?.error ?? null;
  const words = trigger.type === 'cron' ? (cronProblem ? null : describeCron(trigger.expression)) : (current?.preview?.description ?? null);
  const zone = trigger.timezone;

  return (
    <section className={`card ${styles.preview}`} aria-label="Schedule preview" aria-live="polite">
      <h2 className={styles.previewTitle}>Schedule preview</h2>
      <p data-testid="schedule-words" className={styles.words}>
        {words ?? (error ? '' : '…')}
      </p>
      {error ? <p className={`field-error ${styles.error}`}>{error}</p> : null}
      {!error && !current ? <p className="muted">Calculating the next runs…</p> : null}
      {!error && current?.preview ? (
        current.preview.runs.length ? (
          <RunsTable runs={current.preview.runs} zone={zone} viewer={viewerZone()} trigger={trigger} />
        ) : (
          <p className="muted">No upcoming runs: this trigger will not fire again.</p>
        )
      ) : null}
    </section>
  );
}
