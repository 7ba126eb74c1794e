import type { ExecutionRow, JobRow } from '../db/schema';
import type { Execution, Job } from '../lib/types';
import { describeTrigger } from './triggers';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A jobs row as the API and UI see it, with its last execution (lastExecutions). */
export function toJob(row: JobRow, lastExecution: Job['lastExecution'] = null): Job {
  const { anchorAt: _anchor, ...trigger } = row.trigger as typeof row.trigger & { anchorAt?: string };
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    task: row.task,
    args: row.args,
    trigger,
    schedule: describeTrigger(row.trigger),
    options: row.options,
    state: row.state,
    nextRunAt: iso(row.nextRunAt),
    source: row.source,
    lastExecution,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A job_executions row as the API and UI see it. */
export function toExecution(row: ExecutionRow): Execution {
  return {
    id: row.id,
    jobId: row.jobId,
    kind: row.kind,
    scheduledFor: row.scheduledFor.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    durationMs: row.durationMs,
    status: row.status,
    attempt: row.attempt,
    error: row.error,
    stack: row.stack,
    log: row.log,
    result: row.result,
    missedCount: row.missedCount,
    missedUntil: iso(row.missedUntil),
    instance: row.instance,
  };
}
