import type { ExecutionStatus } from '@/lib/schemas';
import type { DailySeriesKey } from '@/lib/stats';

/**
 * Chart colours, as literal values: recharts writes them into SVG attributes. They match the
 * badge colours of app/styles (success green, danger red, warning amber...).
 */
export const STATUS_COLORS: Record<ExecutionStatus, string> = {
  queued: '#6b9ecf',
  running: '#1d6fa5',
  succeeded: '#1e7a46',
  failed: '#c0362c',
  timed_out: '#e07b39',
  missed: '#d9a21b',
  skipped: '#8a94a6',
  interrupted: '#7c4dcc',
};

/** Colours of the per-day chart's series. */
export const DAILY_SERIES_COLORS: Record<DailySeriesKey, string> = {
  succeeded: STATUS_COLORS.succeeded,
  failed: STATUS_COLORS.failed,
  missed: STATUS_COLORS.missed,
  skipped: STATUS_COLORS.skipped,
  inFlight: STATUS_COLORS.running,
};

/** Axis, grid and label colours. */
export const AXIS_COLOR = '#5d6778';
export const GRID_COLOR = '#dde1e7';
