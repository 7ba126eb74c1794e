'use server';

import type { ActionResult } from '@/lib/action-result';
import type { Job } from '@/lib/types';
import { bulkJobAction, deleteJob, pauseJob, resumeJob, runJobNow, type BulkJobAction, type BulkOutcome } from '@/scheduler/jobs';
import { appContext } from '@/scheduler/context';
import { checkedId, refreshDashboard, runAction } from '../_lib/actions';

/** Queues a run of the job now (whatever its state). */
export async function runJobNowAction(id: string): Promise<ActionResult<{ executionId: number }>> {
  const result = await runAction(() => runJobNow(appContext(), checkedId(id)));
  if (result.ok) refreshDashboard();
  return result;
}

/** Pauses an active job. */
export async function pauseJobAction(id: string): Promise<ActionResult<Job>> {
  const result = await runAction(() => pauseJob(appContext(), checkedId(id)));
  if (result.ok) refreshDashboard();
  return result;
}

/** Resumes a paused job (409 when its trigger has no fires left). */
export async function resumeJobAction(id: string): Promise<ActionResult<Job>> {
  const result = await runAction(() => resumeJob(appContext(), checkedId(id)));
  if (result.ok) refreshDashboard();
  return result;
}

/**
 * Deletes the job and its history. With `leaving` (the job's own page, which navigates to the
 * table next) the current page is not re-rendered, so it never flashes a 404.
 */
export async function deleteJobAction(id: string, leaving = false): Promise<ActionResult<void>> {
  const result = await runAction(() => deleteJob(appContext(), checkedId(id)));
  if (result.ok && leaving !== true) refreshDashboard();
  return result;
}

async function bulk(action: BulkJobAction, ids: string[]): Promise<ActionResult<BulkOutcome>> {
  const result = await runAction(() => bulkJobAction(appContext(), action, ids));
  if (result.ok && result.data.done.length) refreshDashboard();
  return result;
}

/** Pauses up to 100 jobs; the result lists the ones done and why the others failed. */
export async function pauseJobsAction(ids: string[]): Promise<ActionResult<BulkOutcome>> {
  return bulk('pause', ids);
}

/** Resumes up to 100 jobs. */
export async function resumeJobsAction(ids: string[]): Promise<ActionResult<BulkOutcome>> {
  return bulk('resume', ids);
}

/** Queues a run of each of up to 100 jobs. */
export async function runJobsNowAction(ids: string[]): Promise<ActionResult<BulkOutcome>> {
  return bulk('run', ids);
}

/** Deletes up to 100 jobs with their history. */
export async function deleteJobsAction(ids: string[]): Promise<ActionResult<BulkOutcome>> {
  return bulk('delete', ids);
}
