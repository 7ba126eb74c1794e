import { isTransientDbError, type Db } from '../db/client';
import { rawQuery, rawTransaction } from '../db/raw';
import { coerceError } from '../lib/errors';
import { noteLastRunsFromRows } from './batch-claim';
import type { EngineLogger } from './log';
import type { Outcome } from './run';

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
  /** Executions whose outcome is known here but not yet written. */
  private readonly pending = new Set<number>();
  private inFlight = 0;
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly log: EngineLogger,
  ) {}

  /** Queues an outcome; resolves once it is written (or given up on: never rejects). */
  record(run: FinishedRun): Promise<void> {
    this.pending.add(run.executionId);
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
    }).finally(() => this.pending.delete(run.executionId));
  }

  /** True while the outcome of `executionId` is waiting to be written (the run is over). */
  isPending(executionId: number): boolean {
    return this.pending.has(executionId);
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

/**
 * Writes outcomes and the jobs' last-run columns in one transaction: one UPDATE of the rows by
 * primary key, then each job's newest outcome is noted. A row that is gone (its job was deleted)
 * is simply not updated.
 */
export async function writeOutcomes(db: Db, runs: FinishedRun[]): Promise<void> {
  if (!runs.length) return;
  const newest = new Map<string, number>();
  for (const r of runs) newest.set(r.jobId, Math.max(newest.get(r.jobId) ?? 0, r.executionId));
  const values = runs.flatMap((r) => {
    const o = r.outcome;
    return [r.executionId, o.status, r.startedAt, o.finishedAt, o.durationMs, o.error, o.stack, o.log || null, o.result];
  });
  // READ COMMITTED: the join reads take no gap locks, so a record never blocks a claim's inserts.
  await rawTransaction(db, 'READ COMMITTED', async (conn) => {
    await rawQuery(conn, outcomeSql(runs.length), values);
    await noteLastRunsFromRows(conn, [...newest.values()]);
  });
}
