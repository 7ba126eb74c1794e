import { describe, expect, it } from 'vitest';
import type { ExecutionRow, JobRow } from '../db/schema';
import { toExecution, toJob } from '../scheduler/serialize';
import { executionPageSchema, executionSchema, jobPageSchema, jobSchema } from './api-schemas';
import { DEFAULT_JOB_OPTIONS, type Execution, type JobPage, type Page } from './types';

const at = (iso: string) => new Date(iso);

function jobRow(overrides: Partial<JobRow>): JobRow {
  return {
    id: 'nightly-report',
    name: 'Nightly report',
    description: null,
    task: 'log.message',
    args: { message: 'hi' },
    trigger: { type: 'cron', expression: '0 3 * * *', timezone: 'Europe/Berlin' },
    state: 'active',
    nextRunAt: at('2026-05-02T01:00:00Z'),
    options: DEFAULT_JOB_OPTIONS,
    source: 'user',
    version: 1,
    declaredHash: null,
    lastRunAt: null,
    lastStatus: null,
    leaseAt: null,
    runningCount: 0,
    createdAt: at('2026-05-01T10:00:00.123Z'),
    updatedAt: at('2026-05-01T10:00:00.123Z'),
    ...overrides,
  };
}

/** A job's last execution as lastExecutions reads it, for the rows that ran. */
const lastOf = (row: JobRow) => (row.lastStatus && row.lastRunAt ? { id: 42, status: row.lastStatus, at: row.lastRunAt.toISOString() } : null);

const jobs: JobRow[] = [
  jobRow({}),
  jobRow({
    id: 'every-90',
    description: 'An interval with its anchor, retries and a timeout',
    trigger: { type: 'interval', every: { minutes: 90 }, timezone: 'UTC', jitterMs: 500, anchorAt: '2026-05-01T10:00:00.000Z' } as JobRow['trigger'],
    options: { ...DEFAULT_JOB_OPTIONS, timeoutMs: 30_000, retries: { max: 3, backoffMs: 1000 } },
    lastRunAt: at('2026-05-01T11:30:00Z'),
    lastStatus: 'failed',
    source: 'code',
    declaredHash: 'abc',
    version: 7,
  }),
  // A one-shot job that ran: completed, its runAt in the past.
  jobRow({ id: 'once', trigger: { type: 'date', runAt: '2020-01-01T00:00:00.000Z', timezone: 'UTC' }, state: 'completed', nextRunAt: null }),
];

function executionRow(overrides: Partial<ExecutionRow>): ExecutionRow {
  return {
    id: 42,
    jobId: 'every-90',
    scheduledFor: at('2026-05-01T11:30:00Z'),
    attempt: 1,
    kind: 'scheduled',
    status: 'failed',
    startedAt: at('2026-05-01T11:30:00.010Z'),
    finishedAt: at('2026-05-01T11:30:01.020Z'),
    durationMs: 1010,
    error: 'boom',
    stack: 'Error: boom\n    at run',
    log: 'info starting',
    result: null,
    missedCount: null,
    missedUntil: null,
    instance: 'host:1:abc',
    runAfter: null,
    ...overrides,
  };
}

const executions: ExecutionRow[] = [
  executionRow({}),
  executionRow({ id: 43, kind: 'manual', status: 'queued', startedAt: null, finishedAt: null, durationMs: null, error: null, stack: null, log: null, instance: null }),
  executionRow({ id: 44, status: 'missed', missedCount: 12, missedUntil: at('2026-05-01T13:00:00Z'), startedAt: null, finishedAt: null, durationMs: null, error: null, stack: null }),
];

/** What a client receives: the serialized value after a trip through JSON. */
const overTheWire = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));

describe('response schemas match what the API serializes', () => {
  it.each(jobs.map((r) => [r.id, r] as const))('a serialized job (%s) parses, unchanged', (_id, row) => {
    const wire = overTheWire(toJob(row, lastOf(row)));
    const parsed = jobSchema.safeParse(wire);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data).toEqual(wire);
  });

  it.each(executions.map((r) => [r.status, r] as const))('a serialized execution (%s) parses, unchanged', (_status, row) => {
    const wire = overTheWire(toExecution(row));
    const parsed = executionSchema.safeParse(wire);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data).toEqual(wire);
  });

  it('pages parse', () => {
    const jobPage: JobPage = { items: jobs.map((j) => toJob(j, lastOf(j))), total: 3, totalExact: true, page: 1, pageSize: 20, nextCursor: null, prevCursor: 'eyJ9' };
    const executionPage: Page<Execution> = { items: executions.map(toExecution), total: 10_000, totalExact: false, page: 1, pageSize: 20 };
    expect(jobPageSchema.safeParse(overTheWire(jobPage)).error?.issues ?? []).toEqual([]);
    expect(executionPageSchema.safeParse(overTheWire(executionPage)).error?.issues ?? []).toEqual([]);
    expect(jobPageSchema.safeParse(overTheWire({ ...jobPage, nextCursor: undefined })).success).toBe(false);
  });

  it('notices a field the serializer has and the schema lacks (they are strict)', () => {
    expect(jobSchema.safeParse({ ...overTheWire(toJob(jobs[0])) as object, surprise: 1 }).success).toBe(false);
    expect(executionSchema.safeParse({ ...overTheWire(toExecution(executions[0])) as object, surprise: 1 }).success).toBe(false);
  });
});
