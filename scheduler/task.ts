import type { z } from 'zod';
import type { Db } from '../db/client';

/** A logger whose lines are kept with the execution (the `log` column). */
export interface TaskLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What a task's run() receives besides its arguments. */
export interface TaskContext {
  jobId: string;
  executionId: number;
  /** The instant the trigger gave for this fire (or when "run now" was asked). */
  scheduledFor: Date;
  attempt: number;
  /** Aborted on timeout and on shutdown; long work must honour it. */
  signal: AbortSignal;
  log: TaskLogger;
  /** Cronboard's own database (for system tasks such as history retention). */
  db: Db;
  /**
   * Resolves when the engine running the task has no burst of work (a claim turn, fires starting)
   * due within `ms`, after waiting a few out at most. Background work that competes with the
   * engine for the database (history retention) calls it before each slice of `ms`. Absent when
   * the task is run outside an engine.
   */
  quiet?(ms: number): Promise<void>;
}

export interface TaskDefinition<S extends z.ZodType = z.ZodType> {
  /** Stable name stored on jobs, e.g. "http.request". */
  name: string;
  /** Short human title for the task picker. */
  title: string;
  description: string;
  /** zod schema of the arguments; the form and the API validate against it. */
  args: S;
  /** Does the work. A returned value is kept (JSON, truncated) as the execution's result. */
  run(args: z.output<S>, ctx: TaskContext): Promise<unknown> | unknown;
}

/** Declares a task. Register it in scheduler/tasks/index.ts. */
export function defineTask<S extends z.ZodType>(def: TaskDefinition<S>): TaskDefinition<S> {
  if (!/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/.test(def.name)) {
    throw new Error(`defineTask: name "${def.name}" must be dotted lowercase words, e.g. "http.request".`);
  }
  return def;
}
