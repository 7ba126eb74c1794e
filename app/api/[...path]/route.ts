import { problemResponse } from '@/app/_lib/http';

/** Any /api path no route handles: 404 problem+json (not Next's HTML page), whatever the method. */
function notFound(req: Request): Response {
  const path = new URL(req.url).pathname;
  return problemResponse({
    title: 'Not found',
    status: 404,
    detail: `No API endpoint at ${path}. GET /api/openapi.json lists them.`,
  });
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const HEAD = notFound;
export const OPTIONS = notFound;
