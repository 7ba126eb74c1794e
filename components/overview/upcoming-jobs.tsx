import Link from 'next/link';
import type { UpcomingJobRun } from '@/lib/stats';
import { RelativeTime } from '@/components/jobs/time';

/** "Upcoming runs": the next fires of active jobs, relative time with the exact instant on hover. */
export function UpcomingJobs({ runs }: { runs: UpcomingJobRun[] }) {
  return (
    <section aria-labelledby="upcoming-heading" className="section">
      <h2 id="upcoming-heading">Upcoming runs</h2>
      {runs.length === 0 ? (
        <div className="card empty-state empty-state-sm">
          <p className="muted">No active job is scheduled to run.</p>
        </div>
      ) : (
        <div className="card card-flush">
          <div className="table-scroll">
            <table className="table table-compact upcoming-table" aria-labelledby="upcoming-heading">
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  <th scope="col">Schedule</th>
                  <th scope="col">Next run</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.jobId}>
                    <td>
                      <Link href={`/jobs/${encodeURIComponent(r.jobId)}`} className="job-name">
                        {r.jobName}
                      </Link>
                    </td>
                    <td className="upcoming-schedule">{r.schedule}</td>
                    <td>
                      <RelativeTime iso={r.nextRunAt} zone={r.timezone} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
