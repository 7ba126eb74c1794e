import { apiRoute, jsonResponse, otherMethods } from '@/app/_lib/http';
import { appContext } from '@/scheduler/context';
import { health } from '@/scheduler/executions';

/** GET /api/health (open): 200 when the database answers, 503 when it does not; body from health(). */
export const GET = apiRoute(
  async () => {
    const report = await health(appContext());
    return jsonResponse(report, { status: report.database === 'up' ? 200 : 503 });
  },
  { auth: false },
);

/** Other methods: 405 problem+json with an Allow header; OPTIONS lists the allowed ones. */
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
