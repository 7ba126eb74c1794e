import { apiRoute, jsonResponse, otherMethods, readJson } from '@/app/_lib/http';
import { appContext } from '@/scheduler/context';
import { previewTrigger } from '@/scheduler/jobs';

/** POST /api/triggers/preview `{ trigger, count?, from? }`: `{ runs, description }`; nothing is stored. */
export const POST = apiRoute(async (req) => jsonResponse(previewTrigger(appContext(), await readJson(req))));

/** Other methods: 405 problem+json with an Allow header; OPTIONS lists the allowed ones. */
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
