'use client';

import { Fragment } from 'react';
import type { Job } from '@/lib/types';
import { dataColumnHelper } from '@/components/data-table/features';
import { selectColumn } from '@/components/data-table/select-column';
import { ExecutionStatusBadge, StateBadge } from './badges';
import { JobActions } from './job-actions';
import { JobLink } from './job-link';
import { RelativeTime } from './time';

const col = dataColumnHelper<Job>();

/** The jobs table's columns; the sortable ones' ids are the API's sort keys. */
export const jobsColumns = col.columns([
  selectColumn<Job>({ rowLabel: (job) => `Select ${job.name}`, allLabel: 'Select all jobs on this page' }),
  col.accessor('name', {
    id: 'name',
    header: 'Name',
    cell: ({ row }) => (
      <div className="job-name-cell">
        <JobLink id={row.original.id} name={row.original.name} />
        <code className="job-id muted">{row.original.id}</code>
      </div>
    ),
  }),
  col.accessor('task', {
    header: 'Task',
    enableSorting: false,
    cell: ({ getValue }) => (
      <code className="task-name">
        {getValue()
          .split('.')
          .map((part, i) =>
            i === 0 ? (
              <span key={i}>{part}</span>
            ) : (
              <Fragment key={i}>
                <wbr />
                <span>.{part}</span>
              </Fragment>
            ),
          )}
      </code>
    ),
  }),
  col.accessor('schedule', {
    header: 'Schedule',
    enableSorting: false,
    cell: ({ row }) => {
      const { schedule, trigger } = row.original;
      return (
        <span className="schedule">
          {schedule}
          {schedule.includes(trigger.timezone) ? null : <span className="schedule-zone muted"> ({trigger.timezone})</span>}
        </span>
      );
    },
  }),
  col.accessor('nextRunAt', {
    id: 'nextRunAt',
    header: 'Next run',
    cell: ({ row }) =>
      row.original.nextRunAt ? (
        <RelativeTime iso={row.original.nextRunAt} zone={row.original.trigger.timezone} nextRun />
      ) : (
        <span className="muted">—</span>
      ),
  }),
  col.accessor((job) => job.lastExecution?.at ?? null, {
    id: 'lastRunAt',
    header: 'Last run',
    sortDescFirst: true,
    cell: ({ row }) => {
      const last = row.original.lastExecution;
      if (!last) return <span className="muted">Never</span>;
      return (
        <div className="last-run">
          <ExecutionStatusBadge status={last.status} />
          <RelativeTime iso={last.at} zone={row.original.trigger.timezone} />
        </div>
      );
    },
  }),
  col.accessor('state', {
    header: 'State',
    enableSorting: false,
    cell: ({ getValue }) => <StateBadge state={getValue()} />,
  }),
  col.accessor('source', {
    header: 'Source',
    enableSorting: false,
    cell: ({ getValue }) =>
      getValue() === 'code' ? (
        <span className="badge badge-outline" title="Declared in code, synced on start">
          code
        </span>
      ) : (
        <span className="badge badge-outline" title="Created in the dashboard or through the API">
          UI
        </span>
      ),
  }),
  col.accessor('updatedAt', {
    id: 'updatedAt',
    header: 'Updated',
    sortDescFirst: true,
    cell: ({ row }) => <RelativeTime iso={row.original.updatedAt} />,
  }),
  col.display({
    id: 'actions',
    header: () => <span className="visually-hidden">Actions</span>,
    cell: ({ row }) => <JobActions job={row.original} />,
  }),
]);
