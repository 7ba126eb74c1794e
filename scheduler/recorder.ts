import { isTransientDbError, type Db } from '../db/client';
import { rawQuery, rawTransaction } from '../db/raw';
import { coerceError } from '../lib/errors';
import type { EngineLogger } from './log';
import type { Outcome } from './run';
import { countByJob, lockRunning } from './slots';

/**
 * Records run outcomes in batches. Outcomes that finish while a write is in flight wait for the
 * next one, so under load one statement carries hundreds of rows and at rest each outcome is
 * written at once. Through a database outage the batch is retried until the database answers
 * (its rows stay `running` and owned meanwhile, so recovery leaves them alone).
 */

export interface FinishedRun {
  jobId: string;
  executionId: number;
  /** When the task really started (the row's started_at is overwritten with it). */
  startedAt: Date;
  outcome: Outcome;
}

interface Entry {
  run: FinishedRun;
  resolve: () => void;
}

/** Rows per write. */
const CHUNK = 500;
/** Writes in flight at once. */
const MAX_IN_FLIGHT = 2;
/** A write that fails for a reason other than the database being unreachable is tried this often. */
const MAX_NON_TRANSIENT_ATTEMPTS = 3;

export class Recorder {
  private queue: Entry[] = [];
  /** Executions whose outcome is known here but not yet written, by job. */
  private readonly pending = new Map<string, Set<number>>();
  private inFlight = 0;
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly log: EngineLogger,
  ) {}

  /** Queues an outcome; resolves once it is written (or given up on: never rejects). */
  record(run: FinishedRun): Promise<void> {
    let ofJob = this.pending.get(run.jobId);
    if (!ofJob) this.pending.set(run.jobId, (ofJob = new Set()));
    ofJob.add(run.executionId);
    return new Promise<void>((resolve) => {
      this.queue.push({ run, resolve });
      if (!this.scheduled) {
        this.scheduled = true;
        // Outcomes finishing in the same turn of the event loop share a write.
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    }).finally(() => {
      ofJob.delete(run.executionId);
      if (!ofJob.size) this.pending.delete(run.jobId);
    });
  }

  /** The executions of these jobs whose run is over and whose outcome is waiting to be written. */
  pendingOf(jobIds: string[]): number[] {
    if (!this.pending.size) return [];
    return jobIds.flatMap((id) => [...(this.pending.get(id) ?? [])]);
  }

  /** From now on a write that fails is given up on instead of retried (the engine has stopped). */
  close(): void {
    this.closed = true;
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length) {
      const batch = this.queue.splice(0, CHUNK);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async write(batch: Entry[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await writeOutcomes(this.db, batch.map((e) => e.run));
        for (const e of batch) e.resolve();
        return;
      } catch (err) {
        const transient = isTransientDbError(err);
        if (!transient && batch.length > 1) {
          // One bad row must not hold back the others: write each on its own.
          await Promise.all(batch.map((e) => this.write([e])));
          return;
        }
        const ids = batch.map((e) => e.run.executionId).join(', ');
        if (this.closed || (!transient && attempt >= MAX_NON_TRANSIENT_ATTEMPTS)) {
          this.log.error(`could not record execution(s) ${ids}; recovery will mark them: ${coerceError(err).message}`, err);
          for (const e of batch) e.resolve();
          return;
        }
        if (attempt === 1) this.log.warn(`could not record execution(s) ${ids}; retrying until the database answers: ${coerceError(err).message}`);
        await new Promise((r) => setTimeout(r, Math.min(10_000, 250 * 2 ** attempt)));
      }
    }
  }
}

/** The outcome columns written, and how each is read off a finished run. */
const OUTCOME_COLUMNS: Array<[string, (r: FinishedRun) => unknown]> = [
  ['status', (r) => r.outcome.status],
  ['started_at', (r) => r.startedAt],
  ['finished_at', (r) => r.outcome.finishedAt],
  ['duration_ms', (r) => r.outcome.durationMs],
  ['error', (r) => r.outcome.error],
  ['stack', (r) => r.outcome.stack],
  ['log', (r) => r.outcome.log || null],
  ['result', (r) => r.outcome.result],
];

/** What makes two column values the same (Dates compare by instant). */
const sameness = (v: unknown) => (v instanceof Date ? v.getTime() : v);

/** Ids further apart than this start a new statement (the ELT lists below stay short). */
const MAX_ID_GAP = 4;

/**
 * The outcome UPDATEs of the runs: one single-table UPDATE per stretch of nearby execution ids
 * (the runs of one claim have consecutive ids). A column whose value differs between rows is
 * picked with `ELT(id - base, v1, v2, …)`, a direct index into the stretch's values, so the
 * database does one primary-key lookup per row and no join: a multi-table UPDATE joined with a
 * derived table of the values (one SELECT per row, UNION ALL) costs about three times as much
 * CPU, and a CASE per column compares every row with every id.
 */
export function outcomeStatements(runs: FinishedRun[]): Array<{ sql: string; values: unknown[] }> {
  const sorted = [...runs].sort((a, b) => a.executionId - b.executionId);
  const stretches: FinishedRun[][] = [];
  for (const r of sorted) {
    const last = stretches.at(-1);
    if (last && r.executionId - last.at(-1)!.executionId <= MAX_ID_GAP) last.push(r);
    else stretches.push([r]);
  }
  return stretches.map((stretch) => {
    const base = stretch[0].executionId;
    const span = stretch.at(-1)!.executionId - base + 1;
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [column, read] of OUTCOME_COLUMNS) {
      const first = sameness(read(stretch[0]));
      if (stretch.every((r) => sameness(read(r)) === first)) {
        sets.push(`${column} = ?`);
        values.push(read(stretch[0]));
        continue;
      }
      const slots: unknown[] = new Array(span).fill(null);
      for (const r of stretch) slots[r.executionId - base] = read(r);
      sets.push(`${column} = ELT(id - ?, ?)`);
      values.push(base - 1, slots);
    }
    values.push(stretch.map((r) => r.executionId));
    return { sql: `UPDATE job_executions FORCE INDEX (PRIMARY) SET ${sets.join(', ')} WHERE id IN (?)`, values };
  });
}

/** The jobs' columns written with each batch: runs off the count, and the newest outcome noted. */
const JOB_COLUMNS = ['id', 'released', 'execution_id', 'status', 'at'];
const FIRST_JOB = `SELECT ${JOB_COLUMNS.map((c) => `? AS ${c}`).join(', ')}`;
const NEXT_JOB = ` UNION ALL SELECT ${JOB_COLUMNS.map(() => '?').join(', ')}`;
/** Each job's newest outcome becomes its "last run" unless a newer execution is noted there already. */
const NEWER = 'v.execution_id >= COALESCE(j.last_execution_id, 0)';

/**
 * The UPDATE of `count` jobs, joined on the primary key with a derived table of the values (their
 * keys are strings, so outcomeStatements' ELT does not apply). Each condition stays true
 * once last_execution_id is set to the row's id, so it holds whatever order the assignments run in.
 */
function jobsSql(count: number): string {
  return `UPDATE jobs j JOIN (${FIRST_JOB}${NEXT_JOB.repeat(count - 1)}) v ON j.id = v.id
     SET j.running_count = GREATEST(j.running_count - v.released, 0),
         j.last_status = IF(${NEWER}, v.status, j.last_status),
         j.last_run_at = IF(${NEWER}, v.at, j.last_run_at),
         j.last_execution_id = IF(${NEWER}, v.execution_id, j.last_execution_id)`;
}

/**
 * Writes outcomes in one transaction: locks the rows still `running` (the runs whose slot this
 * frees: one interrupted meanwhile by recovery has been taken off its job's count already), the
 * UPDATEs of the rows by primary key (outcomeStatements), then one UPDATE of their jobs (counts and
 * last runs). A row that is gone (its job was deleted) is simply not updated.
 */
export async function writeOutcomes(db: Db, runs: FinishedRun[]): Promise<void> {
  if (!runs.length) return;
  const newest = new Map<string, FinishedRun>();
  for (const r of runs) if ((newest.get(r.jobId)?.executionId ?? 0) < r.executionId) newest.set(r.jobId, r);
  // READ COMMITTED: the join reads take no gap locks, so a record never blocks a claim's inserts.
  await rawTransaction(db, 'READ COMMITTED', async (conn) => {
    const released = countByJob(await lockRunning(conn, runs.map((r) => r.executionId)));
    for (const statement of outcomeStatements(runs)) await rawQuery(conn, statement.sql, statement.values);
    const jobValues = [...newest.values()].flatMap((r) => [r.jobId, released.get(r.jobId) ?? 0, r.executionId, r.outcome.status, r.outcome.finishedAt]);
    await rawQuery(conn, jobsSql(newest.size), jobValues);
  });
}
