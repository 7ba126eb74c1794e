import type { DurationPoint, JobDailyCounts } from '@/lib/stats';
import { DailyStatusChart } from './daily-status-chart';
import { DurationChart } from './duration-chart';

/** The job page's two charts side by side (stacked on narrow screens). */
export function JobCharts({ durations, daily }: { durations: DurationPoint[]; daily: JobDailyCounts }) {
  return (
    <div className="chart-grid">
      <div className="card">
        <DurationChart points={durations} />
      </div>
      <div className="card">
        <DailyStatusChart daily={daily} />
      </div>
    </div>
  );
}
