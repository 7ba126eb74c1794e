import { connect, type Db } from '../db/client';
import { env } from '../lib/env';

/** What the services and the engine need from the outside world; tests build their own. */
export interface SchedulerContext {
  db: Db;
  /** The clock (injected so tests can pin time). */
  now: () => Date;
  /** Zone given to new jobs that name none. */
  defaultTimezone: string;
  /** Called after a change to the jobs table, so a local engine re-reads at once. */
  notify: () => void;
}

const g = globalThis as unknown as { __cronboardWake?: Set<() => void> };

/** Registers a wake-up listener (the engine); returns the unsubscribe function. */
export function onJobsChanged(listener: () => void): () => void {
  g.__cronboardWake ??= new Set();
  g.__cronboardWake.add(listener);
  return () => g.__cronboardWake?.delete(listener);
}

/** Wakes every engine in this process (shared via globalThis across Next's module copies). */
export function notifyJobsChanged(): void {
  for (const listener of g.__cronboardWake ?? []) {
    try {
      listener();
    } catch {
      // a listener's failure must not fail the mutation that notified it
    }
  }
}

/** The context of this process, from the environment. */
export function appContext(): SchedulerContext {
  const e = env();
  return {
    db: connect(e.DATABASE_URL).db,
    now: () => new Date(),
    defaultTimezone: e.SCHEDULER_TIMEZONE,
    notify: notifyJobsChanged,
  };
}
