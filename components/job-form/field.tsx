import type { ReactNode } from 'react';
import styles from './job-form.module.css';

interface FieldProps {
  /** The input's id (the label points at it). */
  id: string;
  label: string;
  required?: boolean;
  help?: ReactNode;
  error?: string;
  children: ReactNode;
}

/** Accessibility props for the input inside a Field: its help and error are its description. */
export function inputA11y(id: string, error: string | undefined, hasHelp: boolean) {
  const ids = [hasHelp ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean);
  return {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': ids.length ? ids.join(' ') : undefined,
  } as const;
}

/**
 * A labelled input with help text and its inline error. The required mark sits outside the
 * label so the label is exactly the field's name.
 */
export function Field({ id, label, required, help, error, children }: FieldProps) {
  return (
    <div className={`field ${styles.field}`}>
      <div className={styles.labelRow}>
        <label htmlFor={id}>{label}</label>
        {required ? (
          <span className={styles.required} aria-hidden="true" title="Required">
            *
          </span>
        ) : null}
      </div>
      {children}
      <FieldNotes id={id} help={help} error={error} />
    </div>
  );
}

/** Inline error of a group (fieldset) or of a field without its own wrapper. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className={`field-error ${styles.error}`}>
      {message}
    </p>
  );
}

/** A field's help text and error message, with the ids its control's aria-describedby uses. */
export function FieldNotes({ id, help, error }: { id: string; help?: ReactNode; error?: string }) {
  return (
    <>
      {help ? (
        <p id={`${id}-help`} className={`muted ${styles.help}`}>
          {help}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className={`field-error ${styles.error}`}>
          {error}
        </p>
      ) : null}
    </>
  );
}
