import type { HttpMethod, JsonSchema, SchemaName } from './openapi';

/**
 * The API's endpoints as data, for lib/openapi.ts. Keep in step with app/api/** (a unit test
 * checks every route file's methods are here and the other way round).
 */

/** One answer of an endpoint: a component schema (or an array of it), or no body. */
export interface EndpointAnswer {
  description: string;
  schema?: SchemaName | 'any';
  array?: boolean;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
}

/** One operation of the API. Error answers are added from its traits (body, query, id, auth). */
export interface Endpoint {
  method: HttpMethod;
  path: string;
  operationId: string;
  tag: 'Jobs' | 'Executions' | 'Triggers' | 'Tasks' | 'System';
  summary: string;
  description: string;
  /** Which query schema of lib/schemas.ts its parameters come from. */
  query?: 'listJobs' | 'listExecutions';
  body?: { schema: SchemaName; example: unknown };
  responses: Record<string, EndpointAnswer>;
  /** May answer 409. */
  conflict?: boolean;
  /** Needs no credentials. */
  open?: boolean;
}

/** The problem+json answers the endpoints share. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 503;

/** Name, meaning and an example of each shared problem answer. */
export const PROBLEMS: Record<ProblemStatus, { name: string; description: string; example: Record<string, unknown>; headers?: EndpointAnswer['headers'] }> = {
  400: {
    name: 'BadRequest',
    description: 'Invalid input (bad JSON, a wrong type, an unknown field, a bad query parameter or id), with field errors. Nothing was written.',
    example: { title: 'Invalid input', detail: 'The job is invalid: see the field errors.', errors: { 'trigger.expression': ['Invalid value for minute: 61.'] } },
  },
  401: {
    name: 'Unauthorized',
    description: 'No valid Bearer token or session cookie.',
    example: { title: 'Unauthorized', detail: 'Send "Authorization: Bearer <token>" with a token from API_TOKENS, or sign in to the dashboard.' },
    headers: { 'WWW-Authenticate': { description: 'Bearer realm="cronboard"', schema: { type: 'string' } } },
  },
  403: {
    name: 'Forbidden',
    description: "A change made with the dashboard's session cookie from another origin (CSRF protection). Programs should send a Bearer token.",
    example: { title: 'Forbidden', detail: "A change made with the dashboard's session cookie must come from the dashboard itself (its Origin must match the host)." },
  },
  404: { name: 'NotFound', description: 'No job with this id.', example: { title: 'Not found', detail: 'No job with id "nightly-report".' } },
  409: {
    name: 'Conflict',
    description: 'The id exists already, the version is stale, or the job has no fires left to resume.',
    example: { title: 'Conflict', detail: 'Job "nightly-report" was changed by someone else (version 4, you edited version 3). Reload it and apply your change again.' },
  },
  413: { name: 'ContentTooLarge', description: 'The body is larger than 1 MiB.', example: { title: 'Content too large', detail: 'The body is larger than 1048576 bytes (1 MiB).' } },
  415: {
    name: 'UnsupportedMediaType',
    description: 'The body is not sent as application/json.',
    example: { title: 'Unsupported media type', detail: 'Send the body as JSON with "Content-Type: application/json" (got "text/plain").' },
  },
  503: {
    name: 'ServiceUnavailable',
    description: 'The database cannot be reached right now.',
    example: { title: 'Service unavailable', detail: 'The database cannot be reached right now. Try again shortly.' },
    headers: { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'string' } } },
  },
};

/** Help text of the query parameters (their schemas come from lib/schemas.ts). */
export const QUERY_HELP: Record<string, string> = {
  state: 'Only jobs in this state.',
  task: 'Only jobs running this task.',
  q: 'Search names and ids: every word (letters, digits and `_`) must begin a word of the name, or every one a word of the id; with no word at all, the name or id starts with the text. Case and accents are ignored.',
  sort: 'Sort key; a leading "-" sorts descending; jobs without a value (next or last run) come last. lastRunAt is exact to 10 s (a job firing more often is placed by a run of its last 10 s). Default nextRunAt.',
  page: 'Page number, from 1. Default 1. For deep pages use `cursor`, which reads along an index instead of skipping rows.',
  cursor: 'Keyset position: `nextCursor` or `prevCursor` of a previous answer, with the same filters and sort (a cursor of another sort, or a malformed one, is a 400). Not together with `page`.',
  pageSize: 'Items per page, 1 to 100. Default 20.',
  status: 'Only executions with this status.',
  lastStatus: "Only jobs whose last recorded outcome has this status (never: none yet).",
};

const JOB_EXAMPLE = {
  id: 'ping-example',
  task: 'http.request',
  args: { method: 'GET', url: 'https://example.com/' },
  trigger: { type: 'cron', expression: '0 */15 9-17 * * 1-5', timezone: 'Europe/Berlin' },
};

const job = (description: string): Record<string, EndpointAnswer> => ({ '200': { description, schema: 'Job' } });

/** Every endpoint of DESIGN.md's API table. */
export const ENDPOINTS: Endpoint[] = [
  {
    method: 'get', path: '/api/jobs', operationId: 'listJobs', tag: 'Jobs', query: 'listJobs',
    summary: 'List jobs',
    description: 'One page of jobs, filtered, searched and sorted in the database. Empty parameters count as absent; a parameter given twice is a 400. Page by `page` (shallow pages) or by the keyset cursors of each answer (`nextCursor`, `prevCursor`), which stay fast at any depth.',
    responses: { '200': { description: 'A page of jobs.', schema: 'JobPage' } },
  },
  {
    method: 'post', path: '/api/jobs', operationId: 'createJob', tag: 'Jobs', conflict: true,
    summary: 'Create a job',
    description: 'Validates the job (its args against the task\'s schema) and stores it. An existing id is a 409 unless `replaceExisting` is true. Without an id one is generated.',
    body: { schema: 'JobInput', example: JOB_EXAMPLE },
    responses: {
      '201': { description: 'The job as stored.', schema: 'Job', headers: { Location: { description: 'The URL of the job.', schema: { type: 'string' } } } },
    },
  },
  {
    method: 'get', path: '/api/jobs/{id}', operationId: 'getJob', tag: 'Jobs',
    summary: 'Get a job', description: 'The job with its resolved trigger and options, state, next run and last execution.',
    responses: job('The job.'),
  },
  {
    method: 'patch', path: '/api/jobs/{id}', operationId: 'updateJob', tag: 'Jobs', conflict: true,
    summary: 'Change a job',
    description: 'Changes any part of the job; a new trigger or paused flag re-plans the next run at once. Send the `version` you read to get a 409 instead of overwriting someone else\'s edit.',
    body: { schema: 'JobPatch', example: { trigger: { type: 'interval', every: { hours: 2 } }, version: 3 } },
    responses: job('The changed job.'),
  },
  {
    method: 'delete', path: '/api/jobs/{id}', operationId: 'deleteJob', tag: 'Jobs',
    summary: 'Delete a job', description: 'Deletes the job and its execution history.',
    responses: { '204': { description: 'Deleted; no body.' } },
  },
  {
    method: 'post', path: '/api/jobs/{id}/pause', operationId: 'pauseJob', tag: 'Jobs',
    summary: 'Pause a job', description: 'Stops planning fires (running work goes on). Pausing twice changes nothing.',
    responses: job('The paused job.'),
  },
  {
    method: 'post', path: '/api/jobs/{id}/resume', operationId: 'resumeJob', tag: 'Jobs', conflict: true,
    summary: 'Resume a job', description: 'Plans the next fire from now. A 409 when the trigger has no fires left.',
    responses: job('The resumed job.'),
  },
  {
    method: 'post', path: '/api/jobs/{id}/run', operationId: 'runJob', tag: 'Jobs',
    summary: 'Run a job now',
    description: 'Queues a run at once, even when the job is paused, without moving its schedule. The run shows up in its executions.',
    responses: { '202': { description: 'Queued.', schema: 'RunResult' } },
  },
  {
    method: 'get', path: '/api/jobs/{id}/executions', operationId: 'listExecutions', tag: 'Executions', query: 'listExecutions',
    summary: 'List a job\'s executions', description: 'The job\'s fires, newest first, one row each (missed fires may be folded into one row with a count).',
    responses: { '200': { description: 'A page of executions.', schema: 'ExecutionPage' } },
  },
  {
    method: 'get', path: '/api/stats/executions', operationId: 'executionCounts', tag: 'Executions',
    summary: 'Executions of the last 24 hours',
    description: 'Executions scheduled in the last 24 hours, by status (what the overview shows), counted along the (status, scheduled_for) index.',
    responses: { '200': { description: 'The counts.', schema: 'ExecutionCounts' } },
  },
  {
    method: 'post', path: '/api/triggers/preview', operationId: 'previewTrigger', tag: 'Triggers',
    summary: 'Preview a trigger',
    description: 'The next runs of a trigger (strictly after `from`, default now; 5 by default, at most 50) and the schedule in words. Nothing is stored.',
    body: { schema: 'TriggerPreviewRequest', example: { trigger: { type: 'cron', expression: '0 9 * * 1-5', timezone: 'Europe/Berlin' }, count: 3 } },
    responses: { '200': { description: 'The next runs and the description.', schema: 'TriggerPreview' } },
  },
  {
    method: 'get', path: '/api/tasks', operationId: 'listTasks', tag: 'Tasks',
    summary: 'List tasks', description: 'Every task a job can run, with its arguments as JSON Schema.',
    responses: { '200': { description: 'The tasks.', schema: 'TaskInfo', array: true } },
  },
  {
    method: 'get', path: '/api/health', operationId: 'health', tag: 'System', open: true,
    summary: 'Health check', description: 'Whether the database answers and how many scheduler instances are alive. Open, no credentials.',
    responses: {
      '200': { description: 'The database answers.', schema: 'Health' },
      '503': { description: 'The database does not answer.', schema: 'Health' },
    },
  },
  {
    method: 'get', path: '/api/openapi.json', operationId: 'openApiDocument', tag: 'System', open: true,
    summary: 'This document', description: 'The OpenAPI 3.1 document of the API. Open: it describes the API and reveals no data.',
    responses: { '200': { description: 'The OpenAPI document.', schema: 'any' } },
  },
];
