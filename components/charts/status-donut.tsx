'use client';

import { Pie, PieChart } from 'recharts';
import type { ExecutionStatus } from '@/lib/schemas';
import { useViewerZone } from '@/components/jobs/time';
import { STATUS_COLORS } from './colors';

export interface StatusSlice {
  status: ExecutionStatus;
  count: number;
}

/**
 * A ring of execution counts by status, drawn after hydration; decorative (aria-hidden): the
 * numbers beside it are the accessible content. An empty ring when every count is zero.
 */
export function StatusDonut({ slices, size = 148 }: { slices: StatusSlice[]; size?: number }) {
  const mounted = useViewerZone() !== null;
  const data = slices.filter((s) => s.count > 0).map((s) => ({ ...s, fill: STATUS_COLORS[s.status] }));
  return (
    <div className="status-donut" style={{ width: size, height: size }} aria-hidden="true">
      {mounted && data.length > 0 ? (
        <PieChart width={size} height={size} accessibilityLayer={false} margin={{ top: 0, right: 0, bottom: 0, left: 0 }}>
          <Pie
            data={data}
            dataKey="count"
            nameKey="status"
            innerRadius="62%"
            outerRadius="100%"
            paddingAngle={data.length > 1 ? 1.5 : 0}
            stroke="none"
            startAngle={90}
            endAngle={-270}
            isAnimationActive={false}
          />
        </PieChart>
      ) : (
        <div className="status-donut-empty" />
      )}
    </div>
  );
}
