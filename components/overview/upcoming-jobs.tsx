import { CompactTable } from '@/components/compact-table';
import { JobLink } from '@/components/jobs/job-link';
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
        <CompactTable className="upcoming-table" labelledBy="upcoming-heading" columns={['Job', 'Schedule', 'Next run']}>
          {runs.map((r) => (
            <tr key={r.jobId}>
              <td>
                <JobLink id={r.jobId} name={r.jobName} />
              </td>
              <td className="upcoming-schedule">{r.schedule}</td>
              <td>
                <RelativeTime iso={r.nextRunAt} zone={r.timezone} nextRun />
              </td>
            </tr>
          ))}
        </CompactTable>
      )}
    </section>
  );
}
