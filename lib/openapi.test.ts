import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { problemSchema } from './api-schemas';
import { openApiDocument, type OpenApiDocument } from './openapi';
import { jobInputSchema, jobPatchSchema, listExecutionsQuerySchema, listJobsQuerySchema, triggerPreviewSchema } from './schemas';

const doc = openApiDocument({ sessionCookie: 'cronboard_session' });
const API_DIR = path.resolve(import.meta.dirname, '../app/api');

/** Every route file under app/api as [OpenAPI path, methods it really handles]. */
function routeFiles(dir = API_DIR): Array<[string, string[]]> {
  const out: Array<[string, string[]]> = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    // A catch-all ([...path]) only answers unknown paths; it is not an endpoint.
    if (entry.isDirectory() && !entry.name.startsWith('[...')) out.push(...routeFiles(full));
    else if (entry.name === 'route.ts') {
      const source = readFileSync(full, 'utf8');
      // A handler is a direct export; the otherMethods() destructuring (405s) starts with "{".
      const methods = [...source.matchAll(/export\s+(?:async\s+)?(?:const|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1].toLowerCase());
      const route = `/api/${path.relative(API_DIR, dir).split(path.sep).join('/')}`.replace(/\[(\w+)\]/g, '{$1}');
      out.push([route, methods]);
    }
  }
  return out;
}

/** Every `$ref` anywhere in a value. */
function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, found));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') found.push(v);
      else refs(v, found);
    }
  }
  return found;
}

function resolve(document: OpenApiDocument, ref: string): unknown {
  expect(ref.startsWith('#/'), ref).toBe(true);
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
}

const operations = Object.entries(doc.paths).flatMap(([route, item]) =>
  Object.entries(item).map(([method, op]) => ({ route, method, op: op! })),
);

describe('the OpenAPI document', () => {
  it('has the OpenAPI 3.1 shape', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearerAuth', 'sessionCookie']);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.sessionCookie).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'cronboard_session' });
    // Plain JSON all the way down (what the route serializes and the page renders).
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('gives each operation a unique id, a declared tag, a success answer and path parameters', () => {
    const tags = doc.tags.map((t) => t.name);
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { route, method, op } of operations) {
      const where = `${method.toUpperCase()} ${route}`;
      expect(route, where).toMatch(/^\/api\//);
      expect(op.tags.every((t) => tags.includes(t)), where).toBe(true);
      expect(Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)), where).toBe(true);
      const templated = [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? [])
        .map((p) => ('$ref' in p ? (resolve(doc, p.$ref) as { name: string; in: string }) : p))
        .filter((p) => p.in === 'path')
        .map((p) => p.name);
      expect(declared.sort(), where).toEqual(templated.sort());
    }
  });

  it('answers errors as problem+json, 401 wherever credentials are needed', () => {
    for (const { route, method, op } of operations) {
      const where = `${method.toUpperCase()} ${route}`;
      const open = Array.isArray(op.security) && op.security.length === 0;
      expect(Boolean(op.responses['401']), where).toBe(!open);
      for (const [status, answer] of Object.entries(op.responses)) {
        if (Number(status) < 400 || route === '/api/health') continue;
        const resolved = ('$ref' in answer ? resolve(doc, answer.$ref) : answer) as { content: Record<string, { schema: { $ref: string } }> };
        expect(Object.keys(resolved.content), `${where} ${status}`).toEqual(['application/problem+json']);
        expect(resolved.content['application/problem+json'].schema.$ref).toBe('#/components/schemas/Problem');
      }
    }
  });

  it('documents every route file under app/api with its methods, and nothing else', () => {
    const files = routeFiles();
    expect(files.length).toBeGreaterThan(5);
    for (const [route, methods] of files) {
      expect(doc.paths[route], `${route} is not documented`).toBeDefined();
      const documented = Object.keys(doc.paths[route]).sort();
      expect(documented, route).toEqual([...methods].sort());
    }
    expect(Object.keys(doc.paths).sort()).toEqual(files.map(([route]) => route).sort());
  });

  it('resolves every $ref inside the document', () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(10);
    for (const ref of all) expect(resolve(doc, ref), ref).toBeDefined();
  });

  it('generates the bodies from the handlers\' zod schemas, with examples those schemas accept', () => {
    const body = (route: string, method: 'post' | 'patch') => doc.paths[route][method]!.requestBody!.content['application/json'];
    const cases = [
      [body('/api/jobs', 'post'), 'JobInput', jobInputSchema],
      [body('/api/jobs/{id}', 'patch'), 'JobPatch', jobPatchSchema],
      [body('/api/triggers/preview', 'post'), 'TriggerPreviewRequest', triggerPreviewSchema],
    ] as const;
    for (const [content, name, schema] of cases) {
      expect(content.schema).toEqual({ $ref: `#/components/schemas/${name}` });
      expect(schema.safeParse(content.example).error?.issues ?? [], name).toEqual([]);
    }
    const jobInput = doc.components.schemas.JobInput as { required: string[]; additionalProperties: boolean; properties: Record<string, unknown> };
    expect(jobInput.required.sort()).toEqual(['task', 'trigger']);
    expect(jobInput.additionalProperties).toBe(false);
    expect(Object.keys(jobInput.properties).sort()).toEqual(Object.keys(jobInputSchema.shape).sort());
    expect(doc.components.schemas.Trigger).toHaveProperty('oneOf');
  });

  it('takes the query parameters from the query schemas', () => {
    const names = (route: string) => (doc.paths[route].get!.parameters ?? []).flatMap((p) => ('$ref' in p ? [] : [p.name]));
    expect(names('/api/jobs').sort()).toEqual(Object.keys(listJobsQuerySchema.shape).sort());
    expect(names('/api/jobs/{id}/executions').sort()).toEqual(Object.keys(listExecutionsQuerySchema.shape).sort());
    for (const route of ['/api/jobs', '/api/jobs/{id}/executions']) {
      for (const p of doc.paths[route].get!.parameters ?? []) if (!('$ref' in p)) expect(p.description, `help text of "${p.name}" (QUERY_HELP)`).not.toBe('');
    }
    const sort = doc.paths['/api/jobs'].get!.parameters!.find((p) => !('$ref' in p) && p.name === 'sort');
    expect(sort).toMatchObject({ in: 'query', required: false, schema: { enum: expect.arrayContaining(['-nextRunAt']) } });
  });

  it('has problem examples that match the Problem schema', () => {
    for (const [name, response] of Object.entries(doc.components.responses)) {
      const example = (response as { content: Record<string, { example: unknown }> }).content['application/problem+json'].example;
      expect(problemSchema.safeParse(example).success, name).toBe(true);
    }
  });

  it('keeps schema noise out (no $schema, safe-integer bounds or date-time regexes)', () => {
    const text = JSON.stringify(doc.components.schemas);
    expect(text).not.toContain('$schema');
    expect(text).not.toContain(String(Number.MAX_SAFE_INTEGER));
    expect(text).toContain('"format":"date-time"');
    expect(text).not.toContain('02-29');
  });
});
