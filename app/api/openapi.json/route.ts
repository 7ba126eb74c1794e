import { apiRoute, jsonResponse, otherMethods } from '@/app/_lib/http';
import { openApiDocument } from '@/lib/openapi';
import { SESSION_COOKIE } from '@/app/_lib/auth';

/**
 * GET /api/openapi.json (open, like /api/health: it describes the API and reveals no data): the
 * OpenAPI 3.1 document, built from the same zod schemas the handlers validate with.
 */
export const GET = apiRoute(() => jsonResponse(openApiDocument({ sessionCookie: SESSION_COOKIE })), { auth: false });

/** Other methods: 405 problem+json with an Allow header; OPTIONS lists the allowed ones. */
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
