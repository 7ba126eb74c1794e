import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { rawPoolQuery } from '../db/raw';
import { jobs } from '../db/schema';

/**
 * Search lookups in the word table job_words (written by db/job-words.ts): a search word is found
 * as a prefix range of its primary key (word, job_id, pos), about 1 ms for a word in 5 % of
 * 100,000 jobs, where the FULLTEXT index it replaces (migration 0009) took 5–8 ms.
 */

const prefixOf = (word: string) => `${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** "A word of the job's name or id begins with `word`" (case and accents ignored), as a condition over `jobs`. */
export function hasWordStartingWith(word: string): SQL {
  return sql`${jobs.id} IN (SELECT w.job_id FROM job_words w WHERE w.word LIKE ${prefixOf(word)})`;
}

/** The jobs holding a word that begins with `word`, at most `limit` of them (a prefix range of the primary key). */
async function jobsWithWord(db: Db, word: string, limit: number): Promise<string[]> {
  const rows = await rawPoolQuery<Array<{ job_id: string }>>(db, 'SELECT DISTINCT job_id FROM job_words WHERE word LIKE ? LIMIT ?', [prefixOf(word), limit]);
  return rows.map((r) => r.job_id);
}

/** Longest list of a word's jobs read whole to intersect (see searchCandidates): 10 % of 100,000 jobs. */
const LIST_CAP = 10_000;

/** Every job holding a word that begins with `word`, or undefined when more than LIST_CAP entries (then not read whole). */
async function allJobsWithWord(db: Db, word: string): Promise<Set<string> | undefined> {
  const rows = await rawPoolQuery<Array<{ job_id: string }>>(db, 'SELECT job_id FROM job_words WHERE word LIKE ? LIMIT ?', [prefixOf(word), LIST_CAP + 1]);
  return rows.length > LIST_CAP ? undefined : new Set(rows.map((r) => r.job_id));
}

/**
 * The jobs that may match a search of `words` (each must begin a word of the job): every match
 * is among them, and the search's own check on the rows does the rest. Undefined when they are
 * not known: one word held by more than `cap` jobs, or several words each held by more than
 * LIST_CAP. One word's jobs are read up to `cap` + 1 (about 1 ms for a word in 5 % of 100,000
 * jobs); several words' lists are read whole side by side and intersected (about 4 ms for two
 * words in 3–5 %; a rare word's list is short).
 */
export async function searchCandidates(db: Db, words: string[], cap: number): Promise<string[] | undefined> {
  if (words.length === 1) {
    const ids = await jobsWithWord(db, words[0], cap + 1);
    return ids.length <= cap ? ids : undefined;
  }
  const lists = (await Promise.all(words.map((w) => allJobsWithWord(db, w)))).filter((l) => l !== undefined);
  if (!lists.length) return undefined;
  const [first, ...others] = lists.sort((a, b) => a.size - b.size);
  return [...first].filter((id) => others.every((s) => s.has(id)));
}
