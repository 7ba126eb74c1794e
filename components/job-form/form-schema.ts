import { z } from 'zod';
import { jobInputSchema, triggerSchema, type JobInput, type JobPatch, type TriggerInput } from '@/lib/schemas';
import type { Job, TaskInfo } from '@/lib/types';
import { argFieldsOf, fromFormArgs, toFormArgs } from './args-schema';
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
  window: z
    .object({ startAt: z.string().nullish(), endAt: z.string().nullish(), jitterMs: z.number().nullish() })
    .optional(),
}) satisfies z.ZodType<TriggerFormValues, TriggerFormValues>;

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
      trigger,
    })
    .superRefine((v, ctx) => {
      const task = taskByName.get(v.task);
      if (!task) {
        if (v.task) ctx.addIssue({ code: 'custom', path: ['task'], message: `Unknown task "${v.task}": choose one from the list.` });
        return;
      }
      const converted = fromFormArgs(argFieldsOf(task.argsSchema), v.args);
      if (converted.ok) return;
      for (const [name, message] of Object.entries(converted.errors)) {
        ctx.addIssue({ code: 'custom', path: ['args', name], message });
      }
    })
    .transform((v) => {
      const converted = fromFormArgs(argFieldsOf(taskByName.get(v.task)?.argsSchema), v.args);
      const options = v.options && { ...v.options, timeoutMs: v.options.timeoutMs ?? null };
      return {
        id: v.id,
        name: v.name,
        description: v.description,
        task: v.task,
        args: converted.ok ? converted.args : {},
        trigger: v.trigger,
        paused: v.paused,
        options,
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
  return {
    id: job?.id ?? '',
    name: job?.name ?? '',
    description: job?.description ?? '',
    task,
    args: toFormArgs(argFieldsOf(argsSchema), job?.args),
    trigger: triggerFormValues(job?.trigger, defaultTimezone),
    paused: false,
    options: {
      maxInstances: job?.options.maxInstances,
      misfireGraceMs: job?.options.misfireGraceMs,
      timeoutMs: job?.options.timeoutMs ?? undefined,
    },
  };
}

/** The built trigger's key of the starting values (edit mode's "unchanged" test). */
export function initialTriggerKeyOf(values: JobFormValues): string | undefined {
  const built = buildTrigger(values.trigger);
  return built.ok ? triggerKey(built.trigger) : undefined;
}
