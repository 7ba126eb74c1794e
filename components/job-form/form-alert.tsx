import { fieldTitle, type ErrorEntry } from './error-paths';
import styles from './job-form.module.css';

/** What the last submit left to say at form level. */
export interface AlertState {
  message: string;
  /** Server field errors whose field is not on screen. */
  items: ErrorEntry[];
  /** A stale version (409 on edit): offer a reload. */
  conflict?: boolean;
}

interface FormAlertProps {
  alert: AlertState | null;
  /** Client-side errors of fields that are not on screen. */
  hidden: ErrorEntry[];
  /** The edit page, for a conflict's reload link. */
  reloadHref?: string;
}

/** The form-level role="alert" box: the submit's outcome and errors no input shows inline. */
export function FormAlert({ alert, hidden, reloadHref }: FormAlertProps) {
  const items = [...(alert?.items ?? []), ...hidden];
  if (!alert && items.length === 0) return null;
  return (
    <div role="alert" data-testid="form-alert" className={`card ${styles.alert}`}>
      {alert ? <p className={styles.alertTitle}>{alert.message}</p> : <p className={styles.alertTitle}>Some settings are invalid.</p>}
      {items.length ? (
        <ul>
          {items.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              <strong>{fieldTitle(e.path)}:</strong> {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      {alert?.conflict && reloadHref ? (
        <p>
          <a href={reloadHref} className="btn btn-secondary btn-sm">
            Reload the job
          </a>
        </p>
      ) : null}
    </div>
  );
}
