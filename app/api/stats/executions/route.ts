import { apiRoute, jsonResponse, otherMethods } from '@/app/_lib/http';
import { appContext } from '@/scheduler/context';
import { lastDayExecutionCounts } from '@/scheduler/stats';

/** GET /api/stats/executions: executions of the last 24 hours by status (the overview's summary). */
export const GET = apiRoute(async () => jsonResponse(await lastDayExecutionCounts(appContext())));

/** Other methods: 405 problem+json with an Allow header; OPTIONS lists the allowed ones. */
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
