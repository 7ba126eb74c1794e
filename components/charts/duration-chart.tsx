'use client';

import { useMemo } from 'react';
import { CartesianGrid, ComposedChart, Legend, Line, Scatter, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { ExecutionStatus } from '@/lib/schemas';
import { durationSummary, type DurationPoint } from '@/lib/stats';
import { formatDuration, formatInZone } from '@/lib/time';
import { executionStatusLabel } from '@/components/jobs/badges';
import { ChartFrame } from './chart-frame';
import { AXIS_COLOR, GRID_COLOR, STATUS_COLORS } from './colors';
import { formatInstant, instantTickFormatter } from './format';

interface Datum extends DurationPoint {
  /** The scheduled instant in ms (the x value). */
  t: number;
}

/** The tooltip: when (viewer's zone), how long, and the outcome. */
function DurationTooltip({ active, payload, zone }: TooltipContentProps & { zone: string }) {
  const datum = active ? (payload?.[0]?.payload as Datum | undefined) : undefined;
  if (!datum) return null;
  return (
    <div className="chart-tooltip">
      <div>{formatInstant(datum.t, zone)}</div>
      <div>
        <strong>{formatDuration(datum.durationMs)}</strong> · {executionStatusLabel(datum.status)}
      </div>
    </div>
  );
}

/**
 * "Duration over time": the job's latest finished runs (oldest first), a grey line through them
 * and a dot per run coloured by its outcome. Its text alternative is a table of the same runs.
 */
export function DurationChart({ points }: { points: DurationPoint[] }) {
  const data = useMemo<Datum[]>(() => points.map((p) => ({ ...p, t: Date.parse(p.scheduledFor) })), [points]);
  const byStatus = useMemo(() => {
    const groups = new Map<ExecutionStatus, Datum[]>();
    for (const d of data) groups.set(d.status, [...(groups.get(d.status) ?? []), d]);
    return [...groups.entries()];
  }, [data]);
  const summary = durationSummary(points);
  const span = data.length > 1 ? data[data.length - 1].t - data[0].t : 0;

  return (
    <ChartFrame
      title="Duration over time"
      height={240}
      summary={
        summary ? (
          <>
            Last {points.length} finished {points.length === 1 ? 'run' : 'runs'}: median {formatDuration(summary.median)}, slowest{' '}
            {formatDuration(summary.max)}.
          </>
        ) : (
          'No finished runs yet.'
        )
      }
      chart={(zone) =>
        data.length === 0 ? null : (
          <ComposedChart data={data} responsive style={{ width: '100%', height: '100%' }} accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              // One run: one tick, at it (a zero-wide domain otherwise repeats its one label across the axis).
              ticks={data.length === 1 ? [data[0].t] : undefined}
              tickFormatter={instantTickFormatter(span, zone)}
              stroke={AXIS_COLOR}
              fontSize={12}
              minTickGap={24}
            />
            <YAxis dataKey="durationMs" allowDecimals={false} tickFormatter={(ms: number) => formatDuration(ms)} stroke={AXIS_COLOR} fontSize={12} width="auto" />
            <Tooltip content={(props) => <DurationTooltip {...props} zone={zone} />} isAnimationActive={false} />
            <Legend verticalAlign="bottom" iconSize={10} itemSorter={null} wrapperStyle={{ fontSize: 12 }} />
            <Line dataKey="durationMs" stroke="#c4cad3" strokeWidth={1.5} dot={false} activeDot={false} isAnimationActive={false} legendType="none" />
            {byStatus.map(([status, group]) => (
              <Scatter key={status} name={executionStatusLabel(status)} data={group} dataKey="durationMs" fill={STATUS_COLORS[status]} isAnimationActive={false} />
            ))}
          </ComposedChart>
        )
      }
    >
      <table className="visually-hidden">
        <caption>Duration over time</caption>
        <thead>
          <tr>
            <th scope="col">Scheduled for (UTC)</th>
            <th scope="col">Status</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.executionId}>
              <td>{formatInZone(p.scheduledFor, 'UTC')}</td>
              <td>{executionStatusLabel(p.status)}</td>
              <td>{formatDuration(p.durationMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ChartFrame>
  );
}
