import { rawQuery, sessionOf, SqlInstant, type RawConnection } from '../db/raw';
import { jobExecutions } from '../db/schema';

/** A job_executions row as a claim writes it. */
export type NewExecution = typeof jobExecutions.$inferInsert;

/** Rows per INSERT statement (a coalesce-off catch-up can write many missed rows for one job). */
const INSERT_CHUNK = 1000;

const fireKey = (jobId: string, at: Date, attempt: number | undefined = 1) => `${jobId}\u0000${at.getTime()}\u0000${attempt}`;

const INSERT_COLUMNS = ['jobId', 'scheduledFor', 'attempt', 'status', 'startedAt', 'finishedAt', 'instance', 'error', 'missedCount', 'missedUntil', 'runAfter'] as const;
type InsertColumn = (typeof INSERT_COLUMNS)[number];
const DATE_COLUMNS: ReadonlySet<InsertColumn> = new Set(['scheduledFor', 'startedAt', 'finishedAt', 'missedUntil', 'runAfter']);

/** Whether a chunk's rows need this column (the others take its default: NULL, or attempt 1). */
function needed(chunk: NewExecution[], column: InsertColumn): boolean {
  return column === 'jobId' || column === 'scheduledFor' || column === 'status' || chunk.some((r) => r[column] != null && !(column === 'attempt' && r[column] === 1));
}

/**
 * Inserts the rows and returns their ids, in order. Only the columns some row of a chunk sets are
 * sent (a batch of runs starting needs 5 of the 11), and instants go as shared literals
 * (SqlInstant). MySQL has no INSERT … RETURNING: with the server's auto-increment lock mode 0 or 1
 * and an increment of 1, the rows of one multi-row INSERT get consecutive ids from its insert id
 * (consecutiveIds). Otherwise (lock mode 2, where concurrent inserts interleave) the ids are read
 * back by fire key, one scheduled instant at a time (a row-constructor IN list of hundreds of
 * tuples costs the optimizer far more).
 */
export async function insertWithIds(conn: RawConnection, rows: NewExecution[]): Promise<number[]> {
  const ids: number[] = [];
  const consecutive = await consecutiveIds(conn);
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    const columns = INSERT_COLUMNS.filter((k) => needed(chunk, k));
    const values = chunk.map((r) => columns.map((k) => (DATE_COLUMNS.has(k) ? SqlInstant.of(r[k] as Date | null | undefined) : (r[k] ?? null))));
    const res = await rawQuery(conn, `INSERT INTO job_executions (${columns.map((k) => `\`${jobExecutions[k].name}\``).join(', ')}) VALUES ?`, [values]);
    if (consecutive) {
      for (let k = 0; k < chunk.length; k++) ids.push(res.insertId + k);
      continue;
    }
    ids.push(...(await idsByFireKey(conn, chunk)));
  }
  return ids;
}

/**
 * Whether this session's multi-row INSERTs get consecutive ids: auto-increment lock mode 0 or 1
 * (MariaDB's default) and an increment of 1. Asked once per connection (the increment is a
 * session setting; the lock mode is fixed at server start).
 */
async function consecutiveIds(conn: RawConnection): Promise<boolean> {
  const session = sessionOf(conn);
  let known = consecutiveBySession.get(session);
  if (known === undefined) {
    const [row] = await rawQuery<Array<{ mode: number; inc: number }>>(conn, 'SELECT @@innodb_autoinc_lock_mode AS mode, @@SESSION.auto_increment_increment AS inc');
    known = Number(row.inc) === 1 && (Number(row.mode) === 0 || Number(row.mode) === 1);
    consecutiveBySession.set(session, known);
  }
  return known;
}
const consecutiveBySession = new WeakMap<object, boolean>();

/** The ids of a chunk's rows just inserted, read back by fire key (in the chunk's order). */
async function idsByFireKey(conn: RawConnection, chunk: NewExecution[]): Promise<number[]> {
  const byKey = new Map<string, number>();
  const byInstant = new Map<number, Set<string>>();
  for (const r of chunk) {
    const at = r.scheduledFor.getTime();
    if (!byInstant.has(at)) byInstant.set(at, new Set());
    byInstant.get(at)!.add(r.jobId);
  }
  for (const [at, jobIds] of byInstant) {
    const rowsAt = await rawQuery<Array<{ id: number; job_id: string; attempt: number }>>(
      conn,
      'SELECT id, job_id, attempt FROM job_executions WHERE scheduled_for = ? AND job_id IN (?)',
      [new Date(at), [...jobIds]],
    );
    for (const f of rowsAt) byKey.set(fireKey(f.job_id, new Date(at), f.attempt), Number(f.id));
  }
  return chunk.map((r) => {
    const key = fireKey(r.jobId, r.scheduledFor, r.attempt);
    const id = byKey.get(key);
    if (id === undefined) throw new Error(`the claimed fire ${key.replace(/\u0000/g, ' ')} has no row after its insert`);
    return id;
  });
}
