'use client';

import { useWatch } from 'react-hook-form';
import { fieldsToJsonText, jsonTextToFields } from './args-json';
import { defaultText, type ArgField } from './args-schema';
import { ArgsFields } from './args-fields';
import { errorAt } from './error-paths';
import { Field, inputA11y } from './field';
import { useBind, useJobForm } from './form-context';
import styles from './job-form.module.css';

const TOGGLE_ID = 'args-json-toggle';
const EDITOR_ID = 'args-json';

/** One property in the JSON editor's help: "url (url, required)", "level (info | warn | error)". */
function propertyText(f: ArgField): string {
  const type = f.kind === 'enum' ? f.options?.join(' | ') : f.kind === 'json' ? (f.stringRecord ? 'object of strings' : (f.expects ?? 'JSON')) : f.kind === 'text' ? 'string' : f.kind;
  const fallback = defaultText(f.default);
  const notes = [type, f.required ? 'required' : null, fallback === undefined ? null : `default ${fallback}`].filter(Boolean);
  return `${f.name} (${notes.join(', ')})`;
}

/** The raw JSON editor of the arguments ("Arguments (JSON)"), checked on submit. */
function ArgsJsonEditor({ fields }: { fields: ArgField[] }) {
  const {
    formState: { errors },
  } = useJobForm();
  const bind = useBind();
  const error = errorAt(errors, 'argsJson');
  const help = fields.length ? `A JSON object with: ${fields.map(propertyText).join('; ')}.` : 'A JSON object.';
  return (
    <Field id={EDITOR_ID} label="Arguments (JSON)" help={help} error={error}>
      <textarea rows={8} spellCheck={false} autoComplete="off" className={styles.mono} {...inputA11y(EDITOR_ID, error, true)} {...bind.value('argsJson')} />
    </Field>
  );
}

interface ArgsSectionProps {
  fields: ArgField[];
  /** The task's schema has shapes the fields cannot show: JSON only. */
  jsonOnly: boolean;
  /** Remounts the generated fields when the task changes. */
  taskName: string;
}

/**
 * The task's arguments: generated fields, or (toggle "Edit arguments as JSON", and always for
 * shapes the fields cannot represent) a raw JSON editor. Switching to JSON fills it from the
 * fields; switching back fills the fields when the JSON fits them, else says why not.
 */
export function ArgsSection({ fields, jsonOnly, taskName }: ArgsSectionProps) {
  const { control, getValues, setValue, setError, clearErrors } = useJobForm();
  const mode = useWatch({ control, name: 'argsMode' });
  const json = mode === 'json';

  function toJson() {
    const res = fieldsToJsonText(fields, getValues('args'));
    if (!res.ok) {
      for (const [name, message] of Object.entries(res.errors)) {
        setError(`args.${name}`, { type: 'convert', message: `${message} Fix it to edit the arguments as JSON.` }, { shouldFocus: true });
      }
      return;
    }
    clearErrors('args');
    setValue('argsJson', res.value);
    setValue('argsMode', 'json');
  }

  function toFields() {
    const res = jsonTextToFields(fields, getValues('argsJson'));
    if (!res.ok) {
      setError('argsJson', { type: 'convert', message: `The JSON does not fit the fields: ${res.error}` }, { shouldFocus: true });
      return;
    }
    clearErrors('argsJson');
    setValue('args', res.value);
    setValue('argsMode', 'fields');
  }

  const showToggle = jsonOnly || fields.length > 0;
  return (
    <fieldset className={styles.fieldset}>
      <legend>Arguments</legend>
      {showToggle ? (
        <div className={`field ${styles.field}`}>
          <label className={styles.checkbox}>
            <input
              id={TOGGLE_ID}
              type="checkbox"
              checked={json}
              disabled={jsonOnly}
              aria-describedby={jsonOnly ? `${TOGGLE_ID}-help` : undefined}
              onChange={(e) => (e.currentTarget.checked ? toJson() : toFields())}
            />
            Edit arguments as JSON
          </label>
          {jsonOnly ? (
            <p id={`${TOGGLE_ID}-help`} className={`muted ${styles.help}`}>
              This task&apos;s arguments have nested shapes that fields cannot show: edit them as JSON.
            </p>
          ) : null}
        </div>
      ) : null}
      {json ? <ArgsJsonEditor fields={fields} /> : <ArgsFields key={taskName} fields={fields} />}
    </fieldset>
  );
}
