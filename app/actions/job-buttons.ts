'use server';

import { revalidatePath } from 'next/cache';
import type { ActionResult } from '@/lib/action-result';
import { ValidationError } from '@/lib/errors';
import type { Job } from '@/lib/types';
import { deleteJob, pauseJob, resumeJob, runJobNow } from '@/scheduler/jobs';
import { appContext } from '@/scheduler/context';
import { runAction } from '../_lib/actions';

/** Server action arguments come from the client: check the id before touching the database. */
function checkedId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 191) {
    throw new ValidationError('Invalid job id.', { id: ['A job id is 1 to 191 characters.'] });
  }
  return id;
}

/** Re-renders every dashboard page (the table and the job pages) after a change. */
function refreshDashboard(): void {
  revalidatePath('/', 'layout');
}

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
