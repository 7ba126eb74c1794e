import 'server-only';
import { DomainError, ValidationError, coerceError, type FieldErrors } from '@/lib/errors';
import { assertJobId } from '@/scheduler/jobs';
import { authenticate, type Credential } from './auth';

/**
 * Shared plumbing of the JSON API's route handlers: authentication, the one error shape
 * (RFC 9457 problem+json); reading bodies and queries is in request-body.ts.
 */

export { MAX_BODY_BYTES, MAX_BODY_DEPTH, readJson, readQuery } from './request-body';

/** The error body of every failed API call. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldErrors;
}

const PROBLEM_TYPE = 'application/problem+json';

/** A problem+json response; `headers` are added (e.g. WWW-Authenticate, Retry-After). */
export function problemResponse(problem: Omit<Problem, 'type'> & { type?: string }, headers?: HeadersInit): Response {
  const body: Problem = { type: problem.type ?? 'about:blank', ...problem };
  const res = Response.json(body, { status: problem.status, headers });
  res.headers.set('content-type', PROBLEM_TYPE);
  res.headers.set('cache-control', 'no-store');
  return res;
}

/** A JSON response that is never cached (the API's data changes all the time). */
export function jsonResponse(data: unknown, init?: ResponseInit): Response {
  const res = Response.json(data, init);
  res.headers.set('cache-control', 'no-store');
  return res;
}

/** Error codes (of mysql2/Node, anywhere on the `cause` chain) meaning the database is out of reach. */
const DB_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_BAD_DB_ERROR',
]);

function isDatabaseUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && DB_UNAVAILABLE.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Maps anything thrown to problem+json: DomainErrors keep their status, title, message and
 * field errors; a database outage is a 503; anything else is a 500 whose details stay in the log.
 */
export function errorResponse(err: unknown): Response {
  if (err instanceof DomainError) {
    const errors = err instanceof ValidationError && Object.keys(err.fieldErrors).length ? err.fieldErrors : undefined;
    const headers: HeadersInit | undefined = err.status === 401 ? { 'www-authenticate': 'Bearer realm="cronboard"' } : undefined;
    return problemResponse({ title: err.title, status: err.status, detail: err.message, ...(errors && { errors }) }, headers);
  }
  if (isDatabaseUnavailable(err)) {
    console.error('[cronboard] API: database unavailable:', coerceError(err));
    return problemResponse(
      { title: 'Service unavailable', status: 503, detail: 'The database cannot be reached right now. Try again shortly.' },
      { 'retry-after': '5' },
    );
  }
  console.error('[cronboard] API request failed:', coerceError(err));
  return problemResponse({
    title: 'Internal server error',
    status: 500,
    detail: 'Something went wrong on the server. The error was logged; try again.',
  });
}

const UNAUTHORIZED_DETAIL =
  'Send "Authorization: Bearer <token>" with a token from API_TOKENS or made in the dashboard, or sign in to the dashboard.';
const CROSS_ORIGIN_DETAIL =
  'A change made with the dashboard\'s session cookie must come from the dashboard itself (its Origin must match the host). Programs should send "Authorization: Bearer <token>" instead.';

/** Methods that change nothing, so a cross-site request with them is harmless. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * True when the request comes from a page of this site: its Origin's host equals the Host (or
 * the first X-Forwarded-Host, as Next's own Server Actions check does), or, without Origin, the
 * browser says Sec-Fetch-Site: same-origin. Neither header can be forged by another site's page.
 */
export function isSameOrigin(req: Request): boolean {
  const origin = req.headers.get('origin');
  if (origin === null) return req.headers.get('sec-fetch-site') === 'same-origin';
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return false; // "null" (sandboxed or privacy-sensitive contexts) or garbage
  }
  const forwarded = req.headers.get('x-forwarded-host')?.split(',')[0]?.trim().toLowerCase();
  const host = req.headers.get('host')?.trim().toLowerCase();
  return Boolean(originHost) && (originHost === forwarded || originHost === host);
}

/**
 * Why a request may not go on: 401 without credentials, 403 for a change made with the session
 * cookie from another origin (CSRF); null when it may.
 */
async function refusal(req: Request): Promise<Response | null> {
  const credential: Credential | null = await authenticate(req);
  if (!credential) {
    return problemResponse(
      { title: 'Unauthorized', status: 401, detail: UNAUTHORIZED_DETAIL },
      { 'www-authenticate': 'Bearer realm="cronboard"' },
    );
  }
  if (credential === 'session' && !SAFE_METHODS.has(req.method) && !isSameOrigin(req)) {
    return problemResponse({ title: 'Forbidden', status: 403, detail: CROSS_ORIGIN_DETAIL });
  }
  return null;
}

/** Options of {@link apiRoute}. */
export interface ApiRouteOptions {
  /** Require a Bearer token or the session cookie (default true). */
  auth?: boolean;
}

/** The context Next passes a route handler: dynamic segments as a Promise (Next 15+). */
export interface RouteContext<P extends object> {
  params: Promise<P>;
}

/**
 * Wraps a route handler: authenticates (401 problem+json with WWW-Authenticate: Bearer unless
 * `auth: false`; 403 for a cookie-authenticated change from another origin), awaits the path
 * params, runs `handler`, and maps anything thrown with {@link errorResponse}.
 */
export function apiRoute<P extends object = object>(
  handler: (req: Request, params: P) => Promise<Response> | Response,
  { auth = true }: ApiRouteOptions = {},
): (req: Request, ctx: RouteContext<P>) => Promise<Response> {
  return async (req, ctx) => {
    try {
      const refused = auth ? await refusal(req) : null;
      if (refused) return closingUnread(req, refused);
      const params = ((await ctx?.params) ?? {}) as P;
      return await handler(req, params);
    } catch (err) {
      return closingUnread(req, errorResponse(err));
    }
  };
}

/**
 * An error response to a request with a body closes the connection: the body may not have been
 * read whole (a 401 reads none of it, a 413 stops on the declared length or part-way through),
 * and a client reusing the connection would have its unread rest taken for its next request, or
 * the connection reset under it. (Next reads bodies itself only for requests its proxy runs for.)
 */
function closingUnread(req: Request, res: Response): Response {
  if (req.body) res.headers.set('connection', 'close');
  return res;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Handlers for the methods a route does not support: 405 problem+json with an Allow header
 * (Next's own 405 has neither), plus OPTIONS answering the same Allow. Use as
 * `export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');`.
 */
export function otherMethods(...allowed: Method[]): Record<Method | 'OPTIONS', () => Response> {
  const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  const notAllowed = (): Response =>
    problemResponse(
      { title: 'Method not allowed', status: 405, detail: `This endpoint accepts ${allow}.` },
      { allow },
    );
  const handlers = Object.fromEntries(METHODS.map((m) => [m, notAllowed])) as Record<Method | 'OPTIONS', () => Response>;
  handlers.OPTIONS = () => new Response(null, { status: 204, headers: { allow } });
  return handlers;
}

/** The job id from the path, checked (400) before it reaches the database. */
export function jobIdParam(params: { id: string }): string {
  assertJobId(params.id);
  return params.id;
}

/** The Location of a created job. */
export function jobLocation(id: string): string {
  return `/api/jobs/${encodeURIComponent(id)}`;
}
