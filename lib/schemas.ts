import { z } from 'zod';
import { cronSyntaxError } from './cron';
import { jobCursorSchema } from './job-cursor';
import { isValidTimeZone } from './time';

/**
 * One schema per input, shared by the API route handlers, the server actions and the forms.
 * No `.default()` here: defaults are applied by the services, so a partial (PATCH) input never
 * overwrites a stored value with a default.
 */

export const JOB_STATES = ['active', 'paused', 'completed'] as const;
export const EXECUTION_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'timed_out',
  'missed',
  'skipped',
  'interrupted',
] as const;
export type JobState = (typeof JOB_STATES)[number];
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

const MAX_MS = 365 * 24 * 3_600_000;
/** The longest delay a Node timer can wait (about 24.8 days); longer ones would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

export const timeZoneSchema = z
  .string()
  .trim()
  .refine(isValidTimeZone, { message: 'Unknown time zone: use an IANA name such as "Europe/Berlin" or "UTC".' });

/** First instant MySQL's DATETIME cannot hold ("9999-12-31T23:00:00-14:00" is already past it). */
const INSTANT_LIMIT = Date.UTC(10_000, 0, 1);

/** An instant as ISO 8601 with an offset or Z, e.g. "2026-11-24T09:30:00Z", before the year 10000 UTC. */
export const instantSchema = z.iso
  .datetime({
    offset: true,
    message: 'Use an ISO 8601 date-time with an offset, e.g. "2026-11-24T09:30:00Z".',
  })
  // (Written so an unparsable string gets only the format message above.)
  .refine((s) => !(Date.parse(s) >= INSTANT_LIMIT), { message: 'Choose an instant before the year 10000 (UTC).' });

const windowFields = {
  /** No fire before this instant. */
  startAt: instantSchema.nullish(),
  /** No fire at or after this instant. */
  endAt: instantSchema.nullish(),
  /** Random delay of up to this many ms added to each fire. */
  jitterMs: z.number().int().min(0).max(3_600_000).nullish(),
};

export const cronTriggerSchema = z.strictObject({
  type: z.literal('cron'),
  expression: z
    .string()
    .max(200, 'A cron expression is at most 200 characters.')
    .superRefine((expr, ctx) => {
      const problem = cronSyntaxError(expr);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  timezone: timeZoneSchema.optional(),
  ...windowFields,
});

const everyUnit = z.number().int('Use whole numbers.').min(0, 'Must not be negative.').max(100_000).optional();

export const intervalEverySchema = z
  .strictObject({ weeks: everyUnit, days: everyUnit, hours: everyUnit, minutes: everyUnit, seconds: everyUnit })
  .refine((e) => intervalMs(e) >= 1000, { message: 'The interval must be at least 1 second.' });

export const intervalTriggerSchema = z.strictObject({
  type: z.literal('interval'),
  every: intervalEverySchema,
  timezone: timeZoneSchema.optional(),
  ...windowFields,
});

export const dateTriggerSchema = z.strictObject({
  type: z.literal('date'),
  runAt: instantSchema,
  timezone: timeZoneSchema.optional(),
  ...windowFields,
});

export const triggerSchema = z
  .discriminatedUnion('type', [cronTriggerSchema, intervalTriggerSchema, dateTriggerSchema], {
    error: 'Choose a trigger type: "cron", "interval" or "date".',
  })
  .superRefine((t, ctx) => {
    if (t.type === 'date' && Date.parse(t.runAt) <= Date.now()) {
      ctx.addIssue({ code: 'custom', path: ['runAt'], message: 'The date is in the past: choose a future instant.' });
    }
    const windowOk = !(t.startAt && t.endAt && Date.parse(t.endAt) <= Date.parse(t.startAt));
    if (t.type === 'date' && windowOk && ((t.startAt && Date.parse(t.runAt) < Date.parse(t.startAt)) || (t.endAt && Date.parse(t.runAt) >= Date.parse(t.endAt)))) {
      ctx.addIssue({ code: 'custom', path: ['runAt'], message: 'The date is outside the start/end window, so it would never fire.' });
    }
    if (t.startAt && t.endAt && Date.parse(t.endAt) <= Date.parse(t.startAt)) {
      ctx.addIssue({ code: 'custom', path: ['endAt'], message: 'The end must be after the start.' });
    }
  });

export type TriggerInput = z.input<typeof triggerSchema>;
export type Trigger = z.output<typeof triggerSchema>;

/** Total milliseconds of an interval's `every`. */
export function intervalMs(every: { weeks?: number; days?: number; hours?: number; minutes?: number; seconds?: number }): number {
  return (
    (every.weeks ?? 0) * 604_800_000 +
    (every.days ?? 0) * 86_400_000 +
    (every.hours ?? 0) * 3_600_000 +
    (every.minutes ?? 0) * 60_000 +
    (every.seconds ?? 0) * 1000
  );
}

export const jobOptionsSchema = z.strictObject({
  /** How many runs of this job may overlap, across all instances. Default 1. */
  maxInstances: z.number().int().min(1).max(100).optional(),
  /** Fold a run of missed fires into one. Default true. */
  coalesce: z.boolean().optional(),
  /** A fire that starts later than this is recorded as missed. Default 60 000. */
  misfireGraceMs: z.number().int().min(0).max(MAX_MS).optional(),
  /** Abort the run after this many ms (null: no timeout). */
  timeoutMs: z.number().int().min(1).max(MAX_TIMER_MS, 'A timeout is at most 2147483647 ms (about 24.8 days).').nullish(),
  retries: z
    .strictObject({
      max: z.number().int().min(0).max(20),
      backoffMs: z.number().int().min(0).max(86_400_000, 'The backoff is at most 86400000 ms (one day).'),
    })
    .nullish(),
});

export type JobOptionsInput = z.input<typeof jobOptionsSchema>;

export const jobIdSchema = z
  .string()
  .trim()
  .min(1, 'The id must not be empty.')
  .max(191, 'The id is at most 191 characters.')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'Use letters, digits and . _ : - (starting with a letter or digit).');

const jobFields = {
  id: jobIdSchema.optional(),
  name: z.string().trim().max(200, 'The name is at most 200 characters.').optional(),
  description: z.string().max(2000, 'The description is at most 2000 characters.').optional(),
  task: z.string().trim().min(1, 'Choose a task.').max(100),
  args: z.record(z.string(), z.unknown()).optional(),
  trigger: triggerSchema,
  paused: z.boolean().optional(),
  options: jobOptionsSchema.optional(),
};

/** POST /api/jobs and the create form. */
export const jobInputSchema = z.strictObject({
  ...jobFields,
  /** Overwrite an existing job with the same id (APScheduler's replace_existing). */
  replaceExisting: z.boolean().optional(),
});
export type JobInput = z.input<typeof jobInputSchema>;

/** PATCH /api/jobs/{id} and the edit form: any part of JobInput, plus the version read. */
export const jobPatchSchema = z.strictObject({
  name: jobFields.name,
  description: jobFields.description,
  task: jobFields.task.optional(),
  args: jobFields.args,
  trigger: triggerSchema.optional(),
  paused: jobFields.paused,
  options: jobFields.options,
  version: z.number().int().min(0).optional(),
});
export type JobPatch = z.input<typeof jobPatchSchema>;

export const JOB_SORTS = ['nextRunAt', '-nextRunAt', 'name', '-name', 'updatedAt', '-updatedAt', 'createdAt', '-createdAt', 'lastRunAt', '-lastRunAt'] as const;
export type JobSort = (typeof JOB_SORTS)[number];

const pageSchema = z.coerce.number().int('page must be a whole number.').min(1, 'page starts at 1.').max(1_000_000).optional();
const pageSizeSchema = z.coerce.number().int().min(1, 'pageSize is 1 to 100.').max(100, 'pageSize is 1 to 100.').optional();

/** Values of the jobs list's `lastStatus` filter: an execution status, or "never" (no run recorded yet). */
export const LAST_STATUS_FILTERS = [...EXECUTION_STATUSES, 'never'] as const;
export type LastStatusFilter = (typeof LAST_STATUS_FILTERS)[number];

/** GET /api/jobs query and the jobs table's URL state. */
export const listJobsQuerySchema = z.object({
  state: z.enum(JOB_STATES, { message: `state is one of ${JOB_STATES.join(', ')}.` }).optional(),
  task: z.string().trim().max(100).optional(),
  lastStatus: z.enum(LAST_STATUS_FILTERS, { message: `lastStatus is one of ${LAST_STATUS_FILTERS.join(', ')}.` }).optional(),
  q: z.string().trim().max(200, 'Search text is at most 200 characters.').optional(),
  sort: z.enum(JOB_SORTS, { message: `sort is one of ${JOB_SORTS.join(', ')}.` }).optional(),
  page: pageSchema,
  pageSize: pageSizeSchema,
  /** A keyset position from a previous answer's nextCursor/prevCursor (instead of `page`). */
  cursor: jobCursorSchema.optional(),
});
export type ListJobsQuery = z.output<typeof listJobsQuerySchema>;

/** Most jobs one bulk action (pause, resume, run now, delete) may name. */
export const MAX_BULK_JOBS = 100;

/** The job ids of a bulk action from the jobs table: 1 to 100, duplicates dropped. */
export const jobIdListSchema = z
  .array(z.string().min(1, 'A job id is 1 to 191 characters.').max(191, 'A job id is 1 to 191 characters.'), {
    message: 'Send a list of job ids.',
  })
  .min(1, 'Select at least one job.')
  .max(MAX_BULK_JOBS, `Select at most ${MAX_BULK_JOBS} jobs at a time.`)
  .transform((ids) => [...new Set(ids)]);

/** GET /api/jobs/{id}/executions query and the history's URL state. */
export const listExecutionsQuerySchema = z.object({
  status: z.enum(EXECUTION_STATUSES, { message: `status is one of ${EXECUTION_STATUSES.join(', ')}.` }).optional(),
  page: pageSchema,
  pageSize: pageSizeSchema,
});
export type ListExecutionsQuery = z.output<typeof listExecutionsQuerySchema>;

/** POST /api/triggers/preview. */
export const triggerPreviewSchema = z.strictObject({
  trigger: triggerSchema,
  count: z.number().int().min(1).max(50).optional(),
  from: instantSchema.optional(),
});
export type TriggerPreviewInput = z.input<typeof triggerPreviewSchema>;

/** Flattens a ZodError into "a.b.c" -> messages, the shape of problem+json `errors`. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** Creating an API token in the dashboard: just a name to recognise it by. */
export const apiTokenInputSchema = z.strictObject({
  name: z
    .string({ message: 'Give the token a name.' })
    .trim()
    .min(1, 'Give the token a name.')
    .max(100, 'A token name is at most 100 characters.'),
});
export type ApiTokenInput = z.input<typeof apiTokenInputSchema>;
