'use client';

import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { DAILY_SERIES, foldDailySeries, type DailySeriesKey, type JobDailyCounts } from '@/lib/stats';
import { formatInZone } from '@/lib/time';
import { ChartFrame } from './chart-frame';
import { AXIS_COLOR, DAILY_SERIES_COLORS, GRID_COLOR } from './colors';
import { dayLabel, formatCount } from './format';

/** Series drawn even when they are all zero: the three the question is about. */
const ALWAYS_SHOWN: readonly DailySeriesKey[] = ['succeeded', 'failed', 'missed'];

/**
 * "Executions per day": stacked bars of outcomes for each UTC day of the window (failed includes
 * timed out and interrupted). Its text alternative is a table of the same numbers.
 */
export function DailyStatusChart({ daily }: { daily: JobDailyCounts }) {
  const rows = useMemo(() => daily.days.map((d) => ({ day: d.day, label: dayLabel(d.day), ...foldDailySeries(d.counts) })), [daily]);
  const totals = useMemo(() => {
    const sum = Object.fromEntries(DAILY_SERIES.map((s) => [s.key, 0])) as Record<DailySeriesKey, number>;
    for (const r of rows) for (const s of DAILY_SERIES) sum[s.key] += r[s.key];
    return sum;
  }, [rows]);
  const series = DAILY_SERIES.filter((s) => ALWAYS_SHOWN.includes(s.key) || totals[s.key] > 0);

  return (
    <ChartFrame
      title="Executions per day"
      height={240}
      summary={
        <>
          Last {rows.length} days, each day a UTC day: {formatCount(totals.succeeded)} succeeded, {formatCount(totals.failed)} failed (timed out and
          interrupted included), {formatCount(totals.missed)} missed.
          {daily.partialBefore ? (
            <> Only the latest executions are counted: days before {formatInZone(daily.partialBefore, 'UTC')} UTC are incomplete.</>
          ) : null}
        </>
      }
      chart={() => (
        <BarChart data={rows} responsive style={{ width: '100%', height: '100%' }} accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" stroke={AXIS_COLOR} fontSize={12} minTickGap={8} />
          <YAxis allowDecimals={false} stroke={AXIS_COLOR} fontSize={12} width="auto" />
          <Tooltip isAnimationActive={false} cursor={{ fill: 'rgba(59, 91, 219, 0.08)' }} labelFormatter={(label) => `${label} (UTC)`} />
          <Legend verticalAlign="bottom" iconSize={10} itemSorter={null} wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} stackId="day" fill={DAILY_SERIES_COLORS[s.key]} isAnimationActive={false} />
          ))}
        </BarChart>
      )}
    >
      <table className="visually-hidden">
        <caption>Executions per day (UTC)</caption>
        <thead>
          <tr>
            <th scope="col">Day (UTC)</th>
            {DAILY_SERIES.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.day}>
              <th scope="row">{r.day}</th>
              {DAILY_SERIES.map((s) => (
                <td key={s.key}>{r[s.key]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ChartFrame>
  );
}
