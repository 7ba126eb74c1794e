import Link from 'next/link';
import { JOB_STATES } from '@/lib/schemas';
import type { JobStateCounts } from '@/lib/stats';
import { jobStateLabel } from '@/components/jobs/badges';
import { formatCount } from '@/components/charts/format';

/** "Jobs by state": the total and one tile per state, each a link to the jobs table filtered to it. */
export function JobStateTiles({ counts }: { counts: JobStateCounts }) {
  return (
    <section aria-labelledby="job-states-heading" className="card overview-panel">
      <h2 id="job-states-heading">Jobs by state</h2>
      <ul className="stat-tiles">
        <li>
          <Link href="/jobs" className="stat-tile">
            <span className="stat-value num">{formatCount(counts.total)}</span>
            <span className="stat-label">All jobs</span>
          </Link>
        </li>
        {JOB_STATES.map((state) => (
          <li key={state}>
            <Link href={`/jobs?state=${state}`} className={`stat-tile stat-tile-${state}`}>
              <span className="stat-value num">{formatCount(counts[state])}</span>
              <span className="stat-label">{jobStateLabel(state)}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
