import { rawQuery, rowMapper, type RawConnection } from '../db/raw';
import { jobs, type JobRow } from '../db/schema';

/**
 * How a claim reads the jobs it locks: the columns claims change on every fire, and the whole row
 * only for a job whose definition this engine has not seen yet (JobDefinitions).
 */

const jobRows = rowMapper(jobs);

/** How a job's definition is told apart from its earlier versions (see JobDefinitions). */
const FINGERPRINT = "CONCAT_WS(' ', version, created_at, updated_at, CRC32(CONCAT_WS(' ', task, args, `trigger`, options))) AS fingerprint";

/** Milliseconds since the epoch of a UTC DATETIME column, as a number (no Date parsed per row). */
const epochMs = (column: string) => `TIMESTAMPDIFF(MICROSECOND, '1970-01-01', ${column}) DIV 1000 AS ${column}`;

/** The columns of a job that claims need fresh: read on every claim. */
const HOT_COLUMNS = `id, ${epochMs('next_run_at')}, running_count, ${epochMs('lease_at')}`;

/** A due job as a claim reads it: its definition, and the columns claims change as they are now. */
export interface DueJob {
  /** As last read in full (JobDefinitions): its own state, next fire, counts and last run may be older. */
  job: JobRow;
  nextRunAt: Date;
  runningCount: number;
  /** Its lease's fire instant in ms (slots.ts), or null. */
  leaseAt: number | null;
}

/** Entries kept at most (beyond, the cache starts again: jobs deleted long ago leave it so). */
const MAX_DEFINITIONS = 100_000;

/**
 * The jobs an engine has claimed, each as last read in full, by a fingerprint of its definition:
 * its version, creation and update times (every edit bumps the version and the update time; a job
 * deleted and created again has a new creation time) and a checksum of its task, arguments,
 * trigger and options (for a job made again within the same millisecond). A claim reads the
 * columns claims change on every fire, and the whole row only for a job it has not seen in this
 * version: parsing three JSON columns and six dates per fire was about a tenth of the engine's CPU.
 */
export class JobDefinitions {
  private readonly rows = new Map<string, { fingerprint: string; row: JobRow }>();

  /** The job as last read, if its definition is still the one of `fingerprint`. */
  get(id: string, fingerprint: string): JobRow | undefined {
    const entry = this.rows.get(id);
    return entry?.fingerprint === fingerprint ? entry.row : undefined;
  }

  set(id: string, fingerprint: string, row: JobRow): void {
    if (this.rows.size >= MAX_DEFINITIONS && !this.rows.has(id)) this.rows.clear();
    this.rows.set(id, { fingerprint, row });
  }
}

/**
 * Reads and locks the due jobs among `jobIds`: the hot columns, and the whole row of the jobs whose
 * definition is not known in this version. The definitions are shared between claims, not copied.
 */
export async function lockDueJobs(conn: RawConnection, jobIds: string[], horizon: Date, definitions: JobDefinitions): Promise<DueJob[]> {
  const hot = await rawQuery<Array<{ id: string; next_run_at: number; running_count: number; lease_at: number | null; fingerprint: string }>>(
    conn,
    `SELECT ${HOT_COLUMNS}, ${FINGERPRINT} FROM jobs FORCE INDEX (PRIMARY)
      WHERE id IN (?) AND state = 'active' AND next_run_at <= ? FOR UPDATE SKIP LOCKED`,
    [jobIds, horizon],
  );
  const unknown = hot.filter((h) => !definitions.get(h.id, h.fingerprint)).map((h) => h.id);
  if (unknown.length) {
    // The rows are locked by this transaction: nobody changes them between the two reads.
    const full = await rawQuery<Array<Record<string, unknown> & { fingerprint: string }>>(
      conn,
      `SELECT ${jobRows.columns}, ${FINGERPRINT} FROM jobs FORCE INDEX (PRIMARY) WHERE id IN (?)`,
      [unknown],
    );
    for (const f of full) {
      const row = jobRows.map(f);
      definitions.set(row.id, f.fingerprint, row);
    }
  }
  const due: DueJob[] = [];
  for (const h of hot) {
    const job = definitions.get(h.id, h.fingerprint);
    if (job) {
      due.push({ job, nextRunAt: new Date(Number(h.next_run_at)), runningCount: Number(h.running_count), leaseAt: h.lease_at === null ? null : Number(h.lease_at) });
    }
  }
  return due;
}
