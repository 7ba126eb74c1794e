'use client';

import type { Job } from '@/lib/types';
import { DataTable } from '@/components/data-table/data-table';
import { jobsColumns } from './jobs-columns';

export interface JobsTableProps {
  jobs: Job[];
  total: number;
  page: number;
  pageSize: number;
  /** The URL's sort value, when valid. */
  sort?: string;
}

const getJobId = (job: Job) => job.id;

/** The jobs table (aria-label "Jobs"): server-side sorting and pagination from the URL. */
export function JobsTable({ jobs, total, page, pageSize, sort }: JobsTableProps) {
  return (
    <DataTable
      label="Jobs"
      columns={jobsColumns}
      data={jobs}
      getRowId={getJobId}
      total={total}
      page={page}
      pageSize={pageSize}
      sort={sort}
      defaultSort="nextRunAt"
      noun={total === 1 ? 'job' : 'jobs'}
      className="jobs-table"
    />
  );
}
