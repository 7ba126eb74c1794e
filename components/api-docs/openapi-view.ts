import type { HttpMethod, JsonSchema, OpenApiDocument, OpenApiOperation, OpenApiParameter, OpenApiResponse } from '@/lib/openapi';

/** Helpers that turn parts of the OpenAPI document into what the /api-docs page shows. */

/** The component name of a `#/components/.../Name` reference. */
export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** The object a local `$ref` points at (undefined when it points nowhere). */
export function resolveRef(doc: OpenApiDocument, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), doc);
}

/** A parameter, with a `$ref` to components.parameters followed. */
export function parameterOf(doc: OpenApiDocument, p: OpenApiParameter | { $ref: string }): OpenApiParameter {
  return '$ref' in p ? (resolveRef(doc, p.$ref) as OpenApiParameter) : p;
}

/** A response, with a `$ref` to components.responses followed. */
export function responseOf(doc: OpenApiDocument, r: OpenApiResponse): Exclude<OpenApiResponse, { $ref: string }> {
  return '$ref' in r ? (resolveRef(doc, r.$ref) as Exclude<OpenApiResponse, { $ref: string }>) : r;
}

/** A schema with every `$ref` replaced by its target (recursion stops at a schema already being expanded). */
export function inlineRefs(doc: OpenApiDocument, value: unknown, expanding: string[] = []): unknown {
  if (Array.isArray(value)) return value.map((v) => inlineRefs(doc, v, expanding));
  if (!value || typeof value !== 'object') return value;
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    return expanding.includes(ref) ? value : inlineRefs(doc, resolveRef(doc, ref), [...expanding, ref]);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inlineRefs(doc, v, expanding)]));
}

/** A short type for a table cell: "integer 1–100", "active | paused", "string (≤ 200)", "Job". */
export function typeLabel(schema: JsonSchema | undefined): string {
  if (!schema) return '';
  if (typeof schema.$ref === 'string') return refName(schema.$ref);
  if (Array.isArray(schema.enum)) return schema.enum.map(String).join(' | ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? 'any');
  const min = schema.minimum ?? schema.minLength;
  const max = schema.maximum ?? schema.maxLength;
  if (type === 'integer' || type === 'number') {
    if (min !== undefined && max !== undefined) return `${type} ${min}–${max}`;
    if (min !== undefined) return `${type} ≥ ${min}`;
  }
  if (type === 'string' && max !== undefined) return `string (≤ ${max})`;
  if (type === 'array' && schema.items) return `${typeLabel(schema.items as JsonSchema)}[]`;
  return type;
}

const EXAMPLE_ID = 'ping-example';
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A curl command for an operation, with the token from $CRONBOARD_TOKEN and the body example. */
export function curlExample(origin: string, method: HttpMethod, route: string, op: OpenApiOperation): string {
  const url = `${origin}${route.replace('{id}', EXAMPLE_ID)}`;
  const lines = [`curl${method === 'get' ? '' : ` -X ${method.toUpperCase()}`} ${shellQuote(url)}`];
  const open = Array.isArray(op.security) && op.security.length === 0;
  if (!open) lines.push(`-H "Authorization: Bearer $CRONBOARD_TOKEN"`);
  const body = op.requestBody?.content['application/json'];
  if (body) {
    lines.push(`-H 'Content-Type: application/json'`);
    lines.push(`-d ${shellQuote(JSON.stringify(body.example ?? {}, null, 2))}`);
  }
  return lines.join(' \\\n  ');
}

/** The operations of the document grouped by their first tag, in the order of `doc.tags`. */
export function operationsByTag(doc: OpenApiDocument): Array<{ tag: string; description: string; operations: Array<{ method: HttpMethod; route: string; op: OpenApiOperation }> }> {
  const groups = doc.tags.map((t) => ({ tag: t.name, description: t.description, operations: [] as Array<{ method: HttpMethod; route: string; op: OpenApiOperation }> }));
  for (const [route, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item) as Array<[HttpMethod, OpenApiOperation]>) {
      groups.find((g) => g.tag === op.tags[0])?.operations.push({ method, route, op });
    }
  }
  return groups.filter((g) => g.operations.length > 0);
}
