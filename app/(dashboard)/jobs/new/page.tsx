import type { Metadata } from 'next';
import { createJobAction, previewTriggerAction } from '@/app/actions/job-form';
import { requireSignedIn } from '@/app/_lib/auth';
import { JobForm } from '@/components/job-form/job-form';
import { listTimeZones } from '@/lib/time';
import { appContext } from '@/scheduler/context';
import { listTasks } from '@/scheduler/tasks';

export const metadata: Metadata = { title: 'New job · Cronboard' };

/** /jobs/new: the create form. */
export default async function NewJobPage() {
  await requireSignedIn();
  return (
    <>
      <div className="page-header">
        <h1>New job</h1>
      </div>
      <JobForm
        mode="create"
        tasks={listTasks()}
        timeZones={listTimeZones()}
        defaultTimezone={appContext().defaultTimezone}
        submitAction={createJobAction}
        previewAction={previewTriggerAction}
        cancelHref="/jobs"
      />
    </>
  );
}
