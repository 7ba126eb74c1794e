import type { Db } from '../db/client';
import type { JobRow } from '../db/schema';
import { coerceError } from '../lib/errors';
import type { ExecutionStatus } from '../lib/schemas';
import type { TaskDefinition, TaskLogger } from './task';
import { getTask } from './tasks';

/** Longest task log and result kept per execution (characters). */
const MAX_LOG = 64_000;
const MAX_RESULT = 8_000;

/** Why a run was aborted: the engine passes one of these as the AbortSignal's reason. */
export class RunAborted extends Error {
  constructor(readonly cause: 'timeout' | 'shutdown', message: string) {
    super(message);
    this.name = cause === 'timeout' ? 'TimeoutError' : 'ShutdownError';
  }
}

export interface Outcome {
  status: ExecutionStatus;
  error: string | null;
  stack: string | null;
  log: string;
  result: string | null;
  finishedAt: Date;
  durationMs: number;
}

/**
 * The current millisecond as an ISO string, made once per millisecond: the runs of a second's
 * fires start within a few milliseconds, and formatting a Date was a third of a run's start.
 */
let isoMs = NaN;
let isoText = '';
function isoNow(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoText = new Date(ms).toISOString();
    isoMs = ms;
  }
  return isoText;
}

/**
 * The lines a run logs, kept for its row's `log` column (up to MAX_LOG characters). One object
 * and one scope per run, the array made by the first line: this runs for every fire.
 */
function collectingLogger(): { log: TaskLogger; text: () => string } {
  let lines: string[] | null = null;
  let size = 0;
  const push = (level: string, message: string) => {
    const line = `${isoNow()} ${level} ${String(message)}`;
    if (size + line.length > MAX_LOG) return;
    size += line.length + 1;
    (lines ??= []).push(line);
  };
  return {
    log: { info: (message) => push('INFO', message), warn: (message) => push('WARN', message), error: (message) => push('ERROR', message) },
    text: () => (lines ? lines.join('\n') : ''),
  };
}

function serializeResult(value: unknown): string | null {
  if (value === undefined) return null;
  try {
    const json = JSON.stringify(value);
    if (json === undefined) return null;
    return json.length > MAX_RESULT ? `${json.slice(0, MAX_RESULT)}…` : json;
  } catch {
    return String(value).slice(0, MAX_RESULT);
  }
}

/** An error's message, with its cause's when that says more (fetch's "fetch failed" hides ECONNREFUSED there). */
function errorText(err: Error): string {
  const message = err.message || err.name;
  const cause = err.cause instanceof Error ? err.cause.message || (err.cause as { code?: string }).code : undefined;
  return cause && !message.includes(cause) ? `${message}: ${cause}` : message;
}

/**
 * The callbacks to call when a signal aborts: one listener per signal, whatever the number of runs
 * sharing it (the engine's shutdown signal is shared by every run in progress, and an
 * EventTarget's listeners cost more to add and remove at thousands of runs a second).
 */
const abortCallbacks = new WeakMap<AbortSignal, Set<() => void>>();

function onAbortOf(signal: AbortSignal): Set<() => void> {
  let callbacks = abortCallbacks.get(signal);
  if (!callbacks) {
    const set = (callbacks = new Set());
    abortCallbacks.set(signal, set);
    signal.addEventListener('abort', () => {
      for (const callback of set) callback();
    }, { once: true });
  }
  return callbacks;
}

/** A run's task with its arguments validated, or why it cannot run: made before the run starts. */
export type PreparedRun = { task: TaskDefinition; args: unknown; error?: undefined } | { task?: undefined; args?: undefined; error: Error };

/**
 * Looks up the job's task and validates its stored arguments. The runner does this when it claims
 * a fire, ahead of its instant: validating at the instant was a fifth of a quick run's start.
 */
export function prepareRun(job: Pick<JobRow, 'task' | 'args'>): PreparedRun {
  const task = getTask(job.task);
  if (!task) return { error: new Error(`Unknown task "${job.task}": it is not in scheduler/tasks/index.ts on this server.`) };
  let args: ReturnType<typeof task.args.safeParse>;
  try {
    args = task.args.safeParse(job.args);
  } catch (thrown) {
    // A schema's own code (a transform, a refinement) that throws: this run fails, not the claim.
    return { error: new Error(`Checking the arguments of task "${job.task}" failed: ${coerceError(thrown).message}`) };
  }
  if (!args.success) return { error: new Error(`The stored arguments no longer match task "${job.task}": ${args.error.message}`) };
  return { task, args: args.data };
}

/**
 * A run whose task has been called, or found unable to run: what settleRun needs to make its
 * outcome. Plain data, so that the runner can start all of an instant's fires first and make their
 * outcomes after.
 */
export interface StartedRun {
  signal: AbortSignal;
  now: () => Date;
  text: () => string;
  /** Its start by the clock (epoch ms): no outcome finishes before it. */
  startedAt: number;
  /** performance.now() when it started, and when it ended if it ended at once (else NaN). */
  started: number;
  ended: number;
  /** What the task returned, or what it threw (`threw`). */
  returned: unknown;
  threw: boolean;
  /** The signal's reason if it had aborted when the task threw: a timeout or shutdown, not a failure. */
  abortedBy: unknown;
  /** Why the task was not called: unknown, or its arguments refused. */
  refused: Error | undefined;
}

/**
 * Calls the job's task for one execution: the part of a run that cannot wait. Never throws: what
 * the task throws is kept for settleRun. The task is not called when it cannot run or when the
 * signal has already aborted.
 */
export function startRun(
  db: Db,
  job: JobRow,
  execution: { id: number; scheduledFor: Date; attempt: number; startedAt: Date },
  signal: AbortSignal,
  now: () => Date,
  quiet?: (ms: number) => Promise<void>,
  { task, args, error }: PreparedRun = prepareRun(job),
): StartedRun {
  const { log, text } = collectingLogger();
  const started = performance.now();
  const run: StartedRun = { signal, now, text, startedAt: execution.startedAt.getTime(), started, ended: started, returned: undefined, threw: false, abortedBy: undefined, refused: error };
  if (!task) return run;
  if (signal.aborted) {
    run.returned = run.abortedBy = signal.reason;
    run.threw = true;
    return run;
  }
  try {
    run.returned = task.run(args, { jobId: job.id, executionId: execution.id, scheduledFor: execution.scheduledFor, attempt: execution.attempt, signal, log, db, quiet });
    // (Inside the try: reading `then` may throw, on a value odd enough.)
    run.ended = isThenable(run.returned) ? NaN : performance.now();
  } catch (thrown) {
    run.returned = thrown;
    run.threw = true;
    run.abortedBy = signal.aborted ? signal.reason : undefined;
    run.ended = performance.now();
  }
  return run;
}

/**
 * The outcome of a started run: at once for a task that returned a value or threw, else once its
 * promise settles or its signal aborts (a task that ignores its signal must still end its row).
 */
export async function settleRun(run: StartedRun): Promise<Outcome> {
  const { signal, now, text, started } = run;
  // The outcome of a run that ended at `ended` (performance.now()), made then or later.
  const finish = (status: ExecutionStatus, err: Error | null, result: unknown = undefined, ended = performance.now()): Outcome => ({
    status,
    error: err ? errorText(err).slice(0, 10_000) : null,
    stack: err?.stack?.slice(0, 20_000) ?? null,
    log: text(),
    result: serializeResult(result),
    finishedAt: new Date(Math.max(run.startedAt, now().getTime() - Math.floor(performance.now() - ended))),
    durationMs: Math.max(0, Math.round(ended - started)),
  });
  // Aborted (by its timeout or a shutdown), or thrown: the outcome says which.
  // `reason`: the signal's reason if it had aborted when the task threw or rejected.
  const failed = (thrown: unknown, reason: unknown, ended?: number): Outcome => {
    if (reason instanceof RunAborted) return finish(reason.cause === 'timeout' ? 'timed_out' : 'interrupted', reason, undefined, ended);
    return finish('failed', coerceError(thrown), undefined, ended);
  };
  if (run.refused) return finish('failed', run.refused, undefined, run.ended);
  if (run.threw) return failed(run.returned, run.abortedBy, run.ended);
  // A task that returned a value (not a promise) is over: no promise to wait for.
  if (!Number.isNaN(run.ended)) return finish('succeeded', null, run.returned, run.ended);
  let onAbort: (() => void) | undefined;
  try {
    // One promise for the task and the abort: a Promise.race of two costs more allocations per run.
    const result = await new Promise<unknown>((resolve, reject) => {
      onAbort = () => reject(signal.reason);
      onAbortOf(signal).add(onAbort);
      Promise.resolve(run.returned).then(resolve, reject);
    });
    return finish('succeeded', null, result);
  } catch (thrown) {
    return failed(thrown, signal.aborted ? signal.reason : undefined);
  } finally {
    if (onAbort) onAbortOf(signal).delete(onAbort);
  }
}

/**
 * Runs the job's task for one execution and returns its outcome. Never throws: a task that
 * throws, rejects, hangs past its timeout or returns something odd only affects its own row.
 */
export function runTask(...args: Parameters<typeof startRun>): Promise<Outcome> {
  return settleRun(startRun(...args));
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
