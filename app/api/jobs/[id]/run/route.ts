import { apiRoute, jobIdParam, jsonResponse, otherMethods } from '@/app/_lib/http';
import { appContext } from '@/scheduler/context';
import { runJobNow } from '@/scheduler/jobs';

/** POST /api/jobs/{id}/run: queues a run now (even when paused); 202 `{ executionId }`. */
export const POST = apiRoute<{ id: string }>(async (_req, params) =>
  jsonResponse(await runJobNow(appContext(), jobIdParam(params)), { status: 202 }),
);

/** Other methods: 405 problem+json with an Allow header; OPTIONS lists the allowed ones. */
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
