import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { NotFoundError } from '@/lib/errors';
import { listExecutionsQuerySchema } from '@/lib/schemas';
import type { Job } from '@/lib/types';
import { getJob, upcomingRuns } from '@/scheduler/jobs';
import { listExecutions } from '@/scheduler/executions';
import { jobDailyCounts, jobDurations } from '@/scheduler/stats';
import { appContext } from '@/scheduler/context';
import { AutoRefresh } from '@/components/data-table/auto-refresh';
import { parseSearchParams, type RawSearchParams } from '@/components/data-table/search-params';
import { StateBadge } from '@/components/jobs/badges';
import { ExecutionHistory } from '@/components/jobs/execution-history';
import { JobActions, JobButtonActionsProvider, type JobButtonActions } from '@/components/jobs/job-actions';
import { JobSettings } from '@/components/jobs/job-settings';
import { JobCharts } from '@/components/charts/job-charts';
import { RelativeTime } from '@/components/jobs/time';
import { UpcomingRuns } from '@/components/jobs/upcoming-runs';
import { deleteJobAction, pauseJobAction, resumeJobAction, runJobNowAction } from '../../../actions/job-buttons';
import { isSignedIn, requireSignedIn } from '../../../_lib/auth';
import { IgnoredParams } from '@/components/ignored-params';

interface Props {
  params: Promise<{ id: string }>;
  searchParams: Promise<RawSearchParams>;
}

const jobButtonActions: JobButtonActions = {
  runNow: runJobNowAction,
  pause: pauseJobAction,
  resume: resumeJobAction,
  remove: deleteJobAction,
};

/** Route params may arrive percent-encoded; job ids never contain "%", so decoding is safe. */
function jobIdFrom(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The job (read once per request, shared by the metadata and the page), or the segment's 404 page. */
const loadJob = cache(async (id: string): Promise<Job> => {
  try {
    return await getJob(appContext(), id);
  } catch (err) {
    if (err instanceof NotFoundError) notFound();
    throw err;
  }
});

/** Title: the job's name (only for a signed-in viewer). */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  if (!(await isSignedIn())) return { title: 'Cronboard' };
  const job = await loadJob(jobIdFrom((await params).id));
  return { title: `${job.name} · Cronboard` };
}

/** One job: actions, settings, next runs, charts and its execution history (status and page in the URL). */
export default async function JobPage({ params, searchParams }: Props) {
  await requireSignedIn();
  const id = jobIdFrom((await params).id);
  const job = await loadJob(id);
  const { value: query, problems } = parseSearchParams(listExecutionsQuerySchema, await searchParams);
  const ctx = appContext();
  const [history, durations, daily] = await Promise.all([
    listExecutions(ctx, job.id, query),
    jobDurations(ctx, job.id),
    jobDailyCounts(ctx, job.id),
  ]);
  const runs = upcomingRuns(job, 10);

  return (
    <JobButtonActionsProvider actions={jobButtonActions}>
      <div className="page-header">
        <div>
          <h1 className="job-title">{job.name}</h1>
          <p className="job-subtitle muted">
            <StateBadge state={job.state} /> <code className="job-id">{job.id}</code> · {job.schedule}
            {job.nextRunAt ? (
              <>
                {' '}
                · next run <RelativeTime iso={job.nextRunAt} zone={job.trigger.timezone} nextRun />
              </>
            ) : null}
          </p>
        </div>
        <JobActions job={job} leaveAfterDelete size="md" />
      </div>

      <section aria-labelledby="settings-heading" className="section">
        <h2 id="settings-heading">Settings</h2>
        <JobSettings job={job} />
      </section>

      <section aria-labelledby="next-runs-heading" className="section">
        <h2 id="next-runs-heading">Next runs</h2>
        <div className="card">
          <UpcomingRuns runs={runs} zone={job.trigger.timezone} state={job.state} />
        </div>
      </section>

      <section aria-labelledby="charts-heading" className="section">
        <h2 id="charts-heading">Charts</h2>
        <JobCharts durations={durations} daily={daily} />
      </section>

      <section aria-labelledby="history-heading" className="section">
        <h2 id="history-heading">Execution history</h2>
        <IgnoredParams problems={problems} />
        <div className="card card-flush">
          <ExecutionHistory
            executions={history.items}
            total={history.total}
            page={history.page}
            pageSize={history.pageSize}
            status={query.status ?? ''}
            jobZone={job.trigger.timezone}
          />
        </div>
      </section>

      <AutoRefresh intervalMs={4000} />
    </JobButtonActionsProvider>
  );
}
