import { NextResponse, type NextRequest } from 'next/server';

/** Rejects API paths with malformed percent-encoding (Next itself answers those with a bare 500). */
export function proxy(req: NextRequest) {
  try {
    decodeURIComponent(req.nextUrl.pathname);
  } catch {
    return NextResponse.json(
      {
        type: 'about:blank',
        title: 'Bad request',
        status: 400,
        detail: 'The path has malformed percent-encoding.',
        errors: { path: ['Percent-encode the path as UTF-8 (e.g. encodeURIComponent on a job id).'] },
      },
      { status: 400, headers: { 'content-type': 'application/problem+json' } },
    );
  }
  return NextResponse.next();
}

/**
 * Only API paths with a percent sign, since only a percent sign can start a malformed encoding:
 * the proxy costs each request it runs for about 0.7 ms at the median and 2 ms at the 95th
 * percentile (the same GET with and without a percent-encoded character, alternated 350 times).
 */
export const config = { matcher: '/api/(.*%.*)' };
