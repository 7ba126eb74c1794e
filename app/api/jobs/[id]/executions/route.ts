import { apiRoute, jobIdParam, jsonResponse, otherMethods, readQuery } from '@/app/_lib/http';
import { appContext } from '@/scheduler/context';
import { listExecutions } from '@/scheduler/executions';

/** GET /api/jobs/{id}/executions?status&page&pageSize: the job's runs, newest first (404 for an unknown job). */
export const GET = apiRoute<{ id: string }>(async (req, params) =>
  jsonResponse(await listExecutions(appContext(), jobIdParam(params), readQuery(req))),
);

/** Other methods: 405 problem+json with an Allow header; OPTIONS lists the allowed ones. */
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
