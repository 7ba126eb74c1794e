import type { HttpMethod } from '@/lib/openapi';

/** An HTTP method as a coloured badge ("GET", "POST"...). */
export function MethodBadge({ method }: { method: HttpMethod }) {
  return <span className={`api-method api-method-${method}`}>{method.toUpperCase()}</span>;
}
