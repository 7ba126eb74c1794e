import { z } from 'zod';
import {
  executionPageSchema,
  executionSchema,
  healthSchema,
  jobPageSchema,
  jobSchema,
  problemSchema,
  recentExecutionCountsSchema,
  runResultSchema,
  storedTriggerSchema,
  taskInfoSchema,
  triggerPreviewResultSchema,
} from './api-schemas';
import { ENDPOINTS, PROBLEMS, QUERY_HELP, type Endpoint, type ProblemStatus } from './openapi-endpoints';
import {
  jobIdSchema,
  jobInputSchema,
  jobOptionsSchema,
  jobPatchSchema,
  listExecutionsQuerySchema,
  listJobsQuerySchema,
  triggerPreviewSchema,
  triggerSchema,
} from './schemas';

/**
 * The OpenAPI 3.1 document of the JSON API, generated from the zod schemas the handlers use
 * (lib/schemas.ts for inputs, lib/api-schemas.ts for answers) and the endpoint table in
 * lib/openapi-endpoints.ts. Framework-free: the route /api/openapi.json and the /api-docs page
 * both call {@link openApiDocument}.
 */

/** A JSON Schema (draft 2020-12, OpenAPI 3.1's dialect). */
export type JsonSchema = Record<string, unknown>;

/** An OpenAPI parameter object (path or query). */
export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description: string;
  schema: JsonSchema;
}

/** An OpenAPI response object, or a `$ref` to one in components.responses. */
export type OpenApiResponse =
  | { description: string; headers?: Record<string, { description: string; schema: JsonSchema }>; content?: Record<string, { schema: JsonSchema; example?: unknown }> }
  | { $ref: string };

/** An OpenAPI operation object. */
export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Array<OpenApiParameter | { $ref: string }>;
  requestBody?: { required: true; content: { 'application/json': { schema: JsonSchema; example?: unknown } } };
  responses: Record<string, OpenApiResponse>;
}

/** The methods the API uses, lower case as in an OpenAPI path item. */
export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

/** The document (the parts Cronboard fills in). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  jsonSchemaDialect: string;
  tags: Array<{ name: string; description: string }>;
  security: Array<Record<string, string[]>>;
  paths: Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, OpenApiResponse>;
    parameters: Record<string, OpenApiParameter>;
    securitySchemes: Record<string, Record<string, string>>;
  };
}

/** Options of {@link openApiDocument}. */
export interface OpenApiOptions {
  /** Name of the dashboard's session cookie (the cookie security scheme). */
  sessionCookie: string;
}

const INPUTS = {
  JobInput: jobInputSchema,
  JobPatch: jobPatchSchema,
  Trigger: triggerSchema,
  JobOptions: jobOptionsSchema,
  TriggerPreviewRequest: triggerPreviewSchema,
};

const OUTPUTS = {
  Job: jobSchema,
  StoredTrigger: storedTriggerSchema,
  JobPage: jobPageSchema,
  Execution: executionSchema,
  ExecutionPage: executionPageSchema,
  RunResult: runResultSchema,
  ExecutionCounts: recentExecutionCountsSchema,
  TriggerPreview: triggerPreviewResultSchema,
  TaskInfo: taskInfoSchema,
  Health: healthSchema,
  Problem: problemSchema,
};

/** Names of the component schemas (what an endpoint's body or answer may name). */
export type SchemaName = keyof typeof INPUTS | keyof typeof OUTPUTS;

const schemaRef = (name: string) => `#/components/schemas/${name}`;
const SAFE_INT = Number.MAX_SAFE_INTEGER;

/**
 * Removes what only adds noise for readers: `$schema`/`$id` on components, the safe-integer
 * bounds zod adds to every int, and the long date-time regex next to `format: date-time`.
 */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === '$schema' || key === '$id' || key === '~standard') continue;
    if ((key === 'maximum' && v === SAFE_INT) || (key === 'minimum' && v === -SAFE_INT)) continue;
    if (key === 'pattern' && (value as JsonSchema).format === 'date-time') continue;
    out[key] = tidy(v);
  }
  return out;
}

function componentSchemas(schemas: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const { schemas: out } = z.toJSONSchema(registry, { io, unrepresentable: 'any', uri: schemaRef });
  return tidy(out) as Record<string, JsonSchema>;
}

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return tidy(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })) as JsonSchema;
}

/** Query parameters from a zod object schema: one parameter per key, its schema from zod. */
function queryParameters(schema: z.ZodObject): OpenApiParameter[] {
  const json = jsonSchemaOf(schema) as { properties: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    description: QUERY_HELP[name] ?? '',
    schema: property,
  }));
}

const QUERIES: Record<NonNullable<Endpoint['query']>, z.ZodObject> = {
  listJobs: listJobsQuerySchema,
  listExecutions: listExecutionsQuerySchema,
};

function problemResponses(): Record<string, OpenApiResponse> {
  return Object.fromEntries(
    Object.entries(PROBLEMS).map(([status, p]) => [
      p.name,
      {
        description: p.description,
        ...(p.headers && { headers: p.headers }),
        content: { 'application/problem+json': { schema: { $ref: schemaRef('Problem') }, example: { type: 'about:blank', status: Number(status), ...p.example } } },
      },
    ]),
  );
}

function operation(e: Endpoint): OpenApiOperation {
  const parameters: NonNullable<OpenApiOperation['parameters']> = [];
  if (e.path.includes('{id}')) parameters.push({ $ref: '#/components/parameters/JobId' });
  if (e.query) parameters.push(...queryParameters(QUERIES[e.query]));
  const errors: ProblemStatus[] = [
    ...(e.body ? ([400, 413, 415] as const) : e.query || e.path.includes('{id}') ? ([400] as const) : []),
    ...(e.open ? [] : ([401] as const)),
    ...(e.open || e.method === 'get' ? [] : ([403] as const)),
    ...(e.path.includes('{id}') ? ([404] as const) : []),
    ...(e.conflict ? ([409] as const) : []),
    ...(e.open ? [] : ([503] as const)),
  ];
  const responses: Record<string, OpenApiResponse> = {};
  for (const [status, answer] of Object.entries(e.responses)) {
    responses[status] = {
      description: answer.description,
      ...(answer.headers && { headers: answer.headers }),
      ...(answer.schema && {
        content: { 'application/json': { schema: answer.array ? { type: 'array', items: { $ref: schemaRef(answer.schema) } } : answer.schema === 'any' ? { type: 'object' } : { $ref: schemaRef(answer.schema) } } },
      }),
    };
  }
  for (const status of errors) responses[String(status)] ??= { $ref: `#/components/responses/${PROBLEMS[status].name}` };
  return {
    operationId: e.operationId,
    summary: e.summary,
    description: e.description,
    tags: [e.tag],
    ...(e.open && { security: [] }),
    ...(parameters.length && { parameters }),
    ...(e.body && { requestBody: { required: true, content: { 'application/json': { schema: { $ref: schemaRef(e.body.schema) }, example: e.body.example } } } }),
    responses,
  };
}

const built = new Map<string, OpenApiDocument>();

/** The OpenAPI 3.1 document of every endpoint of the API (built once per process; treat it as read-only). */
export function openApiDocument(options: OpenApiOptions): OpenApiDocument {
  let document = built.get(options.sessionCookie);
  if (!document) built.set(options.sessionCookie, (document = buildDocument(options)));
  return document;
}

function buildDocument({ sessionCookie }: OpenApiOptions): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const e of ENDPOINTS) (paths[e.path] ??= {})[e.method] = operation(e);
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: 'Cronboard API',
      version: '1.0.0',
      description:
        'Manage scheduled jobs and read their execution history. Times are ISO 8601 strings with an offset. ' +
        'Authenticate with `Authorization: Bearer <token>` (a token from API_TOKENS or made in the dashboard) or the dashboard session cookie; ' +
        'changes made with the cookie must come from the dashboard\'s own origin. ' +
        'Every error is application/problem+json; invalid input is a 400 with field errors and writes nothing.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [
      { name: 'Jobs', description: 'Create, change, pause, resume, run and delete jobs.' },
      { name: 'Executions', description: 'The history of fires, one row each.' },
      { name: 'Triggers', description: 'Try a schedule before saving it.' },
      { name: 'Tasks', description: 'What a job can run, with its arguments as JSON Schema.' },
      { name: 'System', description: 'Health and this document (both open, no credentials).' },
    ],
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    paths,
    components: {
      schemas: { ...componentSchemas(INPUTS, 'input'), ...componentSchemas(OUTPUTS, 'output') },
      responses: problemResponses(),
      parameters: {
        JobId: { name: 'id', in: 'path', required: true, description: 'The job id (URL-encoded).', schema: jsonSchemaOf(jobIdSchema) },
      },
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A token from the API_TOKENS environment variable, or one made in the dashboard.' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: sessionCookie, description: "The dashboard's session (sign in at /login)." },
      },
    },
  };
  // A plain JSON copy: no zod internals, safe to pass to client components and to serialize.
  return JSON.parse(JSON.stringify(document)) as OpenApiDocument;
}
