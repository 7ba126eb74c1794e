import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { dbErrorCode } from '../db/client';
import { WORDS_ISOLATION, indexJobWords } from '../db/job-words';
import { jobExecutions, jobs, type JobRow } from '../db/schema';
import { ConflictError, DomainError, NotFoundError, ValidationError } from '../lib/errors';
import {
  jobIdListSchema,
  jobInputSchema,
  jobPatchSchema,
  triggerPreviewSchema,
  type JobOptionsInput,
} from '../lib/schemas';
import { DEFAULT_JOB_OPTIONS, type Job, type StoredJobOptions } from '../lib/types';
import type { SchedulerContext } from './context';
import { lastExecutions } from './last-executions';
import { toJob } from './serialize';
import { getTask } from './tasks';
import { describeTrigger, nextFireTime, resolveTrigger, upcomingFires, type StoredTriggerWithAnchor } from './triggers';
import { parseInput, validateTaskArgs } from './validate';

/** Job services: every mutation the pages, the API and code-declared jobs make goes through here. */

/** A job written with its search words (see WORDS_ISOLATION). */
const WORDS_TRANSACTION = { isolationLevel: WORDS_ISOLATION };

function resolveOptions(input: JobOptionsInput | undefined, base: StoredJobOptions = DEFAULT_JOB_OPTIONS): StoredJobOptions {
  return {
    maxInstances: input?.maxInstances ?? base.maxInstances,
    coalesce: input?.coalesce ?? base.coalesce,
    misfireGraceMs: input?.misfireGraceMs ?? base.misfireGraceMs,
    timeoutMs: input?.timeoutMs === undefined ? base.timeoutMs : input.timeoutMs,
    retries: input?.retries === undefined ? base.retries : input.retries,
  };
}

async function findRow(ctx: SchedulerContext, id: string): Promise<JobRow | undefined> {
  const [row] = await ctx.db.select().from(jobs).where(eq(jobs.id, id)).limit(1);
  return row;
}

async function requireRow(ctx: SchedulerContext, id: string): Promise<JobRow> {
  const row = await findRow(ctx, id);
  if (!row) throw new NotFoundError(`No job with id "${id}".`);
  return row;
}

/** The first fire after now, and the state that goes with it. */
function schedule(trigger: StoredTriggerWithAnchor, paused: boolean, now: Date) {
  const next = nextFireTime(trigger, now);
  if (paused) return { state: 'paused' as const, nextRunAt: null };
  if (!next) return { state: 'completed' as const, nextRunAt: null };
  return { state: 'active' as const, nextRunAt: next };
}

/** GET /api/jobs/{id}. */
export async function getJob(ctx: SchedulerContext, id: string): Promise<Job> {
  return shown(ctx, await requireRow(ctx, id));
}

/** A job row as shown, with its last execution. */
async function shown(ctx: SchedulerContext, row: JobRow): Promise<Job> {
  return toJob(row, (await lastExecutions(ctx.db, [row.id])).get(row.id) ?? null);
}

/** POST /api/jobs: validates everything, then writes one row. 409 when the id exists (unless replaceExisting). */
export async function createJob(
  ctx: SchedulerContext,
  input: unknown,
  origin: { source: 'user' } | { source: 'code'; declaredHash: string } = { source: 'user' },
): Promise<Job> {
  const data = parseInput(jobInputSchema, input, 'job');
  const args = validateTaskArgs(data.task, data.args);
  const now = ctx.now();
  const trigger = resolveTrigger(data.trigger, ctx.defaultTimezone, now);
  const id = data.id ?? `job-${randomUUID().slice(0, 8)}`;
  const { state, nextRunAt } = schedule(trigger, data.paused ?? false, now);
  const row = {
    id,
    name: data.name || getTask(data.task)!.title,
    description: data.description ?? null,
    task: data.task,
    args,
    trigger,
    state,
    nextRunAt,
    options: resolveOptions(data.options),
    source: origin.source,
    declaredHash: origin.source === 'code' ? origin.declaredHash : null,
    createdAt: now,
    updatedAt: now,
  };
  try {
    // The job and its search words (db/job-words.ts) together.
    await ctx.db.transaction(async (tx) => {
      await tx.insert(jobs).values({ ...row, version: 1 });
      await indexJobWords(tx, [row], { fresh: true });
    }, WORDS_TRANSACTION);
  } catch (err) {
    if (dbErrorCode(err) !== 'ER_DUP_ENTRY') throw err;
    if (!data.replaceExisting) {
      throw new ConflictError(`A job with id "${id}" exists already. Choose another id, or send "replaceExisting": true to overwrite it.`);
    }
    const { createdAt: _keep, ...replacement } = row;
    await ctx.db.transaction(async (tx) => {
      await tx
        .update(jobs)
        .set({ ...replacement, version: sql`${jobs.version} + 1` })
        .where(eq(jobs.id, id));
      await indexJobWords(tx, [row]);
    }, WORDS_TRANSACTION);
  }
  ctx.notify();
  return getJob(ctx, id);
}

/** PATCH /api/jobs/{id}: any part of the input; a stale `version` is a 409. The schedule takes effect at once. */
export async function updateJob(ctx: SchedulerContext, id: string, input: unknown): Promise<Job> {
  const patch = parseInput(jobPatchSchema, input, 'change');
  const row = await requireRow(ctx, id);
  if (patch.version !== undefined && patch.version !== row.version) {
    throw new ConflictError(
      `Job "${id}" was changed by someone else (version ${row.version}, you edited version ${patch.version}). Reload it and apply your change again.`,
    );
  }
  const task = patch.task ?? row.task;
  const taskOrArgsChanged = patch.task !== undefined || patch.args !== undefined;
  const args = taskOrArgsChanged ? validateTaskArgs(task, patch.args ?? row.args) : row.args;
  const now = ctx.now();
  const trigger = patch.trigger ? resolveTrigger(patch.trigger, ctx.defaultTimezone, now) : row.trigger;
  const paused = patch.paused ?? row.state === 'paused';
  // Re-plan when the schedule or the paused flag changed; otherwise keep the planned fire.
  const replan = patch.trigger !== undefined || paused !== (row.state === 'paused');
  // Without a re-plan, state and next_run_at are left alone: the engine may have advanced them meanwhile.
  const planned = replan ? schedule(trigger, paused, now) : {};
  const name = patch.name !== undefined ? patch.name || row.name : row.name;
  await ctx.db.transaction(async (tx) => {
    const result = await tx
      .update(jobs)
      .set({
        name,
        description: patch.description !== undefined ? patch.description : row.description,
        task,
        args,
        trigger,
        options: resolveOptions(patch.options, row.options),
        ...planned,
        version: row.version + 1,
        updatedAt: now,
      })
      .where(and(eq(jobs.id, id), eq(jobs.version, row.version)));
    if (result[0].affectedRows !== 1) {
      throw new ConflictError(`Job "${id}" changed while you were saving. Reload it and apply your change again.`);
    }
    // A new name, new search words (db/job-words.ts), in the same transaction.
    if (name !== row.name) await indexJobWords(tx, [{ id, name }]);
  }, WORDS_TRANSACTION);
  ctx.notify();
  return getJob(ctx, id);
}

/** DELETE /api/jobs/{id}: the job and its history. */
export async function deleteJob(ctx: SchedulerContext, id: string): Promise<void> {
  const result = await ctx.db.delete(jobs).where(eq(jobs.id, id));
  if (result[0].affectedRows !== 1) throw new NotFoundError(`No job with id "${id}".`);
  ctx.notify();
}

/** POST /api/jobs/{id}/pause. Pausing a paused or completed job changes nothing. */
export async function pauseJob(ctx: SchedulerContext, id: string): Promise<Job> {
  const row = await requireRow(ctx, id);
  if (row.state !== 'active') return shown(ctx, row);
  return updateJob(ctx, id, { paused: true });
}

/** POST /api/jobs/{id}/resume: plans the next fire from now. A completed job has nothing to resume. */
export async function resumeJob(ctx: SchedulerContext, id: string): Promise<Job> {
  const row = await requireRow(ctx, id);
  if (row.state === 'active') return shown(ctx, row);
  if (!nextFireTime(row.trigger, ctx.now())) {
    throw new ConflictError(`Job "${id}" has no fires left (its trigger ended). Edit its trigger to schedule it again.`);
  }
  return updateJob(ctx, id, { paused: false });
}

/**
 * POST /api/jobs/{id}/run: queues a run now, whatever the job's state, without moving its cadence.
 * Any engine sharing the database picks it up (within about a second; at once in this process).
 */
export async function runJobNow(ctx: SchedulerContext, id: string): Promise<{ executionId: number }> {
  await requireRow(ctx, id);
  const base = ctx.now().getTime();
  for (let bump = 0; bump < 50; bump++) {
    try {
      const [res] = await ctx.db.insert(jobExecutions).values({
        jobId: id,
        scheduledFor: new Date(base + bump),
        attempt: 1,
        kind: 'manual',
        status: 'queued',
      });
      ctx.notify();
      return { executionId: Number(res.insertId) };
    } catch (err) {
      const code = dbErrorCode(err);
      if (code === 'ER_NO_REFERENCED_ROW_2' || code === 'ER_NO_REFERENCED_ROW') throw new NotFoundError(`No job with id "${id}".`);
      if (code !== 'ER_DUP_ENTRY') throw err;
    }
  }
  throw new ConflictError(`Too many runs of "${id}" requested at once; try again.`);
}

/** The actions the jobs table applies to several jobs at once. */
export type BulkJobAction = 'pause' | 'resume' | 'run' | 'delete';

/** What a bulk action did: the ids it applied to, and why it failed for the others. */
export interface BulkOutcome {
  done: string[];
  failed: Array<{ id: string; error: string }>;
}

const BULK_STEPS: Record<BulkJobAction, (ctx: SchedulerContext, id: string) => Promise<unknown>> = {
  pause: async (ctx, id) => {
    const job = await pauseJob(ctx, id);
    if (job.state !== 'paused') throw new ConflictError(`Job "${id}" is ${job.state}: there is nothing to pause.`);
  },
  resume: resumeJob,
  run: runJobNow,
  delete: deleteJob,
};

/**
 * Applies `action` to each of `ids` (1 to 100, validated) in turn through the single-job
 * services. A domain error (unknown id, no fires left to resume) fails that job only and is
 * reported; anything else (the database is down) stops the loop and is thrown.
 */
export async function bulkJobAction(ctx: SchedulerContext, action: BulkJobAction, ids: unknown): Promise<BulkOutcome> {
  const list = parseInput(jobIdListSchema, ids, 'job list');
  const outcome: BulkOutcome = { done: [], failed: [] };
  for (const id of list) {
    try {
      await BULK_STEPS[action](ctx, id);
      outcome.done.push(id);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      outcome.failed.push({ id, error: err.message });
    }
  }
  return outcome;
}

/** POST /api/triggers/preview: the next runs (strictly after `from`, default now) and the schedule in words. */
export function previewTrigger(ctx: SchedulerContext, input: unknown): { runs: string[]; description: string } {
  const data = parseInput(triggerPreviewSchema, input, 'trigger');
  const from = data.from ? new Date(data.from) : ctx.now();
  const trigger = resolveTrigger(data.trigger, ctx.defaultTimezone, from);
  const runs = upcomingFires(trigger, data.count ?? 5, from).map((d) => d.toISOString());
  return { runs, description: describeTrigger(trigger) };
}

/** Next `count` fires of a stored job (for its page). */
export function upcomingRuns(job: Job, count: number): string[] {
  if (job.state !== 'active' || !job.nextRunAt) return [];
  const first = new Date(job.nextRunAt);
  return [first, ...upcomingFires(job.trigger, count - 1, first)].map((d) => d.toISOString());
}

/** Throws a 400 when `id` cannot be a job id (used by route handlers before touching the database). */
export function assertJobId(id: string): void {
  if (!id || id.length > 191) throw new ValidationError('Invalid job id.', { id: ['A job id is 1 to 191 characters.'] });
}
