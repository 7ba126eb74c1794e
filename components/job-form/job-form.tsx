'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { FormProvider, useForm, useWatch, type Path } from 'react-hook-form';
import type { ActionResult } from '@/lib/action-result';
import type { Job, TaskInfo } from '@/lib/types';
import { AdvancedOptions } from './advanced-options';
import { initialArgsJson } from './args-json';
import { argFieldsOf, argsNeedJson, toFormArgs } from './args-schema';
import { ArgsSection } from './args-section';
import { errorAt, flattenErrors, isVisibleField, splitArgsErrors, type ErrorEntry, type VisibleFields } from './error-paths';
import { Field, inputA11y } from './field';
import { FormAlert, type AlertState } from './form-alert';
import {
  hasAdvancedSettings,
  initialFormValues,
  initialTriggerKeyOf,
  makeJobFormSchema,
  toCreatePayload,
  toPatchPayload,
  type JobFormOutput,
  type JobFormValues,
} from './form-schema';
import { SchedulePreview, type PreviewAction } from './schedule-preview';
import { TriggerFields } from './trigger-fields';
import styles from './job-form.module.css';

/** Creates the job (create) or applies the patch to it (edit; the id is bound by the page). */
export type SubmitJobAction = (input: unknown) => Promise<ActionResult<Job>>;

export interface JobFormProps {
  mode: 'create' | 'edit';
  /** listTasks(): the task picker's choices and their argument schemas. */
  tasks: TaskInfo[];
  /** listTimeZones(), from the server so server and browser render the same list. */
  timeZones: string[];
  /** The zone new jobs get (appContext().defaultTimezone). */
  defaultTimezone: string;
  /** Edit: the stored job. */
  job?: Job;
  submitAction: SubmitJobAction;
  previewAction: PreviewAction;
  /** Where Cancel goes. */
  cancelHref: string;
}

const CONFLICT_MESSAGE =
  'Someone else changed this job after you opened it, so your changes were not saved. Reload to see the current version, then apply your changes again.';

/** The create/edit job form: task and arguments, trigger with live preview, options. */
export function JobForm({ mode, tasks, timeZones, defaultTimezone, job, submitAction, previewAction, cancelHref }: JobFormProps) {
  const router = useRouter();
  const [initial] = useState(() => initialFormValues(tasks, defaultTimezone, job));
  const schema = useMemo(
    () => makeJobFormSchema({ mode, tasks, initialTriggerKey: mode === 'edit' ? initialTriggerKeyOf(initial) : undefined }),
    [mode, tasks, initial],
  );
  const form = useForm<JobFormValues, unknown, JobFormOutput>({
    resolver: zodResolver(schema),
    defaultValues: initial,
    mode: 'onTouched',
  });
  const { register, handleSubmit, setValue, setError, clearErrors, control, formState, getValues } = form;
  const [alert, setAlert] = useState<AlertState | null>(null);
  const [leaving, setLeaving] = useState(false);
  // Inputs stay disabled until hydrated: react-hook-form fills them on mount and would overwrite typing.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  const taskName = useWatch({ control, name: 'task' });
  const triggerType = useWatch({ control, name: 'trigger.type' });
  const argsJson = useWatch({ control, name: 'argsMode' }) === 'json';
  const task = tasks.find((t) => t.name === taskName);
  const argFields = useMemo(() => argFieldsOf(task?.argsSchema), [task]);
  const jsonOnly = useMemo(() => argsNeedJson(task?.argsSchema), [task]);
  const visible: VisibleFields = { mode, triggerType, argNames: argFields.map((f) => f.name), argsJson };
  const hiddenErrors: ErrorEntry[] = flattenErrors(formState.errors).filter(
    (e) => !e.path.startsWith('root') && !isVisibleField(e.path, visible),
  );

  /** A new task: its arguments (the stored ones when back on the job's own task), in the same editor when it can. */
  function onTaskChange(name: string) {
    const argsSchema = tasks.find((t) => t.name === name)?.argsSchema;
    const fields = argFieldsOf(argsSchema);
    const stored = name === job?.task ? job.args : undefined;
    const json = argsNeedJson(argsSchema) || (getValues('argsMode') === 'json' && fields.length > 0);
    setValue('args', toFormArgs(fields, stored));
    setValue('argsMode', json ? 'json' : 'fields');
    setValue('argsJson', json ? initialArgsJson(fields, stored) : '');
    clearErrors(['args', 'argsJson']);
  }

  function showFailure(res: Extract<ActionResult<Job>, { ok: false }>, id: string | undefined) {
    if (res.status === 409 && mode === 'edit') {
      setAlert({ message: CONFLICT_MESSAGE, conflict: true, items: [] });
      return;
    }
    if (res.status === 409 && id) {
      setError('id', { type: 'server', message: `A job with id "${id}" exists already. Choose another id.` }, { shouldFocus: true });
      setAlert({ message: 'The job was not created: its id is taken.', items: [] });
      return;
    }
    const items: ErrorEntry[] = [];
    let focused = false;
    const split = argsJson ? splitArgsErrors(res.fieldErrors ?? {}) : { args: null, rest: Object.entries(res.fieldErrors ?? {}) };
    if (split.args) {
      setError('argsJson', { type: 'server', message: split.args }, { shouldFocus: true });
      focused = true;
    }
    for (const [path, messages] of split.rest) {
      const message = messages.join(' ');
      if (isVisibleField(path, visible)) {
        setError(path as Path<JobFormValues>, { type: 'server', message }, { shouldFocus: !focused });
        focused = true;
      } else {
        items.push({ path, message });
      }
    }
    setAlert({ message: res.error, items });
  }

  const onSubmit = handleSubmit(async (out) => {
    setAlert(null);
    const payload = mode === 'create' ? toCreatePayload(out) : toPatchPayload(out, job?.version ?? 0);
    if (!payload) return;
    let res: ActionResult<Job>;
    try {
      res = await submitAction(payload);
    } catch {
      setAlert({ message: 'Could not reach the server. Check your connection and try again.', items: [] });
      return;
    }
    if (!res.ok) return showFailure(res, out.id);
    setLeaving(true);
    router.push(`/jobs/${encodeURIComponent(res.data.id)}`);
  });

  const busy = formState.isSubmitting || leaving;
  const errors = formState.errors;
  const idError = errorAt(errors, 'id');
  const nameError = errorAt(errors, 'name');
  const descriptionError = errorAt(errors, 'description');
  const taskError = errorAt(errors, 'task');
  const taskHelp = task?.description ?? 'Choose what the job runs.';
  const taskReg = register('task', { onChange: (e: { target: { value: string } }) => onTaskChange(e.target.value) });
  const text = (name: 'id' | 'name' | 'description') => ({ ...register(name), defaultValue: getValues(name) ?? '' });

  return (
    <FormProvider {...form}>
      <form className={styles.form} onSubmit={onSubmit} noValidate aria-busy={busy || undefined}>
        <FormAlert alert={alert} hidden={hiddenErrors} reloadHref={job ? `/jobs/${encodeURIComponent(job.id)}/edit` : undefined} />
        {job?.source === 'code' ? (
          <p className={`card ${styles.note}`}>This job is declared in code: the app may put its settings back when it restarts.</p>
        ) : null}
        <fieldset className={styles.shell} disabled={!hydrated}>
          <section className={`card ${styles.section}`} aria-labelledby="job-basics">
            <h2 id="job-basics">Job</h2>
            <div className={styles.grid}>
              <Field
                id="job-id"
                label="Id"
                help={mode === 'create' ? 'Letters, digits and . _ : - . Leave empty to generate one.' : 'The id cannot be changed.'}
                error={idError}
              >
                <input type="text" autoComplete="off" spellCheck={false} readOnly={mode === 'edit'} {...inputA11y('job-id', idError, true)} {...text('id')} />
              </Field>
              <Field id="job-name" label="Name" help="Shown in the jobs table. Empty: the task's title." error={nameError}>
                <input type="text" autoComplete="off" {...inputA11y('job-name', nameError, true)} {...text('name')} />
              </Field>
            </div>
            <Field id="job-description" label="Description" error={descriptionError}>
              <textarea rows={2} {...inputA11y('job-description', descriptionError, false)} {...text('description')} />
            </Field>
          </section>

          <section className={`card ${styles.section}`} aria-labelledby="job-task">
            <h2 id="job-task">What it runs</h2>
            <Field id="job-task-select" label="Task" required help={taskHelp} error={taskError}>
              <select aria-required {...inputA11y('job-task-select', taskError, true)} {...taskReg} defaultValue={initial.task}>
                {task ? null : <option value="">Choose a task…</option>}
                {tasks.map((t) => (
                  <option key={t.name} value={t.name}>
                    {t.title}
                  </option>
                ))}
              </select>
            </Field>
            <ArgsSection fields={argFields} jsonOnly={jsonOnly} taskName={taskName} />
          </section>

          <section className={`card ${styles.section}`} aria-labelledby="job-schedule">
            <h2 id="job-schedule">When it runs</h2>
            <div className={styles.scheduleRow}>
              <TriggerFields timeZones={timeZones} />
              <SchedulePreview previewAction={previewAction} />
            </div>
            {mode === 'create' ? (
              <label className={styles.checkbox}>
                <input type="checkbox" {...register('paused')} defaultChecked={initial.paused} />
                Start paused
              </label>
            ) : null}
          </section>

          <AdvancedOptions defaultOpen={mode === 'edit' && job ? hasAdvancedSettings(job) : false} />

          <div className={styles.actions}>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {mode === 'create' ? 'Create job' : 'Save changes'}
            </button>
            <Link href={cancelHref} className="btn btn-secondary">
              Cancel
            </Link>
          </div>
        </fieldset>
      </form>
    </FormProvider>
  );
}
