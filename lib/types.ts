import type { ExecutionStatus, JobState, Trigger } from './schemas';

/** A trigger as stored: the validated input with its time zone resolved. */
export type StoredTrigger = Trigger & { timezone: string };

/** Job options with every default applied. */
export interface StoredJobOptions {
  maxInstances: number;
  coalesce: boolean;
  misfireGraceMs: number;
  timeoutMs: number | null;
  retries: { max: number; backoffMs: number } | null;
}

export const DEFAULT_JOB_OPTIONS: StoredJobOptions = {
  maxInstances: 1,
  coalesce: true,
  misfireGraceMs: 60_000,
  timeoutMs: null,
  retries: null,
};

/** An execution as the API and the UI see it (instants as ISO strings). */
export interface Execution {
  id: number;
  jobId: string;
  kind: 'scheduled' | 'manual';
  scheduledFor: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  status: ExecutionStatus;
  attempt: number;
  error: string | null;
  stack: string | null;
  log: string | null;
  result: string | null;
  missedCount: number | null;
  missedUntil: string | null;
  instance: string | null;
}

/** A job as the API and the UI see it. */
export interface Job {
  id: string;
  name: string;
  description: string | null;
  task: string;
  args: Record<string, unknown>;
  trigger: StoredTrigger;
  /** The schedule in words, e.g. "Every 5 minutes (Europe/Berlin)". */
  schedule: string;
  options: StoredJobOptions;
  state: JobState;
  nextRunAt: string | null;
  source: 'code' | 'user';
  lastExecution: { id: number; status: ExecutionStatus; at: string } | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  /** Items matching the filters on all pages; a lower bound when `totalExact` is false (counting stopped). */
  total: number;
  totalExact: boolean;
  page: number;
  pageSize: number;
}

/** A page of the jobs list, with keyset cursors to the pages around it (null: no such page). */
export interface JobPage extends Page<Job> {
  nextCursor: string | null;
  prevCursor: string | null;
}

/** A task as listed for the UI and GET /api/tasks. */
export interface TaskInfo {
  name: string;
  title: string;
  description: string;
  /** JSON Schema of the task's arguments (from its zod schema). */
  argsSchema: Record<string, unknown>;
}

/** Instance heartbeat as the dashboard shows it. */
export interface InstanceInfo {
  id: string;
  host: string;
  pid: number;
  startedAt: string;
  lastSeenAt: string;
  alive: boolean;
}

/** An API token as the dashboard lists it (never the token itself, only its visible prefix). */
export interface ApiTokenInfo {
  id: number;
  name: string;
  /** The token's first characters ("cb_AbCd1234"), to recognise it. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
