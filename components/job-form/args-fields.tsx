'use client';

import { defaultText, type ArgField } from './args-schema';
import { errorAt } from './error-paths';
import { Field, FieldNotes, inputA11y } from './field';
import { useBind, useJobForm } from './form-context';
import { optionalNumber } from './number-input';
import styles from './job-form.module.css';

function helpOf(f: ArgField): string | undefined {
  const range =
    f.kind === 'number' && (f.minimum !== undefined || f.maximum !== undefined)
      ? `${f.integer ? 'Whole number' : 'Number'}${f.minimum !== undefined ? ` from ${f.minimum}` : ''}${f.maximum !== undefined ? ` up to ${f.maximum}` : ''}.`
      : undefined;
  const json = f.kind === 'json' ? (f.stringRecord ? 'JSON object of strings.' : `JSON${f.expects ? ` ${f.expects}` : ''}.`) : undefined;
  const fallback = defaultText(f.default);
  const def = fallback === undefined ? undefined : `Default: ${f.kind === 'boolean' ? (f.default ? 'on' : 'off') : fallback || 'empty'}.`;
  const text = [f.description, range, json, def].filter(Boolean).join(' ');
  return text || undefined;
}

function ArgInput({ field }: { field: ArgField }) {
  const {
    formState: { errors },
  } = useJobForm();
  const bind = useBind();
  const id = `arg-${field.name}`;
  const name = `args.${field.name}` as const;
  const error = errorAt(errors, name);
  const help = helpOf(field);
  const placeholder = defaultText(field.default);
  const a11y = { ...inputA11y(id, error, Boolean(help)), 'aria-required': field.required || undefined };

  if (field.kind === 'boolean') {
    return (
      <div className={`field ${styles.field}`}>
        <label className={styles.checkbox}>
          <input type="checkbox" {...a11y} {...bind.checkbox(name)} />
          {field.name}
        </label>
        <FieldNotes id={id} help={help} error={error} />
      </div>
    );
  }

  let control;
  switch (field.kind) {
    case 'number':
      control = (
        <input
          type="number"
          inputMode="numeric"
          step={field.integer ? 1 : 'any'}
          min={field.minimum}
          max={field.maximum}
          placeholder={placeholder}
          {...a11y}
          {...bind.value(name, { setValueAs: optionalNumber })}
        />
      );
      break;
    case 'enum':
      control = (
        <select {...a11y} {...bind.value(name)}>
          <option value="">{field.required ? 'Choose…' : placeholder === undefined ? '(default)' : `(default: ${placeholder})`}</option>
          {field.options?.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
      break;
    case 'text':
      control = <textarea rows={5} maxLength={field.maxLength} placeholder={placeholder} {...a11y} {...bind.value(name)} />;
      break;
    case 'json':
      control = (
        <textarea
          rows={4}
          spellCheck={false}
          className={styles.mono}
          placeholder={placeholder ?? (field.expects === 'array' ? '["a", "b"]' : '{"key": "value"}')}
          {...a11y}
          {...bind.value(name)}
        />
      );
      break;
    default:
      control = (
        <input
          type={field.inputType ?? 'text'}
          autoComplete="off"
          maxLength={field.maxLength}
          placeholder={placeholder}
          {...a11y}
          {...bind.value(name)}
        />
      );
  }
  return (
    <Field id={id} label={field.name} required={field.required} help={help} error={error}>
      {control}
    </Field>
  );
}

/** The selected task's arguments, one input per property of its JSON Schema. */
export function ArgsFields({ fields }: { fields: ArgField[] }) {
  if (fields.length === 0) return <p className="muted">This task takes no arguments.</p>;
  return (
    <div className={styles.grid}>
      {fields.map((f) => (
        <ArgInput key={f.name} field={f} />
      ))}
    </div>
  );
}
