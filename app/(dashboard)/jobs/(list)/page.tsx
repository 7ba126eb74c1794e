import type { Metadata } from 'next';
import Link from 'next/link';
import { listJobsQuerySchema } from '@/lib/schemas';
import { listJobs } from '@/scheduler/jobs';
import { listInstances } from '@/scheduler/executions';
import { appContext } from '@/scheduler/context';
import { AutoRefresh } from '@/components/data-table/auto-refresh';
import { parseSearchParams, type RawSearchParams } from '@/components/data-table/search-params';
import { JobButtonActionsProvider, type JobButtonActions } from '@/components/jobs/job-actions';
import { JobsTable } from '@/components/jobs/jobs-table';
import { JobsToolbar } from '@/components/jobs/jobs-toolbar';
import { InstancesPanel } from '@/components/jobs/instances-panel';
import { deleteJobAction, pauseJobAction, resumeJobAction, runJobNowAction } from '@/app/actions/job-buttons';
import { requireSignedIn } from '@/app/_lib/auth';
import { IgnoredParams } from '@/components/ignored-params';

export const metadata: Metadata = { title: 'Jobs · Cronboard' };

const jobButtonActions: JobButtonActions = {
  runNow: runJobNowAction,
  pause: pauseJobAction,
  resume: resumeJobAction,
  remove: deleteJobAction,
};

/** The jobs table: search, state filter, sort and page all come from the URL. */
export default async function JobsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  await requireSignedIn();
  const { value: query, problems } = parseSearchParams(listJobsQuerySchema, await searchParams);
  const ctx = appContext();
  const [result, instances] = await Promise.all([listJobs(ctx, query), listInstances(ctx)]);
  const instancesReadAt = ctx.now().toISOString();
  const filtered = Boolean(query.q || query.state || query.task);

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Jobs</h1>
          <p className="muted">
            {result.total} {result.total === 1 ? 'job' : 'jobs'}
            {filtered ? ' match the filters' : ''}
          </p>
        </div>
      </div>

      <JobsToolbar q={query.q ?? ''} state={query.state ?? ''} />

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
          <p className="muted">
            {query.q ? <>No job’s name or id contains “{query.q}”</> : <>No job matches</>}
            {query.state ? <> in the state “{query.state}”</> : null}.
          </p>
          <Link href="/jobs" className="btn btn-secondary">
            Clear filters
          </Link>
        </div>
      ) : (
        <JobButtonActionsProvider actions={jobButtonActions}>
          <div className="card card-flush">
            <JobsTable jobs={result.items} total={result.total} page={result.page} pageSize={result.pageSize} sort={query.sort} />
          </div>
        </JobButtonActionsProvider>
      )}

      <InstancesPanel instances={instances} now={instancesReadAt} />

      <AutoRefresh intervalMs={4000} />
    </>
  );
}
