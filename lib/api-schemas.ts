import { z } from 'zod';
import {
  EXECUTION_STATUSES,
  JOB_STATES,
  cronTriggerSchema,
  dateTriggerSchema,
  instantSchema,
  intervalTriggerSchema,
} from './schemas';

/**
 * zod schemas of the API's responses, matching lib/types.ts (a unit test parses real serialized
 * jobs and executions with them). They exist for the OpenAPI document; handlers do not parse
 * their own output. Inputs live in lib/schemas.ts.
 */

const nullableInstant = instantSchema.nullable();
const executionStatusSchema = z.enum(EXECUTION_STATUSES).describe('The outcome of one fire.');

/**
 * A trigger as stored: the input's fields with the time zone resolved. No "date in the past"
 * check here (a completed one-shot job keeps its past `runAt`).
 */
export const storedTriggerSchema = z
  .discriminatedUnion('type', [
    cronTriggerSchema.extend({ timezone: z.string() }),
    intervalTriggerSchema.extend({ timezone: z.string() }),
    dateTriggerSchema.extend({ timezone: z.string() }),
  ])
  .describe('The trigger as stored, its time zone resolved.');

/** Job options with every default applied (lib/types.ts StoredJobOptions). */
export const storedJobOptionsSchema = z.strictObject({
  maxInstances: z.number().int().min(1).describe('Runs of this job that may overlap, across all instances.'),
  coalesce: z.boolean().describe('Whether a run of missed fires is folded into one row.'),
  misfireGraceMs: z.number().int().min(0).describe('A fire that starts later than this is recorded as missed.'),
  timeoutMs: z.number().int().min(1).nullable().describe('Abort the run after this many ms; null: no timeout.'),
  retries: z
    .strictObject({ max: z.number().int().min(0), backoffMs: z.number().int().min(0) })
    .nullable()
    .describe('Retries of a failed run: backoffMs × 2^(attempt−1), ±20 %.'),
});

/** A job as the API answers it (lib/types.ts Job). */
export const jobSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  task: z.string().describe('A task name from GET /api/tasks.'),
  args: z.record(z.string(), z.unknown()).describe("The task's arguments, as given."),
  trigger: storedTriggerSchema,
  schedule: z.string().describe('The schedule in words, e.g. "Every 5 minutes (Europe/Berlin)".'),
  options: storedJobOptionsSchema,
  state: z.enum(JOB_STATES),
  nextRunAt: nullableInstant.describe('The next planned fire; null when paused or completed.'),
  source: z.enum(['code', 'user']).describe('"code": declared in scheduler/declared.ts; "user": made in the dashboard or the API.'),
  lastExecution: z
    .strictObject({ id: z.number().int(), status: executionStatusSchema, at: instantSchema })
    .nullable(),
  version: z.number().int().min(1).describe('Optimistic concurrency: send it with PATCH to get a 409 instead of overwriting.'),
  createdAt: instantSchema,
  updatedAt: instantSchema,
});

/** One fire of a job (lib/types.ts Execution). */
export const executionSchema = z.strictObject({
  id: z.number().int(),
  jobId: z.string(),
  kind: z.enum(['scheduled', 'manual']).describe('"manual": asked for with run now.'),
  scheduledFor: instantSchema,
  startedAt: nullableInstant,
  finishedAt: nullableInstant,
  durationMs: z.number().int().nullable(),
  status: executionStatusSchema,
  attempt: z.number().int().min(1),
  error: z.string().nullable(),
  stack: z.string().nullable(),
  log: z.string().nullable().describe("The task's log lines."),
  result: z.string().nullable().describe('What the task returned, as JSON (truncated).'),
  missedCount: z.number().int().nullable().describe('For a missed row: how many fires it stands for.'),
  missedUntil: nullableInstant.describe('For a missed row: the last fire it stands for.'),
  instance: z.string().nullable().describe('The scheduler instance that ran it.'),
});

/** A page of a list (lib/types.ts Page). */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.strictObject({
    items: z.array(item),
    total: z
      .number()
      .int()
      .min(0)
      .describe('Items matching the filters, on all pages. Counting stops at 10,000 (at 500 for a search, `q`): when `totalExact` is false there are more than this.'),
    totalExact: z.boolean().describe('false when `total` is a lower bound (counting stopped at 10,000, or at 500 for a search).'),
    page: z.number().int().min(1).describe('The page number (with a cursor: the one the cursor leads to, counted from the first page).'),
    pageSize: z.number().int().min(1),
  });
}

/** GET /api/jobs: a page with keyset cursors to its neighbours. */
export const jobPageSchema = pageSchema(jobSchema).extend({
  nextCursor: z.string().nullable().describe('Send as `cursor` (with the same filters and sort) for the next page; null on the last page.'),
  prevCursor: z.string().nullable().describe('Send as `cursor` for the previous page; null on the first page.'),
});
/** GET /api/jobs/{id}/executions. */
export const executionPageSchema = pageSchema(executionSchema);

/** POST /api/jobs/{id}/run. */
export const runResultSchema = z.strictObject({
  executionId: z.number().int().describe('The queued execution; follow it in GET /api/jobs/{id}/executions.'),
});

/** POST /api/triggers/preview. */
export const triggerPreviewResultSchema = z.strictObject({
  runs: z.array(instantSchema).describe('The next fires, strictly after `from`.'),
  description: z.string().describe('The schedule in words.'),
});

/** One entry of GET /api/tasks (lib/types.ts TaskInfo). */
export const taskInfoSchema = z.strictObject({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  argsSchema: z.record(z.string(), z.unknown()).describe("JSON Schema of the task's args."),
});

/** GET /api/stats/executions (lib/stats.ts RecentExecutionCounts). */
export const recentExecutionCountsSchema = z.strictObject({
  since: instantSchema.describe('Executions scheduled at or after this instant (24 hours ago) are counted.'),
  counts: z.record(executionStatusSchema, z.number().int().min(0)).describe('Executions by status.'),
  total: z.number().int().min(0),
  capped: z
    .array(executionStatusSchema)
    .describe('Statuses whose counting stopped at 100,000 (their count is a lower bound), so a busy database never makes this slow.'),
});

/** GET /api/health. */
export const healthSchema = z.strictObject({
  status: z.enum(['ok', 'degraded']).describe('"degraded": the database is down or no scheduler is alive.'),
  database: z.enum(['up', 'down']),
  scheduler: z.strictObject({ instancesAlive: z.number().int().min(0) }),
});

/** Every error answer (RFC 9457 application/problem+json). */
export const problemSchema = z.strictObject({
  type: z.string().describe('"about:blank" for the standard statuses.'),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string().describe('What went wrong and what to do, in words.'),
  errors: z
    .record(z.string(), z.array(z.string()))
    .optional()
    .describe('Field errors keyed by dotted path ("trigger.expression", "args.url"; "_" for the body as a whole).'),
});
