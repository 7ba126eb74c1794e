import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { overviewStats } from '@/scheduler/stats';
import { listInstances } from '@/scheduler/executions';
import { appContext } from '@/scheduler/context';
import { AutoRefresh } from '@/components/data-table/auto-refresh';
import { InstancesPanel } from '@/components/jobs/instances-panel';
import { JobStateTiles } from '@/components/overview/job-state-tiles';
import { OverviewSkeleton } from '@/components/overview/overview-skeleton';
import { RecentExecutions } from '@/components/overview/recent-executions';
import { RecentFailures } from '@/components/overview/recent-failures';
import { UpcomingJobs } from '@/components/overview/upcoming-jobs';
import { requireSignedIn } from '../_lib/auth';

export const metadata: Metadata = { title: 'Overview · Cronboard' };

/** The numbers, read on each render (and each auto-refresh); streamed in behind the skeleton. */
async function OverviewContent() {
  const ctx = appContext();
  const [stats, instances] = await Promise.all([overviewStats(ctx), listInstances(ctx)]);

  if (stats.jobs.total === 0) {
    return (
      <>
        <div className="empty-state card">
          <h2>No jobs yet</h2>
          <p className="muted">Jobs run a task on a schedule: a cron expression, an interval or a single date. Their runs and failures will show up here.</p>
          <Link href="/jobs/new" className="btn btn-primary">
            Create a job
          </Link>
        </div>
        <InstancesPanel instances={instances} now={stats.readAt} />
      </>
    );
  }

  return (
    <>
      <div className="overview-top">
        <JobStateTiles counts={stats.jobs} />
        <RecentExecutions stats={stats.last24h} />
      </div>
      <div className="overview-lists">
        <RecentFailures failures={stats.failures} />
        <UpcomingJobs runs={stats.upcoming} />
      </div>
      <InstancesPanel instances={instances} now={stats.readAt} />
    </>
  );
}

/** The home page: jobs by state, the last 24 hours, recent failures, upcoming runs and the scheduler instances. */
export default async function OverviewPage() {
  await requireSignedIn();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Overview</h1>
          <p className="muted">Your jobs, their last 24 hours and the schedulers running them. Refreshes by itself.</p>
        </div>
        <Link href="/jobs/new" className="btn btn-primary">
          New job
        </Link>
      </div>
      <Suspense fallback={<OverviewSkeleton />}>
        <OverviewContent />
      </Suspense>
      <AutoRefresh intervalMs={5000} />
    </>
  );
}
