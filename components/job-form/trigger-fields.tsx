'use client';

import { useWatch } from 'react-hook-form';
import { CRON_PRESETS } from './cron-presets';
import { errorAt } from './error-paths';
import { Field, FieldError, inputA11y } from './field';
import { useBind, useJobForm } from './form-context';
import { optionalNumber } from './number-input';
import { EVERY_UNITS, TRIGGER_KINDS } from './trigger-build';
import styles from './job-form.module.css';

const UNIT_LABELS = { weeks: 'Weeks', days: 'Days', hours: 'Hours', minutes: 'Minutes', seconds: 'Seconds' } as const;

function CronFields() {
  const {
    setValue,
    formState: { errors },
  } = useJobForm();
  const bind = useBind();
  const error = errorAt(errors, 'trigger.expression');
  const help = 'Five fields (minute hour day-of-month month day-of-week), or six with seconds first. Evaluated in the time zone below.';
  return (
    <Field id="trigger-expression" label="Cron expression" required help={help} error={error}>
      <input
        type="text"
        autoComplete="off"
        spellCheck={false}
        className={styles.mono}
        placeholder="*/5 * * * *"
        aria-required
        {...inputA11y('trigger-expression', error, true)}
        {...bind.value('trigger.expression')}
      />
      <div className={styles.presets} role="group" aria-label="Cron presets">
        {CRON_PRESETS.map((p) => (
          <button
            key={p.expression}
            type="button"
            className="btn btn-secondary btn-sm"
            title={p.expression}
            onClick={() => setValue('trigger.expression', p.expression, { shouldDirty: true, shouldValidate: true, shouldTouch: true })}
          >
            {p.label}
          </button>
        ))}
      </div>
    </Field>
  );
}

function IntervalFields() {
  const {
    formState: { errors },
  } = useJobForm();
  const bind = useBind();
  const groupError = errorAt(errors, 'trigger.every');
  return (
    <fieldset className={styles.fieldset} aria-describedby={groupError ? 'trigger-every-error' : undefined}>
      <legend>Every</legend>
      <div className={styles.units}>
        {EVERY_UNITS.map((unit) => {
          const id = `trigger-every-${unit}`;
          const error = errorAt(errors, `trigger.every.${unit}`);
          return (
            <Field key={unit} id={id} label={UNIT_LABELS[unit]} error={error}>
              <input
                type="number"
                inputMode="numeric"
                min={0}
                step={1}
                {...inputA11y(id, error, false)}
                {...bind.value(`trigger.every.${unit}`, { setValueAs: optionalNumber })}
              />
            </Field>
          );
        })}
      </div>
      <FieldError id="trigger-every-error" message={groupError} />
    </fieldset>
  );
}

function DateFields() {
  const {
    formState: { errors },
  } = useJobForm();
  const bind = useBind();
  const error = errorAt(errors, 'trigger.runAt');
  return (
    <Field id="trigger-runAt" label="Run at" required help="A wall-clock time in the time zone below." error={error}>
      <input type="datetime-local" aria-required {...inputA11y('trigger-runAt', error, true)} {...bind.value('trigger.runAt')} />
    </Field>
  );
}

/** The trigger editor: kind, its fields, and the time zone. */
export function TriggerFields({ timeZones }: { timeZones: string[] }) {
  const {
    control,
    formState: { errors },
  } = useJobForm();
  const bind = useBind();
  const type = useWatch({ control, name: 'trigger.type' });
  const timezone = useWatch({ control, name: 'trigger.timezone' });
  const zones = timezone && !timeZones.includes(timezone) ? [timezone, ...timeZones] : timeZones;
  const typeError = errorAt(errors, 'trigger.type');
  const zoneError = errorAt(errors, 'trigger.timezone');
  return (
    <div className={styles.stack}>
      <fieldset className={styles.fieldset} role="radiogroup" aria-labelledby="trigger-type-legend">
        <legend id="trigger-type-legend">Trigger</legend>
        <div className={styles.radios}>
          {TRIGGER_KINDS.map((k) => (
            <label key={k.value} className={styles.radio}>
              <input type="radio" {...bind.radio('trigger.type', k.value)} />
              {k.label}
            </label>
          ))}
        </div>
        <FieldError id="trigger-type-error" message={typeError} />
      </fieldset>
      {type === 'cron' ? <CronFields /> : null}
      {type === 'interval' ? <IntervalFields /> : null}
      {type === 'date' ? <DateFields /> : null}
      <Field id="trigger-timezone" label="Time zone" required error={zoneError}>
        <select aria-required {...inputA11y('trigger-timezone', zoneError, false)} {...bind.value('trigger.timezone')}>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}
