import type { Metadata } from 'next';
import Link from 'next/link';
import { listJobsQuerySchema, type ListJobsQuery } from '@/lib/schemas';
import { listInstances } from '@/scheduler/executions';
import { ValidationError } from '@/lib/errors';
import { lastPageCursor, listJobs } from '@/scheduler/list-jobs';
import { listTasks } from '@/scheduler/tasks';
import { appContext } from '@/scheduler/context';
import { AutoRefresh } from '@/components/data-table/auto-refresh';
import { formatCount } from '@/components/charts/format';
import { parseSearchParams, type RawSearchParams } from '@/components/data-table/search-params';
import { JobButtonActionsProvider, type JobButtonActions } from '@/components/jobs/job-actions';
import type { JobBulkActions } from '@/components/jobs/jobs-bulk-bar';
import { JobsTable } from '@/components/jobs/jobs-table';
import { JobsToolbar } from '@/components/jobs/jobs-toolbar';
import { InstancesPanel } from '@/components/jobs/instances-panel';
import { executionStatusLabel, jobStateLabel } from '@/components/jobs/badges';
import {
  deleteJobAction,
  deleteJobsAction,
  pauseJobAction,
  pauseJobsAction,
  resumeJobAction,
  resumeJobsAction,
  runJobNowAction,
  runJobsNowAction,
} from '@/app/actions/job-buttons';
import { requireSignedIn } from '@/app/_lib/auth';
import { IgnoredParams } from '@/components/ignored-params';

export const metadata: Metadata = { title: 'Jobs · Cronboard' };

const jobButtonActions: JobButtonActions = {
  runNow: runJobNowAction,
  pause: pauseJobAction,
  resume: resumeJobAction,
  remove: deleteJobAction,
};

const jobBulkActions: JobBulkActions = {
  pause: pauseJobsAction,
  resume: resumeJobsAction,
  runNow: runJobsNowAction,
  remove: deleteJobsAction,
};

/**
 * One page of jobs for the URL's query. A cursor wins over a page number; a cursor that does not
 * fit the query (another sort, hand-edited) is reported and the first page shown instead.
 */
async function readJobs(query: Partial<ListJobsQuery>, problems: string[]) {
  const ctx = appContext();
  const wanted = query.cursor ? { ...query, page: undefined } : query;
  try {
    return await listJobs(ctx, wanted);
  } catch (err) {
    if (!(err instanceof ValidationError) || !query.cursor) throw err;
    problems.push(`cursor: ${Object.values(err.fieldErrors).flat().join(' ') || err.message}`);
    return listJobs(ctx, { ...query, cursor: undefined, page: undefined });
  }
}

/** The jobs table: search, filters (state, task, last status), sort and page (a cursor) all come from the URL. */
export default async function JobsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requireSignedIn();
  const { value: query, problems } = parseSearchParams(listJobsQuerySchema, await searchParams);
  const ctx = appContext();
  const [result, instances] = await Promise.all([readJobs(query, problems), listInstances(ctx)]);
  const instancesReadAt = ctx.now().toISOString();
  const tasks = listTasks().map(({ name, title }) => ({ name, title }));
  const filtered = Boolean(query.q || query.state || query.task || query.lastStatus);

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Jobs</h1>
          <p className="muted">
            {formatCount(result.total, result.totalExact)} {result.total === 1 && result.totalExact ? 'job' : 'jobs'}
            {filtered ? (result.total === 1 && result.totalExact ? ' matches the filters' : ' match the filters') : ''}
          </p>
        </div>
      </div>

      <JobsToolbar q={query.q ?? ''} state={query.state ?? ''} task={query.task ?? ''} lastStatus={query.lastStatus ?? ''} tasks={tasks} />

      <IgnoredParams problems={problems} />

      {result.total === 0 && !filtered ? (
        <div className="empty-state card">
          <h2>No jobs yet</h2>
          <p className="muted">Jobs run a task on a schedule: a cron expression, an interval or a single date.</p>
          <Link href="/jobs/new" className="btn btn-primary">
            Create a job
          </Link>
        </div>
      ) : result.total === 0 ? (
        <div className="empty-state card">
          <h2>No matching jobs</h2>
          <p className="muted">{noMatchText(query)}</p>
          <Link href="/jobs" className="btn btn-secondary">
            Clear filters
          </Link>
        </div>
      ) : (
        <JobButtonActionsProvider actions={jobButtonActions}>
          <div className="card card-flush">
            <JobsTable
              jobs={result.items}
              total={result.total}
              totalExact={result.totalExact}
              cursors={{ next: result.nextCursor, prev: result.prevCursor, last: lastPageCursor(query.sort) }}
              page={result.page}
              pageSize={result.pageSize}
              sort={query.sort}
              bulkActions={jobBulkActions}
            />
          </div>
        </JobButtonActionsProvider>
      )}

      <InstancesPanel instances={instances} now={instancesReadAt} />

      <AutoRefresh intervalMs={4000} />
    </>
  );
}

/** "No job’s name or id contains “x”, in the state Paused, running log.message." for the no-results state. */
function noMatchText(query: Partial<ListJobsQuery>): string {
  const parts: string[] = [];
  if (query.state) parts.push(`in the state ${jobStateLabel(query.state)}`);
  if (query.task) parts.push(`running ${query.task}`);
  if (query.lastStatus === 'never') parts.push('that never ran');
  else if (query.lastStatus) parts.push(`with the last status ${executionStatusLabel(query.lastStatus)}`);
  const head = query.q ? `No job’s name or id contains “${query.q}”` : 'No job matches';
  return `${head}${parts.length ? `, ${parts.join(', ')}` : ''}.`;
}
