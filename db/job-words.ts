import { sql } from 'drizzle-orm';
import type { MySql2Database } from 'drizzle-orm/mysql2';

/**
 * The search's word table (job_words, migration 0009): every word of each job's name and id, so
 * that a search word is found as a prefix range of its primary key (word, job_id). Cronboard's
 * own writes keep it (scheduler/jobs.ts: createJob and updateJob index the job in the same transaction; the foreign
 * key removes a deleted job's words). A job written by SQL outside Cronboard is indexed when a
 * process starts (indexUnindexedJobs, after the migrations: it also fills the table once
 * migration 0009 has made it); a rename made that way is not seen by the search until the
 * job is saved through Cronboard.
 *
 * A word is a run of letters, digits and `_` (as the search splits its text, scheduler/job-search.ts), of
 * at most 84 characters (longer ones are not found, as the search says), stored in lower case; the
 * column's collation (utf8mb4_unicode_ci) ignores case and accents when a search compares, as the
 * search's own check does. So for one word the table finds exactly the jobs the search matches.
 */

/** Longest word kept (InnoDB's full-text limit, which the search's rules keep: see scheduler/job-search.ts). */
const MAX_WORD = 84;
/** Jobs indexed per statement when many are (a process start after migration 0009). */
const BATCH = 1000;

/** The words of a job's name and id: lower case, each once, at most MAX_WORD characters. */
export function jobWordsOf(job: { id: string; name: string }): string[] {
  const words = `${job.name} ${job.id}`.toLowerCase().split(/[^\p{L}\p{N}_]+/u);
  return [...new Set(words)].filter((w) => w && [...w].length <= MAX_WORD);
}

/** Something that runs a statement: the pool's Drizzle handle or a transaction's. */
type Executor = Pick<MySql2Database<Record<string, unknown>>, 'execute'>;

/** Indexes the words of `jobs` anew (after a create, a replace or a rename); `fresh`: they have none yet. */
export async function indexJobWords(db: Executor, jobs: Array<{ id: string; name: string }>, { fresh = false }: { fresh?: boolean } = {}): Promise<void> {
  if (!jobs.length) return;
  if (!fresh) await db.execute(sql`DELETE FROM job_words WHERE job_id IN (${sql.join(jobs.map((j) => sql`${j.id}`), sql`, `)})`);
  const rows = jobs.flatMap((j) => jobWordsOf(j).map((w) => sql`(${w}, ${j.id})`));
  // IGNORE: the collation may find two of a job's words equal ("Straße", "strasse").
  if (rows.length) await db.execute(sql`INSERT IGNORE INTO job_words (word, job_id) VALUES ${sql.join(rows, sql`, `)}`);
}

/**
 * Indexes the jobs that have no words yet: ones written by SQL outside Cronboard (every job has
 * one word at least: its id starts with a letter or digit), and every job once migration 0009
 * has made the table. Run when a process starts; returns how many jobs it indexed.
 */
export async function indexUnindexedJobs(db: Executor): Promise<number> {
  let indexed = 0;
  for (let after = ''; ; ) {
    const [rows] = (await db.execute(
      sql`SELECT j.id, j.name FROM jobs j WHERE j.id > ${after} AND NOT EXISTS (SELECT 1 FROM job_words w WHERE w.job_id = j.id) ORDER BY j.id LIMIT ${BATCH}`,
    )) as unknown as [Array<{ id: string; name: string }>];
    if (!rows.length) return indexed;
    await indexJobWords(db, rows, { fresh: true });
    indexed += rows.length;
    after = rows[rows.length - 1].id;
  }
}
