'use client';

import Link from 'next/link';
import { useId, useMemo } from 'react';
import { EXECUTION_STATUSES } from '@/lib/schemas';
import type { Execution } from '@/lib/types';
import { DataTable } from '@/components/data-table/data-table';
import { useUrlParams } from '@/components/data-table/use-url-params';
import { executionStatusLabel } from './badges';
import { HISTORY_LABEL, executionColumns } from './execution-columns';
import { ExecutionDetails } from './execution-details';

export interface ExecutionHistoryProps {
  executions: Execution[];
  total: number;
  page: number;
  pageSize: number;
  /** The URL's status filter, when valid ('' for all). */
  status: string;
  /** The job's time zone (relative times carry it in their title). */
  jobZone: string;
}

const getExecutionId = (e: Execution) => String(e.id);
const renderDetails = (e: Execution) => <ExecutionDetails execution={e} />;

/** A job's execution history, newest first: status filter and pages in the URL, per-row details. */
export function ExecutionHistory({ executions, total, page, pageSize, status, jobZone }: ExecutionHistoryProps) {
  const { setParams } = useUrlParams();
  const statusId = useId();
  const columns = useMemo(() => executionColumns(jobZone), [jobZone]);

  return (
    <div className="execution-history">
      <div className="toolbar">
        <div className="toolbar-field">
          <label htmlFor={statusId}>Status</label>
          <select id={statusId} value={status} onChange={(e) => setParams({ status: e.target.value }, { resetPage: true })}>
            <option value="">All statuses</option>
            {EXECUTION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {executionStatusLabel(s)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {total === 0 ? (
        <div className="empty-state empty-state-sm">
          {status ? (
            <p>
              No {executionStatusLabel(status as Execution['status']).toLowerCase()} runs.{' '}
              <Link href="?" scroll={false}>
                Show all runs
              </Link>
            </p>
          ) : (
            <p>This job has not run yet. Use “Run now” to try it.</p>
          )}
        </div>
      ) : (
        <DataTable
          label={HISTORY_LABEL}
          columns={columns}
          data={executions}
          getRowId={getExecutionId}
          total={total}
          page={page}
          pageSize={pageSize}
          noun={total === 1 ? 'run' : 'runs'}
          renderDetails={renderDetails}
          className="history-table"
        />
      )}
    </div>
  );
}
