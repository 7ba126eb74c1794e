import { formatInZone, relativeTime, zoneAbbreviation } from '@/lib/time';
import { dstSummary, runDstNote } from './dst-notes';
import type { TriggerFormValues } from './trigger-build';
import styles from './job-form.module.css';

interface RunsTableProps {
  /** The next runs, ISO instants. */
  runs: string[];
  /** The job's zone. */
  zone: string;
  /** The viewer's zone. */
  viewer: string;
  /** The trigger the runs were computed for (to name the wall times a DST gap moves). */
  trigger: TriggerFormValues;
}

/**
 * The next runs in the job's zone and the viewer's, with relative time. Runs moved by a DST gap
 * or inside a repeated hour carry a text note, and a summary line names the DST changes on the
 * listed days.
 */
export function RunsTable({ runs, zone, viewer, trigger }: RunsTableProps) {
  const now = new Date();
  const summary = dstSummary(runs, zone, viewer);
  return (
    <>
      {summary ? (
        <p role="note" className={styles.dstSummary}>
          {summary}
        </p>
      ) : null}
      <div className={styles.runsScroll}>
        <table className={styles.runs}>
          <caption className={styles.caption}>Next {runs.length === 1 ? 'run' : `${runs.length} runs`}</caption>
          <thead>
            <tr>
              <th scope="col">{viewer === zone ? `Job's zone and yours (${zone})` : `Job's zone (${zone})`}</th>
              {viewer !== zone ? <th scope="col">Your zone ({viewer})</th> : null}
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => {
              const note = runDstNote(r, zone, trigger);
              return (
                <tr key={r}>
                  <td>
                    <time dateTime={r}>
                      {formatInZone(r, zone)} <span className="muted">{zoneAbbreviation(r, zone)}</span>
                    </time>
                    {note ? <span className={styles.dstNote}>{note}</span> : null}
                  </td>
                  {viewer !== zone ? (
                    <td>
                      {formatInZone(r, viewer)} <span className="muted">{zoneAbbreviation(r, viewer)}</span>
                    </td>
                  ) : null}
                  <td className="muted">{relativeTime(r, now)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
