'use client';

import { useState } from 'react';
import { DEFAULT_JOB_OPTIONS } from '@/lib/types';
import { errorAt } from './error-paths';
import { Field, inputA11y } from './field';
import { useBind, useJobForm } from './form-context';
import { optionalNumber } from './number-input';
import styles from './job-form.module.css';

const OPTIONS = [
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
] as const;

/** The job's policy options, in a collapsed "Advanced" section (opened when one has an error). */
export function AdvancedOptions() {
  const {
    formState: { errors },
  } = useJobForm();
  const bind = useBind();
  const [open, setOpen] = useState(false);
  const hasError = OPTIONS.some((o) => errorAt(errors, o.name));
  return (
    <details className={styles.advanced} open={open || hasError} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Advanced</summary>
      <div className={styles.grid}>
        {OPTIONS.map((o) => {
          const error = errorAt(errors, o.name);
          return (
            <Field key={o.name} id={o.id} label={o.label} help={o.help} error={error}>
              <input
                type="number"
                inputMode="numeric"
                min={o.min}
                step={1}
                {...inputA11y(o.id, error, true)}
                {...bind.value(o.name, { setValueAs: optionalNumber })}
              />
            </Field>
          );
        })}
      </div>
    </details>
  );
}
