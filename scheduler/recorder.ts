import { isTransientDbError, type Db } from '../db/client';
import { rawQuery, rawTransaction, SqlInstant } from '../db/raw';
import { coerceError } from '../lib/errors';
import { nearbyRuns } from '../lib/nearby';
import type { EngineLogger } from './log';
import type { Outcome } from './run';
import { countByJob, lockRunning, noteLastStatuses, releaseSlots } from './slots';

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
  /** The run holds its job's lease (slots.ts): its outcome frees no count on the job. */
  leased?: boolean;
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
  /** Counted executions (not leases) whose outcome is known here but not yet written, by job. */
  private readonly pending = new Map<string, Set<number>>();
  private inFlight = 0;
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly log: EngineLogger,
    /** Told of each execution whose outcome has been written (or given up on), before its caller resumes. */
    private readonly onSettled: (executionId: number) => void = () => {},
  ) {}

  /** Queues an outcome; resolves once it is written (or given up on: never rejects). */
  record(run: FinishedRun): Promise<void> {
    if (!run.leased) {
      let ofJob = this.pending.get(run.jobId);
      if (!ofJob) this.pending.set(run.jobId, (ofJob = new Set()));
      ofJob.add(run.executionId);
    }
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
    });
  }

  /** The outcomes are written (or given up on): no longer pending, and their callers go on. */
  private settle(batch: Entry[]): void {
    for (const { run, resolve } of batch) {
      const ofJob = this.pending.get(run.jobId);
      if (ofJob?.delete(run.executionId) && !ofJob.size) this.pending.delete(run.jobId);
      this.onSettled(run.executionId);
      resolve();
    }
  }

  /** The counted executions of these jobs whose run is over and whose outcome is waiting to be written. */
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
        this.settle(batch);
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
          this.settle(batch);
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
  ['started_at', (r) => SqlInstant.of(r.startedAt)],
  ['finished_at', (r) => SqlInstant.of(r.outcome.finishedAt)],
  ['duration_ms', (r) => r.outcome.durationMs],
  ['error', (r) => r.outcome.error],
  ['stack', (r) => r.outcome.stack],
  ['log', (r) => r.outcome.log || null],
  ['result', (r) => r.outcome.result],
];

/** What makes two column values the same (instants compare by their millisecond). */
const sameness = (v: unknown) => (v instanceof SqlInstant ? v.ms : v);

/** Ids further apart than this start a new statement (the ELT lists below stay short). */
const MAX_ID_GAP = 4;

/** The runs in stretches of nearby execution ids, in id order (the runs of one claim have consecutive ids). */
function stretchesOf(runs: FinishedRun[]): FinishedRun[][] {
  const sorted = [...runs].sort((a, b) => a.executionId - b.executionId);
  return nearbyRuns(sorted, (r) => r.executionId, MAX_ID_GAP);
}

/** A stretch's values of one column, by position: `ELT(execution id - (base - 1), …)` picks a run's. */
function byPosition(stretch: FinishedRun[], read: (r: FinishedRun) => unknown): unknown[] {
  const base = stretch[0].executionId;
  const slots: unknown[] = new Array(stretch.at(-1)!.executionId - base + 1).fill(null);
  for (const r of stretch) slots[r.executionId - base] = read(r);
  return slots;
}

/**
 * The outcome UPDATEs of the runs: one single-table UPDATE per stretch of nearby execution ids. A
 * column whose value differs between rows is picked with `ELT(id - (base - 1), v1, v2, …)`, a
 * direct index into the stretch's values, so the database does one primary-key lookup per row and
 * no join: a multi-table UPDATE joined with a derived table of the values (one SELECT per row,
 * UNION ALL) costs about three times as much CPU, and a CASE per column compares every row with
 * every id.
 */
export function outcomeStatements(runs: FinishedRun[], { onlyRunning = false } = {}): Array<{ sql: string; values: unknown[] }> {
  return stretchesOf(runs).map((stretch) => {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [column, read] of OUTCOME_COLUMNS) {
      const first = sameness(read(stretch[0]));
      if (stretch.every((r) => sameness(read(r)) === first)) {
        sets.push(`${column} = ?`);
        values.push(read(stretch[0]));
        continue;
      }
      sets.push(`${column} = ELT(id - ?, ?)`);
      values.push(stretch[0].executionId - 1, byPosition(stretch, read));
    }
    values.push(stretch.map((r) => r.executionId));
    return { sql: `UPDATE job_executions FORCE INDEX (PRIMARY) SET ${sets.join(', ')} WHERE id IN (?)${onlyRunning ? " AND status = 'running'" : ''}`, values };
  });
}

/** Thrown inside the first try of writeOutcomes to roll it back: a row was not `running` any more. */
const NOT_ALL_RUNNING = Symbol('not all running');

/**
 * Writes outcomes in one transaction: the UPDATEs of the rows by primary key (outcomeStatements),
 * then what the jobs need: a counted run (not its job's lease, slots.ts) still `running` frees its
 * slot on its job's count, and each job's newest outcome here becomes its last status where that
 * changes (noteLastStatuses). A lease frees its slot by its row alone, so the usual outcome writes
 * nothing to its job. A run interrupted meanwhile by recovery has been taken off its job's count
 * already, and still gets its real outcome.
 *
 * Usually every row is still `running`, which the outcome UPDATEs' own counts of matched rows show
 * (they match only `running` rows first): then every counted run frees its slot, with no locking
 * read before. Otherwise that try is rolled back and the write is done again knowing which rows
 * are still `running` (read and locked first). A row that is gone (its job was deleted) is simply
 * not updated.
 */
export async function writeOutcomes(db: Db, runs: FinishedRun[]): Promise<void> {
  if (!runs.length) return;
  const newest = new Map<string, FinishedRun>();
  for (const r of runs) if ((newest.get(r.jobId)?.executionId ?? 0) < r.executionId) newest.set(r.jobId, r);
  const statuses = new Map([...newest].map(([jobId, r]) => [jobId, r.outcome.status]));
  const counted = runs.filter((r) => !r.leased);
  // READ COMMITTED: no gap locks, so a record never blocks a claim's inserts.
  try {
    await rawTransaction(db, 'READ COMMITTED', async (conn) => {
      let running = 0;
      for (const statement of outcomeStatements(runs, { onlyRunning: true })) running += (await rawQuery(conn, statement.sql, statement.values)).affectedRows;
      if (running < runs.length) throw NOT_ALL_RUNNING;
      await releaseSlots(conn, countByJob(counted));
      await noteLastStatuses(conn, statuses);
    });
    return;
  } catch (err) {
    if (err !== NOT_ALL_RUNNING) throw err;
  }
  await rawTransaction(db, 'READ COMMITTED', async (conn) => {
    const stillRunning = new Set((await lockRunning(conn, counted.map((r) => r.executionId))).map((r) => r.id));
    for (const statement of outcomeStatements(runs)) await rawQuery(conn, statement.sql, statement.values);
    await releaseSlots(conn, countByJob(counted.filter((r) => stillRunning.has(r.executionId))));
    await noteLastStatuses(conn, statuses);
  });
}
