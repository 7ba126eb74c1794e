import { apiRoute, jobLocation, jsonResponse, otherMethods, readJson, readQuery } from '@/app/_lib/http';
import { appContext } from '@/scheduler/context';
import { createJob } from '@/scheduler/jobs';
import { listJobs } from '@/scheduler/list-jobs';

/** GET /api/jobs?state&task&q&sort&page&pageSize: one page of jobs, filtered and sorted in the database. */
export const GET = apiRoute(async (req) => jsonResponse(await listJobs(appContext(), readQuery(req))));

/**
 * POST /api/jobs: creates a job (201 with Location). An existing id is a 409 unless the body
 * says `"replaceExisting": true` (then the job is replaced, also 201).
 */
export const POST = apiRoute(async (req) => {
  const job = await createJob(appContext(), await readJson(req));
  return jsonResponse(job, { status: 201, headers: { location: jobLocation(job.id) } });
});

/** Other methods: 405 problem+json with an Allow header; OPTIONS lists the allowed ones. */
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');
