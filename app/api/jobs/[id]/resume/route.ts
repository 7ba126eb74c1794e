import { apiRoute, jobIdParam, jsonResponse, otherMethods } from '@/app/_lib/http';
import { appContext } from '@/scheduler/context';
import { resumeJob } from '@/scheduler/jobs';

/** POST /api/jobs/{id}/resume: plans the next fire from now; the job (409 when it has no fires left). */
export const POST = apiRoute<{ id: string }>(async (_req, params) =>
  jsonResponse(await resumeJob(appContext(), jobIdParam(params))),
);

/** Other methods: 405 problem+json with an Allow header; OPTIONS lists the allowed ones. */
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
