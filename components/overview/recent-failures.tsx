import { CompactTable } from '@/components/compact-table';
import { JobLink } from '@/components/jobs/job-link';
import type { RecentFailure } from '@/lib/stats';
import { ExecutionStatusBadge } from '@/components/jobs/badges';
import { RelativeTime } from '@/components/jobs/time';

/** The first line of an error message (the table shows one line; the title has the rest). */
function firstLine(error: string): string {
  return error.split('\n', 1)[0];
}

/** "Recent failures": the latest failed, timed-out and interrupted runs, each linking to its job. */
export function RecentFailures({ failures }: { failures: RecentFailure[] }) {
  return (
    <section aria-labelledby="failures-heading" className="section">
      <h2 id="failures-heading">Recent failures</h2>
      {failures.length === 0 ? (
        <div className="card empty-state empty-state-sm">
          <p className="muted">No failures recorded. Failed, timed-out and interrupted runs show up here.</p>
        </div>
      ) : (
        <CompactTable className="failures-table" labelledBy="failures-heading" columns={['Job', 'Status', 'Scheduled', 'Error']}>
          {failures.map((f) => (
            <tr key={f.executionId}>
              <td>
                <JobLink id={f.jobId} name={f.jobName} />
              </td>
              <td>
                <ExecutionStatusBadge status={f.status} />
              </td>
              <td>
                <RelativeTime iso={f.scheduledFor} />
              </td>
              <td>
                {f.error ? (
                  <span className="error-text" title={f.error}>
                    {firstLine(f.error)}
                  </span>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </CompactTable>
      )}
    </section>
  );
}
