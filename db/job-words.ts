import { sql } from 'drizzle-orm';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import mysql from 'mysql2';
import { dbErrorCode } from './client';

/**
 * The search's word table (job_words, migration 0009): every word of each job's name and id, so
 * that a search word is found as a prefix range of its primary key (word, job_id, pos).
 * Cronboard's own writes keep it: createJob and updateJob (scheduler/jobs.ts) write a job and its
 * words in one transaction, and the foreign key removes a deleted job's words. Every write of
 * words raises job_words_version, which tells a process when the word lists it keeps are stale. A job written by
 * SQL outside Cronboard is indexed when a process starts (indexUnindexedJobs, which also fills
 * the table once migration 0009 has made it); a rename made that way is not seen by the search
 * until the job is renamed or replaced through Cronboard.
 *
 * A word is a run of letters, digits and `_` (as the search splits its text,
 * scheduler/job-search.ts) of at most 84 characters (longer ones are not found, as the search
 * says), stored as written: the column's collation (utf8mb4_unicode_ci) ignores case and accents
 * when a search compares, as the search's own check on the row does. Each says whether it is in
 * the name, the id or both (`fields`, since migration 0010), since a search's words must all be
 * in the same one.
 */

/** Longest word kept (InnoDB's full-text limit, which the search's rules keep: see scheduler/job-search.ts). */
const MAX_WORD = 84;
/** Jobs indexed per statement when many are (a process start after migration 0009). */
const BATCH = 1000;
/** A batch that deadlocks (with an engine's claims, say) is tried again this often. */
const DEADLOCK_RETRIES = 3;

/** A word of the name (job_words.fields). */
export const WORD_IN_NAME = 1;
/** A word of the id (job_words.fields); a word of both is WORD_IN_NAME | WORD_IN_ID. */
export const WORD_IN_ID = 2;

/** A job's word as job_words holds it: as written, and where it is (WORD_IN_NAME, WORD_IN_ID or both). */
export interface JobWord {
  word: string;
  fields: number;
}

/**
 * The words of a job's name and id as written, each once whatever its case (spelled as first
 * seen, name first), with where it is, at most MAX_WORD characters.
 */
export function jobWordsOf(job: { id: string; name: string }): JobWord[] {
  const byCase = new Map<string, JobWord>();
  const add = (text: string, field: number) => {
    for (const word of text.split(/[^\p{L}\p{N}_]+/u)) {
      if (!word || [...word].length > MAX_WORD) continue;
      const known = byCase.get(word.toLowerCase());
      if (known) known.fields |= field;
      else byCase.set(word.toLowerCase(), { word, fields: field });
    }
  };
  add(job.name, WORD_IN_NAME);
  add(job.id, WORD_IN_ID);
  return [...byCase.values()];
}

/**
 * The isolation of a transaction that writes a job with its words: READ COMMITTED. At REPEATABLE
 * READ, indexJobWords' DELETE locks the gaps beside a job's words in the (job_id, fields) index, and two
 * renames of neighbouring jobs, each inserting into the gap the other locked, deadlock.
 */
export const WORDS_ISOLATION = 'read committed' as const;

/** Something that runs a statement: the pool's Drizzle handle or a transaction's. */
type Executor = Pick<MySql2Database<Record<string, unknown>>, 'execute'>;

/** Deletes the words of `jobs`. */
async function deleteWordsOf(db: Executor, jobs: Array<{ id: string }>): Promise<void> {
  await db.execute(sql`DELETE FROM job_words WHERE job_id IN (${sql.join(jobs.map((j) => sql`${j.id}`), sql`, `)})`);
}

/** Indexes the words of `jobs` anew (after a create, a replace or a rename); `fresh`: they have none yet. In a transaction, run it at WORDS_ISOLATION. */
export async function indexJobWords(db: Executor, jobs: Array<{ id: string; name: string }>, { fresh = false }: { fresh?: boolean } = {}): Promise<void> {
  if (!jobs.length) return;
  if (!fresh) await deleteWordsOf(db, jobs);
  const rows = jobs.flatMap((j) => jobWordsOf(j).map(({ word, fields }, pos) => [word, j.id, pos, fields]));
  // IGNORE: two processes starting at once may index the same job (indexUnindexedJobs). Escaped
  // by mysql2 into one statement: a thousand jobs' words as query-builder parameters took most
  // of a start's indexing time.
  if (rows.length) await db.execute(sql.raw(mysql.format('INSERT IGNORE INTO job_words (word, job_id, pos, fields) VALUES ?', [rows])));
  // New words: the lists processes keep between searches are stale (scheduler/job-words.ts). A
  // deletion needs no bump: a list holding a deleted job finds no row for it. (Upserted, so a
  // missing row comes back.) Writes of words queue here, each from its bump to its commit: the
  // bump is the last statement of the services' transactions, so that is about a millisecond.
  await db.execute(sql`INSERT INTO job_words_version (id, version) VALUES (1, 1) ON DUPLICATE KEY UPDATE version = version + 1`);
}

/** "The job `j` has no words that say where they are": none at all, or only some written before migration 0010. */
const NO_KNOWN_WORDS = sql`NOT EXISTS (SELECT 1 FROM job_words w WHERE w.job_id = j.id AND w.fields <> 0)`;

/**
 * Indexes the jobs that have no words yet, or only words written before migration 0010 (which
 * do not say whether they are in the name or the id): ones written by SQL outside Cronboard, and
 * every job once migration 0009 or 0010 has run. Run when a process starts, after the migrations
 * (not under their lock: a big table takes a while, 20–30 s for 100,000 jobs), in batches of
 * its own; returns how many jobs it indexed. (A job whose name and id hold no word is read again
 * at each start, and indexes nothing.)
 */
export async function indexUnindexedJobs(db: MySql2Database<Record<string, unknown>>): Promise<number> {
  let indexed = 0;
  for (let after = ''; ; ) {
    const [found] = (await db.execute(
      sql`SELECT j.id FROM jobs j WHERE j.id > ${after} AND ${NO_KNOWN_WORDS} ORDER BY j.id LIMIT ${BATCH}`,
    )) as unknown as [Array<{ id: string }>];
    if (!found.length) return indexed;
    for (let attempt = 1; ; attempt++) {
      try {
        // Read again, locked, with the names of now: a job renamed or indexed meanwhile through
        // Cronboard keeps the words it was given. Words and version are committed together.
        indexed += await db.transaction(async (tx) => {
          const [rows] = (await tx.execute(
            sql`SELECT j.id, j.name, EXISTS (SELECT 1 FROM job_words w WHERE w.job_id = j.id) AS stale
                  FROM jobs j WHERE j.id IN (${sql.join(found.map((r) => sql`${r.id}`), sql`, `)})
                  AND ${NO_KNOWN_WORDS} LOCK IN SHARE MODE`,
          )) as unknown as [Array<{ id: string; name: string; stale: number }>];
          // Words of before migration 0010 go; the new ones are written as for jobs without words.
          const stale = rows.filter((r) => Number(r.stale));
          if (stale.length) await deleteWordsOf(tx, stale);
          await indexJobWords(tx, rows, { fresh: true });
          return rows.length;
        }, { isolationLevel: WORDS_ISOLATION });
        break;
      } catch (err) {
        if (dbErrorCode(err) !== 'ER_LOCK_DEADLOCK' || attempt > DEADLOCK_RETRIES) throw err;
      }
    }
    after = found[found.length - 1].id;
  }
}
