'use server';

import type { ActionResult } from '@/lib/action-result';
import type { Job } from '@/lib/types';
import { appContext } from '@/scheduler/context';
import { createJob, previewTrigger, updateJob } from '@/scheduler/jobs';
import { checkedId, refreshDashboard, runAction } from '../_lib/actions';

/** Creates a job from the form's payload (validated by the service with jobInputSchema). */
export async function createJobAction(input: unknown): Promise<ActionResult<Job>> {
  const result = await runAction(() => createJob(appContext(), input));
  if (result.ok) refreshDashboard();
  return result;
}

/** Applies the form's patch (jobPatchSchema, with the version read: a stale one is a 409). */
export async function updateJobAction(id: string, input: unknown): Promise<ActionResult<Job>> {
  const result = await runAction(() => updateJob(appContext(), checkedId(id), input));
  if (result.ok) refreshDashboard();
  return result;
}

/** The next runs and the schedule in words of a trigger being edited (triggerPreviewSchema). */
export async function previewTriggerAction(input: unknown): Promise<ActionResult<{ runs: string[]; description: string }>> {
  return runAction(async () => previewTrigger(appContext(), input));
}
