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

/** The outcome columns written, in the order of each row's values. */
const OUTCOME_COLUMNS = ['status', 'started_at', 'finished_at', 'duration_ms', 'error', 'stack', 'log', 'result'];
const FIRST_ROW = `SELECT ? AS id, ${OUTCOME_COLUMNS.map((c) => `? AS ${c}`).join(', ')}`;
const NEXT_ROW = ` UNION ALL SELECT ${['id', ...OUTCOME_COLUMNS].map(() => '?').join(', ')}`;

/**
 * The UPDATE of `count` rows: joined on the primary key with a derived table of the new values,
 * so the database does one key lookup per row (a CASE per column would compare every row with
 * every id, and an INSERT … ON DUPLICATE KEY UPDATE takes gap locks on the fire key that
 * deadlock with claims inserting the next fires).
 */
function outcomeSql(count: number): string {
  return `UPDATE job_executions e JOIN (${FIRST_ROW}${NEXT_ROW.repeat(count - 1)}) v ON e.id = v.id
     SET ${OUTCOME_COLUMNS.map((c) => `e.${c} = v.${c}`).join(', ')}`;
}

/** The jobs' columns written with each batch: runs off the count, and the newest outcome noted. */
const JOB_COLUMNS = ['id', 'released', 'execution_id', 'status', 'at'];
const FIRST_JOB = `SELECT ${JOB_COLUMNS.map((c) => `? AS ${c}`).join(', ')}`;
const NEXT_JOB = ` UNION ALL SELECT ${JOB_COLUMNS.map(() => '?').join(', ')}`;
/** Each job's newest outcome becomes its "last run" unless a newer execution is noted there already. */
const NEWER = 'v.execution_id >= COALESCE(j.last_execution_id, 0)';

/**
 * The UPDATE of `count` jobs, joined on the primary key like outcomeSql. Each condition stays true
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
 * frees: one interrupted meanwhile by recovery has been taken off its job's count already), one
 * UPDATE of the rows by primary key, then one UPDATE of their jobs (counts and last runs). A row
 * that is gone (its job was deleted) is simply not updated.
 */
export async function writeOutcomes(db: Db, runs: FinishedRun[]): Promise<void> {
  if (!runs.length) return;
  const newest = new Map<string, FinishedRun>();
  for (const r of runs) if ((newest.get(r.jobId)?.executionId ?? 0) < r.executionId) newest.set(r.jobId, r);
  const values = runs.flatMap((r) => {
    const o = r.outcome;
    return [r.executionId, o.status, r.startedAt, o.finishedAt, o.durationMs, o.error, o.stack, o.log || null, o.result];
  });
  // READ COMMITTED: the join reads take no gap locks, so a record never blocks a claim's inserts.
  await rawTransaction(db, 'READ COMMITTED', async (conn) => {
    const released = countByJob(await lockRunning(conn, runs.map((r) => r.executionId)));
    await rawQuery(conn, outcomeSql(runs.length), values);
    const jobValues = [...newest.values()].flatMap((r) => [r.jobId, released.get(r.jobId) ?? 0, r.executionId, r.outcome.status, r.outcome.finishedAt]);
    await rawQuery(conn, jobsSql(newest.size), jobValues);
  });
}
