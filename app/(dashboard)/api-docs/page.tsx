import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { openApiDocument } from '@/lib/openapi';
import { ApiDocs } from '@/components/api-docs/api-docs';
import { SESSION_COOKIE, requireSignedIn } from '../../_lib/auth';

export const metadata: Metadata = { title: 'API · Cronboard' };

/** The origin the browser used, for the curl examples (behind a proxy: its forwarded host and scheme). */
async function requestOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host')?.split(',')[0]?.trim() || h.get('host') || 'localhost:3000';
  const proto = h.get('x-forwarded-proto')?.split(',')[0]?.trim() || 'http';
  return `${proto}://${host}`;
}

/** /api-docs: the OpenAPI document of /api/openapi.json, rendered for people. */
export default async function ApiDocsPage() {
  await requireSignedIn();
  return <ApiDocs doc={openApiDocument({ sessionCookie: SESSION_COOKIE })} origin={await requestOrigin()} />;
}
