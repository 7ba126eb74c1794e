'use client';

import type { Execution } from '@/lib/types';
import { formatDuration } from '@/lib/time';
import { dataColumnHelper } from '@/components/data-table/features';
import { detailRowId } from '@/components/data-table/data-table';
import { ExecutionStatusBadge } from './badges';
import { LocalTime, RelativeTime } from './time';

const col = dataColumnHelper<Execution>();

/** Label of the history table; also the base of its detail rows' ids. */
export const HISTORY_LABEL = 'Execution history';

/** Columns of the execution history (no client sorting: newest first from the server). */
export function executionColumns(jobZone: string) {
  return col.columns([
    col.accessor('status', {
      header: 'Status',
      enableSorting: false,
      cell: ({ row }) => (
        <span className="status-cell">
          <ExecutionStatusBadge status={row.original.status} count={row.original.missedCount} />
          {row.original.kind === 'manual' ? <span className="tag">manual</span> : null}
        </span>
      ),
    }),
    col.accessor('scheduledFor', {
      header: 'Scheduled for',
      enableSorting: false,
      cell: ({ getValue }) => (
        <span className="instant">
          <LocalTime iso={getValue()} />
          <RelativeTime iso={getValue()} zone={jobZone} />
        </span>
      ),
    }),
    col.accessor('startedAt', {
      header: 'Started',
      enableSorting: false,
      cell: ({ getValue }) => {
        const v = getValue();
        return v ? <LocalTime iso={v} /> : <span className="muted">—</span>;
      },
    }),
    col.accessor('durationMs', {
      header: 'Duration',
      enableSorting: false,
      cell: ({ getValue }) => <span className="num">{formatDuration(getValue())}</span>,
    }),
    col.accessor('attempt', {
      header: 'Attempt',
      enableSorting: false,
      cell: ({ getValue }) => <span className="num">{getValue()}</span>,
    }),
    col.accessor('instance', {
      header: 'Instance',
      enableSorting: false,
      cell: ({ getValue }) => {
        const v = getValue();
        return v ? <code className="instance">{v}</code> : <span className="muted">—</span>;
      },
    }),
    col.accessor('error', {
      header: 'Error',
      enableSorting: false,
      cell: ({ getValue }) => {
        const v = getValue();
        return v ? (
          <span className="error-text" title={v}>
            {v}
          </span>
        ) : (
          <span className="muted">—</span>
        );
      },
    }),
    col.display({
      id: 'details',
      header: () => <span className="visually-hidden">Details</span>,
      cell: ({ row }) =>
        row.getCanExpand() ? (
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            aria-expanded={row.getIsExpanded()}
            aria-controls={row.getIsExpanded() ? detailRowId(HISTORY_LABEL, row.id) : undefined}
            onClick={row.getToggleExpandedHandler()}
          >
            {row.getIsExpanded() ? 'Hide details' : 'Details'}
            <span className="visually-hidden"> of run #{row.original.id}</span>
          </button>
        ) : null,
    }),
  ]);
}
