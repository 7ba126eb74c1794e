import type { ExecutionStatus, JobState } from '@/lib/schemas';

const STATUS_LABELS: Record<ExecutionStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  timed_out: 'Timed out',
  missed: 'Missed',
  skipped: 'Skipped',
  interrupted: 'Interrupted',
};

const STATE_LABELS: Record<JobState, string> = {
  active: 'Active',
  paused: 'Paused',
  completed: 'Completed',
};

/** Human label of an execution status ("Timed out"). */
export function executionStatusLabel(status: ExecutionStatus): string {
  return STATUS_LABELS[status] ?? status;
}

/** Human label of a job state ("Paused"). */
export function jobStateLabel(state: JobState): string {
  return STATE_LABELS[state] ?? state;
}

/** Coloured badge of a job's state (active, paused, completed). */
export function StateBadge({ state }: { state: JobState }) {
  return <span className={`badge badge-${state}`}>{jobStateLabel(state)}</span>;
}

/** Coloured badge of an execution status; `count` > 1 shows how many fires a missed row stands for. */
export function ExecutionStatusBadge({ status, count }: { status: ExecutionStatus; count?: number | null }) {
  const label = executionStatusLabel(status);
  return (
    <span className={`badge badge-${status.replace('_', '-')}`}>
      {status === 'running' || status === 'queued' ? <span className="badge-dot" aria-hidden="true" /> : null}
      {label}
      {count && count > 1 ? ` ×${count}` : null}
    </span>
  );
}

/** Where a job was declared: in code (synced on start) or by a person. */
export function SourceBadge({ source }: { source: 'code' | 'user' }) {
  return (
    <span className={`badge badge-outline`} title={source === 'code' ? 'Declared in code, synced on start' : 'Created in the dashboard or the API'}>
      {source}
    </span>
  );
}
