import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { previewTriggerAction, updateJobAction } from '@/app/actions/job-form';
import { requireSignedIn } from '@/app/_lib/auth';
import { JobForm } from '@/components/job-form/job-form';
import { NotFoundError } from '@/lib/errors';
import { listTimeZones } from '@/lib/time';
import type { Job } from '@/lib/types';
import { appContext } from '@/scheduler/context';
import { getJob } from '@/scheduler/jobs';
import { listTasks } from '@/scheduler/tasks';

export const metadata: Metadata = { title: 'Edit job · Cronboard' };

/** The route segment, decoded when it arrives percent-encoded (ids never contain "%"). */
function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** /jobs/{id}/edit: the edit form, pre-filled from the stored job; 404 when there is none. */
export default async function EditJobPage({ params }: { params: Promise<{ id: string }> }) {
  await requireSignedIn();
  const id = decodeId((await params).id);
  const ctx = appContext();
  let job: Job;
  try {
    job = await getJob(ctx, id);
  } catch (err) {
    if (err instanceof NotFoundError) notFound();
    throw err;
  }
  const href = `/jobs/${encodeURIComponent(job.id)}`;
  return (
    <>
      <div className="page-header">
        <h1>Edit job</h1>
        <p className="muted">
          <Link href={href}>{job.name}</Link> ({job.id})
        </p>
      </div>
      <JobForm
        mode="edit"
        job={job}
        tasks={listTasks()}
        timeZones={listTimeZones()}
        defaultTimezone={ctx.defaultTimezone}
        submitAction={updateJobAction.bind(null, job.id)}
        previewAction={previewTriggerAction}
        cancelHref={href}
      />
    </>
  );
}
