import type { ExecutionStatus } from '@/lib/schemas';
import type { RecentExecutionCounts } from '@/lib/stats';
import { executionStatusLabel } from '@/components/jobs/badges';
import { STATUS_COLORS } from '@/components/charts/colors';
import { formatCount } from '@/components/charts/format';
import { StatusDonut } from '@/components/charts/status-donut';

/** Listed even at zero: the outcomes people look for first. */
const ALWAYS_LISTED: readonly ExecutionStatus[] = ['succeeded', 'failed', 'missed'];
/** The order of the list: outcomes first, then what is still in flight. */
const ORDER: readonly ExecutionStatus[] = ['succeeded', 'failed', 'timed_out', 'interrupted', 'missed', 'skipped', 'running', 'queued'];

/**
 * "Last 24 hours": executions scheduled in the last day by status, as a ring and as numbers (the
 * numbers are the accessible content; a capped count reads "100,000+").
 */
export function RecentExecutions({ stats }: { stats: RecentExecutionCounts }) {
  const shown = ORDER.filter((s) => ALWAYS_LISTED.includes(s) || stats.counts[s] > 0);
  const show = (s: ExecutionStatus) => `${formatCount(stats.counts[s])}${stats.capped.includes(s) ? '+' : ''}`;
  const totalText = `${formatCount(stats.total)}${stats.capped.length > 0 ? '+' : ''}`;

  return (
    <section aria-labelledby="last-day-heading" className="card overview-panel">
      <h2 id="last-day-heading">Last 24 hours</h2>
      <div className="last-day">
        <div className="last-day-ring">
          <StatusDonut slices={ORDER.map((status) => ({ status, count: stats.counts[status] }))} />
          <p className="last-day-total" aria-hidden="true">
            <span className="stat-value num">{totalText}</span>
            <span className="muted">executions</span>
          </p>
        </div>
        <div className="last-day-numbers">
          <p className="muted last-day-summary">
            {stats.total === 0 ? 'Nothing was scheduled to run in the last 24 hours.' : <>{totalText} executions scheduled in the last 24 hours.</>}
          </p>
          <ul className="status-counts" aria-label="Executions in the last 24 hours by status">
            {shown.map((status) => (
              <li key={status}>
                <span className="status-swatch" style={{ background: STATUS_COLORS[status] }} aria-hidden="true" />
                <span className="status-count-label">{executionStatusLabel(status)}</span>
                <span className="status-count-value num">{show(status)}</span>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
