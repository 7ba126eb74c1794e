import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { WORD_IN_ID, WORD_IN_NAME } from '../db/job-words';
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

/** Longest list of a word's entries read whole to intersect (see searchCandidates): a fifth of 100,000 jobs. */
const LIST_CAP = 20_000;

/** Words of a search whose lists are read at most (the longest ones). */
const MAX_LISTS = 4;

/** A word of both the name and the id. */
const BOTH_FIELDS = WORD_IN_NAME | WORD_IN_ID;

/** A word's jobs: for each, where its words that begin with the search word are (WORD_IN_NAME | WORD_IN_ID). */
type WordList = { fields: ReadonlyMap<string, number>; known: boolean };

/**
 * Every job holding a word that begins with `word`, with where those words are; `known` false
 * when some entry predates migration 0010 (taken as in both fields). Null when there are more
 * than LIST_CAP entries (then not read whole).
 */
async function allJobsWithWord(db: Db, word: string): Promise<WordList | null> {
  const rows = await rawPoolQuery<Array<{ job_id: string; fields: number }>>(db, 'SELECT job_id, fields FROM job_words WHERE word LIKE ? LIMIT ?', [prefixOf(word), LIST_CAP + 1]);
  if (rows.length > LIST_CAP) return null;
  const fields = new Map<string, number>();
  let known = true;
  for (const { job_id, fields: f } of rows) {
    if (!f) known = false;
    fields.set(job_id, (fields.get(job_id) ?? 0) | (f || BOTH_FIELDS));
  }
  return { fields, known };
}

/** Job ids (and lists) kept in word lists and their intersections at most, per database (about 25 MB); past it they start again. */
const KEPT_IDS = 300_000;

/**
 * Words' job lists (allJobsWithWord) kept between searches, per database, for as long as
 * job_words_version is unchanged: every write of words raises it (db/job-words.ts), so a list is
 * never older than the words. (A list may hold jobs deleted since: a page read among them finds
 * no row for those, and the count of a search is never taken from a kept list.) The jobs page
 * reloads its list every few seconds, and paging repeats a search: reading two words' lists
 * again is most of a two-word search's time, and intersecting them again about a millisecond,
 * so the intersections are kept too.
 */
class WordLists {
  private byDb = new WeakMap<object, { version: number; lists: Map<string, WordList | null>; found: Map<string, Candidates | undefined>; ids: number }>();

  /** The lists and intersections of `db` at `version` (forgetting those of another version). */
  at(db: object, version: number) {
    let kept = this.byDb.get(db);
    if (!kept || kept.version !== version || kept.ids > KEPT_IDS) this.byDb.set(db, (kept = { version, lists: new Map(), found: new Map(), ids: 0 }));
    return kept;
  }
}

const wordLists = new WordLists();

/** The words' version (see WordLists), or undefined when its row is missing (then nothing is kept). */
async function wordsVersion(db: Db): Promise<number | undefined> {
  const [row] = await rawPoolQuery<Array<{ version: number }>>(db, 'SELECT version FROM job_words_version WHERE id = 1');
  return row ? Number(row.version) : undefined;
}

/** The jobs that may match a search (searchCandidates); `exact`: they are its matches. */
export interface Candidates {
  ids: string[];
  exact: boolean;
}

/**
 * The jobs that may match a search of `words` (each must begin a word of the job's name, or
 * each one of its id): every match is among them. Undefined when they are not known: one word
 * held by more than `cap` jobs, or several words each held by more than LIST_CAP entries. One
 * word's jobs are read up to `cap` + 1 (about 1 ms for a word in 5 % of 100,000 jobs) and are its
 * matches. Several words' lists are read whole side by side, or taken from those kept since the
 * words last changed (WordLists), and intersected (about 4 ms for two words in 3–5 % when read,
 * under 1 ms when kept), field by field: they are the matches (`exact`) unless a list was too
 * long to read, or holds words written before migration 0010 — or but for jobs deleted since a
 * kept list was read (a deletion does not change the words' version), which a count of their
 * rows leaves out.
 */
export async function searchCandidates(db: Db, words: string[], cap: number): Promise<Candidates | undefined> {
  if (words.length === 1) {
    const ids = await jobsWithWord(db, words[0], cap + 1);
    return ids.length <= cap ? { ids, exact: true } : undefined;
  }
  const version = await wordsVersion(db);
  const kept = version === undefined ? undefined : wordLists.at(db, version);
  const key = JSON.stringify([...words].sort());
  if (kept?.found.has(key)) return kept.found.get(key);
  // A long search reads the lists of its longest words only (then its rows are checked).
  const looked = words.length > MAX_LISTS ? [...words].sort((a, b) => b.length - a.length).slice(0, MAX_LISTS) : words;
  const read = await Promise.all(
    looked.map(async (w) => {
      const known = kept?.lists.get(w);
      if (known !== undefined) return known;
      const list = await allJobsWithWord(db, w);
      if (kept) {
        kept.lists.set(w, list);
        kept.ids += 1 + (list?.fields.size ?? 0);
      }
      return list;
    }),
  );
  const found = intersect(read, words.length);
  if (kept) {
    kept.found.set(key, found);
    kept.ids += 1 + (found?.ids.length ?? 0);
  }
  return found;
}

/** The jobs in every list that is known, in one field for all (see searchCandidates). */
function intersect(read: Array<WordList | null>, words: number): Candidates | undefined {
  const lists = read.filter((l) => l !== null);
  if (!lists.length) return undefined;
  const [first, ...others] = lists.sort((a, b) => a.fields.size - b.fields.size);
  const ids: string[] = [];
  for (const [id, fields] of first.fields) {
    let common = fields;
    for (const other of others) common &= other.fields.get(id) ?? 0;
    if (common) ids.push(id);
  }
  return { ids, exact: lists.length === words && lists.every((l) => l.known) };
}
