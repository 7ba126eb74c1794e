import { apiRoute, jobIdParam, jsonResponse, otherMethods } from '@/app/_lib/http';
import { appContext } from '@/scheduler/context';
import { pauseJob } from '@/scheduler/jobs';

/** POST /api/jobs/{id}/pause: stops planning fires; the job. Pausing twice changes nothing. */
export const POST = apiRoute<{ id: string }>(async (_req, params) =>
  jsonResponse(await pauseJob(appContext(), jobIdParam(params))),
);

/** Other methods: 405 problem+json with an Allow header; OPTIONS lists the allowed ones. */
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
