import type { JobState } from '@/lib/schemas';
import { LocalTime, RelativeTime, ViewerZoneName, ZonedTime } from './time';

export interface UpcomingRunsProps {
  /** ISO instants of the next fires. */
  runs: string[];
  zone: string;
  state: JobState;
}

/** The next fires in the job's zone and the viewer's zone, with relative time. */
export function UpcomingRuns({ runs, zone, state }: UpcomingRunsProps) {
  if (runs.length === 0) {
    return (
      <p className="muted">
        {state === 'paused' ? 'Paused: no runs are planned until it is resumed.' : state === 'completed' ? 'Completed: the trigger has no fires left.' : 'No runs are planned.'}
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table className="table table-compact" aria-label="Next runs">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Job&apos;s zone ({zone})</th>
            <th scope="col">
              Your zone (<ViewerZoneName />)
            </th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((iso, i) => (
            <tr key={iso}>
              <td className="num">{i + 1}</td>
              <td>
                <ZonedTime iso={iso} zone={zone} />
              </td>
              <td>
                <LocalTime iso={iso} />
              </td>
              <td>
                <RelativeTime iso={iso} zone={zone} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
