import { apiRoute, jobIdParam, jsonResponse, otherMethods, readJson } from '@/app/_lib/http';
import { appContext } from '@/scheduler/context';
import { deleteJob, getJob, updateJob } from '@/scheduler/jobs';

type Params = { id: string };

/** GET /api/jobs/{id}: the job, or 404. */
export const GET = apiRoute<Params>(async (_req, params) => jsonResponse(await getJob(appContext(), jobIdParam(params))));

/** PATCH /api/jobs/{id}: any part of JobInput plus an optional `version` (409 when stale). */
export const PATCH = apiRoute<Params>(async (req, params) => {
  const id = jobIdParam(params);
  return jsonResponse(await updateJob(appContext(), id, await readJson(req)));
});

/** DELETE /api/jobs/{id}: the job and its history; 204 with no body. */
export const DELETE = apiRoute<Params>(async (_req, params) => {
  await deleteJob(appContext(), jobIdParam(params));
  return new Response(null, { status: 204 });
});

/** Other methods: 405 problem+json with an Allow header; OPTIONS lists the allowed ones. */
export const { POST, PUT, OPTIONS } = otherMethods('GET', 'PATCH', 'DELETE');
