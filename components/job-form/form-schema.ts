import { z } from 'zod';
import { jobInputSchema, jobOptionsSchema, triggerSchema, type JobInput, type JobPatch, type TriggerInput } from '@/lib/schemas';
import { DEFAULT_JOB_OPTIONS, type Job, type TaskInfo } from '@/lib/types';
import { initialArgsJson, parseArgsJson } from './args-json';
import { argFieldsOf, argsNeedJson, fromFormArgs, toFormArgs } from './args-schema';
import { buildTrigger, triggerFormValues, triggerKey, type TriggerFormValues } from './trigger-build';

/**
 * The form's schema: jobInputSchema's own fields (name, description, task, paused, options and,
 * through triggerSchema, the trigger) plus UI-only shapes (the id as text, arguments as the
 * inputs hold them, the trigger as its editor holds it). Its output is the API payload.
 */

const numberField = z.number().optional();

const triggerFormSchema = z.object({
  type: z.enum(['cron', 'interval', 'date']),
  expression: z.string(),
  every: z.object({ weeks: numberField, days: numberField, hours: numberField, minutes: numberField, seconds: numberField }),
  runAt: z.string(),
  timezone: z.string(),
  startAt: z.string(),
  endAt: z.string(),
  jitterMs: numberField,
}) satisfies z.ZodType<TriggerFormValues, TriggerFormValues>;

/** Backoff before the first retry when Retries is set and Retry backoff is left empty. */
export const DEFAULT_RETRY_BACKOFF_MS = 1000;

/**
 * The options as the Advanced section holds them: jobOptionsSchema's fields, with retries as two
 * number inputs (count and backoff). A count of 0 or none means no retries (sent as null).
 */
const optionsFormSchema = jobOptionsSchema
  .extend({ retries: z.object({ max: numberField, backoffMs: numberField }) })
  .superRefine((o, ctx) => {
    const { max, backoffMs } = o.retries;
    if (max === undefined || max === 0) return;
    const parsed = jobOptionsSchema.shape.retries.safeParse({ max, backoffMs: backoffMs ?? DEFAULT_RETRY_BACKOFF_MS });
    if (parsed.success) return;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', path: ['retries', ...issue.path.map(String)], message: issue.message });
    }
  })
  .transform(({ retries, ...rest }) => ({
    ...rest,
    timeoutMs: rest.timeoutMs ?? null,
    retries: retries.max ? { max: retries.max, backoffMs: retries.backoffMs ?? DEFAULT_RETRY_BACKOFF_MS } : null,
  }));

export interface JobFormSchemaOptions {
  mode: 'create' | 'edit';
  tasks: TaskInfo[];
  /** Edit: the stored trigger's key. An unchanged trigger is not validated again nor sent. */
  initialTriggerKey?: string;
}

/** The client-side schema of the create/edit form (see the module comment). */
export function makeJobFormSchema({ mode, tasks, initialTriggerKey }: JobFormSchemaOptions) {
  const taskByName = new Map(tasks.map((t) => [t.name, t]));
  const trigger = triggerFormSchema
    .superRefine((t, ctx) => {
      const built = buildTrigger(t);
      if (!built.ok) {
        for (const e of built.errors) ctx.addIssue({ code: 'custom', path: e.path, message: e.message });
        return;
      }
      if (mode === 'edit' && triggerKey(built.trigger) === initialTriggerKey) return;
      const parsed = triggerSchema.safeParse(built.trigger);
      if (parsed.success) return;
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: 'custom', path: issue.path.map(String), message: issue.message });
      }
    })
    .transform((t): TriggerInput | undefined => {
      const built = buildTrigger(t);
      if (!built.ok) return undefined;
      return mode === 'edit' && triggerKey(built.trigger) === initialTriggerKey ? undefined : built.trigger;
    });

  return jobInputSchema
    .pick({ name: true, description: true, task: true, paused: true, options: true })
    .extend({
      id: z
        .string()
        .transform((s) => s.trim() || undefined)
        .pipe(mode === 'create' ? jobInputSchema.shape.id : z.string().optional()),
      args: z.record(z.string(), z.unknown()),
      /** "json": the arguments are edited as raw JSON (argsJson), not with the generated fields. */
      argsMode: z.enum(['fields', 'json']),
      argsJson: z.string(),
      trigger,
      options: optionsFormSchema,
    })
    .superRefine((v, ctx) => {
      const task = taskByName.get(v.task);
      if (!task) {
        if (v.task) ctx.addIssue({ code: 'custom', path: ['task'], message: `Unknown task "${v.task}": choose one from the list.` });
        return;
      }
      const fields = argFieldsOf(task.argsSchema);
      if (v.argsMode === 'json') {
        const parsed = parseArgsJson(fields, v.argsJson);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['argsJson'], message: parsed.error });
        return;
      }
      const converted = fromFormArgs(fields, v.args);
      if (converted.ok) return;
      for (const [name, message] of Object.entries(converted.errors)) {
        ctx.addIssue({ code: 'custom', path: ['args', name], message });
      }
    })
    .transform((v) => {
      const fields = argFieldsOf(taskByName.get(v.task)?.argsSchema);
      const converted = v.argsMode === 'json' ? parseArgsJson(fields, v.argsJson) : fromFormArgs(fields, v.args);
      return {
        id: v.id,
        name: v.name,
        description: v.description,
        task: v.task,
        args: converted.ok ? converted.args : {},
        trigger: v.trigger,
        paused: v.paused,
        options: v.options,
      };
    });
}

export type JobFormSchema = ReturnType<typeof makeJobFormSchema>;
export type JobFormValues = z.input<JobFormSchema>;
export type JobFormOutput = z.output<JobFormSchema>;

/** POST payload (jobInputSchema) from the form's output. */
export function toCreatePayload(out: JobFormOutput): JobInput | null {
  if (!out.trigger) return null;
  const { id, name, description, task, args, trigger, paused, options } = out;
  return { id, name: name || undefined, description: description || undefined, task, args, trigger, paused, options };
}

/** PATCH payload (jobPatchSchema) from the form's output: no id, no paused, the version read. */
export function toPatchPayload(out: JobFormOutput, version: number): JobPatch {
  const { name, description, task, args, trigger, options } = out;
  return { name, description, task, args, ...(trigger ? { trigger } : {}), options, version };
}

/** The form's starting values: a stored job's (edit) or the defaults (create). */
export function initialFormValues(tasks: TaskInfo[], defaultTimezone: string, job?: Job): JobFormValues {
  const task = job?.task ?? tasks[0]?.name ?? '';
  const argsSchema = tasks.find((t) => t.name === task)?.argsSchema;
  const fields = argFieldsOf(argsSchema);
  const json = argsNeedJson(argsSchema);
  return {
    id: job?.id ?? '',
    name: job?.name ?? '',
    description: job?.description ?? '',
    task,
    args: toFormArgs(fields, job?.args),
    argsMode: json ? 'json' : 'fields',
    argsJson: json ? initialArgsJson(fields, job?.args) : '',
    trigger: triggerFormValues(job?.trigger, defaultTimezone),
    paused: false,
    options: {
      maxInstances: job?.options.maxInstances,
      misfireGraceMs: job?.options.misfireGraceMs,
      timeoutMs: job?.options.timeoutMs ?? undefined,
      coalesce: job?.options.coalesce ?? DEFAULT_JOB_OPTIONS.coalesce,
      retries: { max: job?.options.retries?.max, backoffMs: job?.options.retries?.backoffMs },
    },
  };
}

/**
 * True when a stored job sets any of the Advanced section's fields to something other than the
 * default (so the edit form opens that section).
 */
export function hasAdvancedSettings(job: Job): boolean {
  const o = job.options;
  const t = job.trigger;
  const d = DEFAULT_JOB_OPTIONS;
  return (
    o.maxInstances !== d.maxInstances ||
    o.misfireGraceMs !== d.misfireGraceMs ||
    o.timeoutMs !== d.timeoutMs ||
    o.coalesce !== d.coalesce ||
    Boolean(o.retries && o.retries.max > 0) ||
    Boolean(t.jitterMs) ||
    Boolean(t.startAt) ||
    Boolean(t.endAt)
  );
}

/** The built trigger's key of the starting values (edit mode's "unchanged" test). */
export function initialTriggerKeyOf(values: JobFormValues): string | undefined {
  const built = buildTrigger(values.trigger);
  return built.ok ? triggerKey(built.trigger) : undefined;
}
