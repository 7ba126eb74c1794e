import { apiRoute, jsonResponse, otherMethods } from '@/app/_lib/http';
import { listTasks } from '@/scheduler/tasks';

/** GET /api/tasks: every registered task with its arguments as JSON Schema. */
export const GET = apiRoute(() => jsonResponse(listTasks()));

/** Other methods: 405 problem+json with an Allow header; OPTIONS lists the allowed ones. */
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
