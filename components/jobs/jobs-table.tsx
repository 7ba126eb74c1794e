'use client';

import { useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import type { RowSelectionState, Updater } from '@tanstack/react-table';
import type { Job } from '@/lib/types';
import { DataTable } from '@/components/data-table/data-table';
import { jobsColumns } from './jobs-columns';
import { JobsBulkBar, type JobBulkActions } from './jobs-bulk-bar';

/** Props of JobsTable: one page of jobs from the server, and the URL's sort. */
export interface JobsTableProps {
  jobs: Job[];
  total: number;
  /** false: `total` is a lower bound (the server stopped counting). */
  totalExact: boolean;
  /** Keyset cursors of the next, previous and last pages. */
  cursors: { next: string | null; prev: string | null; last: string | null };
  page: number;
  pageSize: number;
  /** The URL's sort value, when valid. */
  sort?: string;
  /** The bulk server actions behind the bar shown while jobs are selected. */
  bulkActions: JobBulkActions;
}

const getJobId = (job: Job) => job.id;

const asRowSelection = (selection: Record<string, string>): RowSelectionState =>
  Object.fromEntries(Object.keys(selection).map((id) => [id, true as const]));

/**
 * The jobs table (aria-label "Jobs"): server-side sorting and keyset pagination from the URL, a checkbox
 * per row and bulk actions. The selection is kept across live refreshes (even for a job the new
 * order moved to another page) and cleared when the view (search, filters, sort, page) changes.
 */
export function JobsTable({ jobs, total, totalExact, cursors, page, pageSize, sort, bulkActions }: JobsTableProps) {
  const view = useSearchParams().toString();
  // Selected job ids with their names (for the delete confirmation, even once off the page).
  const [selection, setSelection] = useState<Record<string, string>>({});
  const [selectionView, setSelectionView] = useState(view);
  if (selectionView !== view) {
    setSelectionView(view);
    setSelection({});
  }

  const rowSelection = useMemo(() => asRowSelection(selection), [selection]);
  const selected = Object.entries(selection).map(([id, name]) => ({ id, name }));

  const onSelectionChange = (updater: Updater<RowSelectionState>) =>
    setSelection((old) => {
      const next = typeof updater === 'function' ? updater(asRowSelection(old)) : updater;
      const names = new Map(jobs.map((job) => [job.id, job.name]));
      return Object.fromEntries(Object.keys(next).map((id) => [id, old[id] ?? names.get(id) ?? id]));
    });
  const forget = (ids: string[]) =>
    setSelection((old) => {
      const next = { ...old };
      for (const id of ids) delete next[id];
      return next;
    });

  return (
    <>
      <JobsBulkBar selected={selected} actions={bulkActions} onDone={forget} onClear={() => setSelection({})} />
      <DataTable
        label="Jobs"
        columns={jobsColumns}
        data={jobs}
        getRowId={getJobId}
        total={total}
        totalExact={totalExact}
        cursors={cursors}
        page={page}
        pageSize={pageSize}
        sort={sort}
        defaultSort="nextRunAt"
        noun={total === 1 ? 'job' : 'jobs'}
        rowSelection={rowSelection}
        onRowSelectionChange={onSelectionChange}
        className="jobs-table"
      />
    </>
  );
}
