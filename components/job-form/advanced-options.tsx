'use client';

import { useState } from 'react';
import { useWatch } from 'react-hook-form';
import { DEFAULT_JOB_OPTIONS } from '@/lib/types';
import { errorAt } from './error-paths';
import { Field, FieldNotes, inputA11y } from './field';
import { DEFAULT_RETRY_BACKOFF_MS } from './form-schema';
import { useBind, useJobForm } from './form-context';
import { optionalNumber } from './number-input';
import styles from './job-form.module.css';

interface NumberOption {
  name:
    | 'options.maxInstances'
    | 'options.misfireGraceMs'
    | 'options.timeoutMs'
    | 'options.retries.max'
    | 'options.retries.backoffMs'
    | 'trigger.jitterMs';
  id: string;
  label: string;
  help: string;
  min: number;
  max?: number;
  placeholder?: string;
  /** Further error paths shown under this field (e.g. an error about the whole group). */
  alsoErrors?: string[];
}

const RUN_OPTIONS: NumberOption[] = [
  {
    name: 'options.maxInstances',
    id: 'options-maxInstances',
    label: 'Max instances',
    help: `How many runs of this job may overlap, across all instances (default ${DEFAULT_JOB_OPTIONS.maxInstances}).`,
    min: 1,
  },
  {
    name: 'options.misfireGraceMs',
    id: 'options-misfireGraceMs',
    label: 'Misfire grace',
    help: `Milliseconds. A run that starts later than this after its time is recorded as missed (default ${DEFAULT_JOB_OPTIONS.misfireGraceMs}).`,
    min: 0,
  },
  {
    name: 'options.timeoutMs',
    id: 'options-timeoutMs',
    label: 'Run timeout',
    help: 'Milliseconds. Abort a run after this long. Empty: no timeout.',
    min: 1,
  },
];

const RETRY_OPTIONS: NumberOption[] = [
  {
    name: 'options.retries.max',
    id: 'options-retries-max',
    label: 'Retries',
    help: 'How many times a failed or timed-out run is tried again. 0 or empty: none.',
    min: 0,
    max: 20,
    placeholder: '0',
    alsoErrors: ['options.retries'],
  },
  {
    name: 'options.retries.backoffMs',
    id: 'options-retries-backoffMs',
    label: 'Retry backoff',
    help: `Milliseconds before the first retry; doubles each attempt, ±20 % jitter (default ${DEFAULT_RETRY_BACKOFF_MS}).`,
    min: 0,
    placeholder: String(DEFAULT_RETRY_BACKOFF_MS),
  },
];

const JITTER: NumberOption = {
  name: 'trigger.jitterMs',
  id: 'trigger-jitterMs',
  label: 'Jitter',
  help: 'Milliseconds. A random delay of up to this is added to each fire. Empty: none.',
  min: 0,
  max: 3_600_000,
};

const WINDOW_FIELDS = [
  { name: 'trigger.startAt', id: 'trigger-startAt', label: 'Window start', empty: 'Empty: from now on.' },
  { name: 'trigger.endAt', id: 'trigger-endAt', label: 'Window end', empty: 'Empty: no end. Must be after the start.' },
] as const;

/** Every error path the section shows inline (it opens when one of them has an error). */
export const ADVANCED_ERROR_PATHS = [
  ...[...RUN_OPTIONS, ...RETRY_OPTIONS, JITTER].flatMap((o) => [o.name, ...(o.alsoErrors ?? [])]),
  'options.coalesce',
  ...WINDOW_FIELDS.map((f) => f.name),
];

function NumberField({ option }: { option: NumberOption }) {
  const {
    formState: { errors },
  } = useJobForm();
  const bind = useBind();
  const error = [option.name, ...(option.alsoErrors ?? [])].map((p) => errorAt(errors, p)).find(Boolean);
  return (
    <Field id={option.id} label={option.label} help={option.help} error={error}>
      <input
        type="number"
        inputMode="numeric"
        min={option.min}
        max={option.max}
        step={1}
        placeholder={option.placeholder}
        {...inputA11y(option.id, error, true)}
        {...bind.value(option.name, { setValueAs: optionalNumber })}
      />
    </Field>
  );
}

function CoalesceField() {
  const {
    formState: { errors },
  } = useJobForm();
  const bind = useBind();
  const id = 'options-coalesce';
  const error = errorAt(errors, 'options.coalesce');
  return (
    <div className={`field ${styles.field}`}>
      <label className={styles.checkbox}>
        <input type="checkbox" {...inputA11y(id, error, true)} {...bind.checkbox('options.coalesce')} />
        Coalesce missed fires
      </label>
      <FieldNotes
        id={id}
        help="After downtime, record a run of missed fires as one row and run at most once."
        error={error}
      />
    </div>
  );
}

function WindowFields() {
  const {
    control,
    formState: { errors },
  } = useJobForm();
  const bind = useBind();
  const zone = useWatch({ control, name: 'trigger.timezone' });
  return (
    <>
      {WINDOW_FIELDS.map((f) => {
        const error = errorAt(errors, f.name);
        return (
          <Field key={f.name} id={f.id} label={f.label} help={`A wall time in the job's time zone (${zone}). ${f.empty}`} error={error}>
            <input type="datetime-local" {...inputA11y(f.id, error, true)} {...bind.value(f.name)} />
          </Field>
        );
      })}
      <NumberField option={JITTER} />
    </>
  );
}

/**
 * The job's policy, in a collapsed "Advanced" section: runs (overlap, misfires, timeout), retries,
 * and the trigger's window and jitter. Opened when one of its fields has an error, and at first
 * when `defaultOpen` (an edited job with non-default settings here).
 */
export function AdvancedOptions({ defaultOpen = false }: { defaultOpen?: boolean }) {
  const {
    formState: { errors },
  } = useJobForm();
  const [open, setOpen] = useState(defaultOpen);
  const hasError = ADVANCED_ERROR_PATHS.some((p) => errorAt(errors, p));
  return (
    <details className={styles.advanced} open={open || hasError} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Advanced</summary>
      <div className={styles.stack}>
        <fieldset className={styles.fieldset}>
          <legend>Runs</legend>
          <div className={styles.grid}>
            {RUN_OPTIONS.map((o) => (
              <NumberField key={o.name} option={o} />
            ))}
            <CoalesceField />
          </div>
        </fieldset>
        <fieldset className={styles.fieldset}>
          <legend>On failure</legend>
          <div className={styles.grid}>
            {RETRY_OPTIONS.map((o) => (
              <NumberField key={o.name} option={o} />
            ))}
          </div>
        </fieldset>
        <fieldset className={styles.fieldset}>
          <legend>Trigger window</legend>
          <div className={styles.grid}>
            <WindowFields />
          </div>
        </fieldset>
      </div>
    </details>
  );
}
