import { and, like, or, sql, type SQL } from 'drizzle-orm';
import { jobs } from '../db/schema';
import { onJobsChanged } from './context';
import { hasWordStartingWith } from './job-words';

/**
 * The jobs list's search (`q`), made to stay fast at 100,000 jobs: an infix LIKE would read every
 * row, so words are looked up in the word table job_words (job-words.ts), and common words are
 * checked row by row while the list walks its sort index (see list-search.ts, which picks the
 * way). Both ways apply the same rule, so the set and order of the results never depend on which
 * way was taken.
 *
 * What matches: the search is split into words (letters, digits and `_`; anything else separates
 * them). A job matches when every word begins a word of its name, or every word begins a word of
 * its id ("back" finds "Nightly backup", "inv acme" finds "Sync invoices acme", "nightly-07" finds
 * the id "nightly-07-eu"; "voice" does not find "invoices"). Case and accents are ignored (as the
 * collation compares). Words of names and ids longer than 84 characters are not found, so neither
 * is anything by a search word that long. A search without any word ("#", "--") matches the names
 * and ids that start with it, as typed (index ranges).
 *
 * (Until migration 0010 words under 3 characters and stop words were not looked up, the rules of
 * the FULLTEXT index the search used before migration 0009; the word table holds every word.)
 */

/** Longest word found (InnoDB's full-text default, which job_words keeps: see db/job-words.ts). */
const MAX_WORD = 84;

/** A parsed search. */
export interface JobSearchPlan {
  /** Its words, lower case, each once (every one must begin a word of the same name or id). */
  words: string[];
  /** False when a word is longer than MAX_WORD characters: then nothing matches. */
  findable: boolean;
}

/** Splits a search into words the way job_words splits names and ids (job-words.ts). */
export function planJobSearch(text: string): JobSearchPlan {
  // Split first, then lower-cased: "İ" lower-cases to "i" and a combining dot, which is no
  // letter and would split the word (the dot is dropped: the collation compares "İ" as "i").
  const words = [...new Set(text.split(/[^\p{L}\p{N}_]+/u).map((w) => w.toLowerCase().replace(/i\u0307/g, 'i')).filter(Boolean))];
  return { words, findable: words.every((w) => [...w].length <= MAX_WORD) };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Characters of a word; anything else separates words. */
const WORD_CHAR = '[\\p{L}\\p{N}_]';
const NOT_WORD_CHAR = '[^\\p{L}\\p{N}_]';

type SearchColumn = typeof jobs.name | typeof jobs.id;

/**
 * "`word` (at most MAX_WORD characters) begins a word of `column` of at most MAX_WORD
 * characters", case and accents ignored as the collation ignores them. The accents need LIKE
 * (REGEXP compares them): LIKE on the column with every run of separators made one space (and
 * over-long words removed), an expensive REGEXP_REPLACE that is only reached when a cheap check
 * cannot decide — for a word and a column both in ASCII, a REGEXP finds the word's start directly.
 */
function beginsWord(column: SearchColumn, word: string): SQL {
  const rest = MAX_WORD - [...word].length;
  const normalized = sql`CONCAT(' ', REGEXP_REPLACE(${column}, ${`${WORD_CHAR}{${MAX_WORD + 1},}|${NOT_WORD_CHAR}+`}, ' '))`;
  const byLike = sql`${normalized} LIKE ${`% ${escapeLike(word)}%`}`;
  const contains = like(column, `%${escapeLike(word)}%`);
  if (/[^\x00-\x7f]/.test(word)) return and(contains, byLike)!;
  const start = `(?i)(^|${NOT_WORD_CHAR})${word}(?=${WORD_CHAR}{0,${rest}}(?!${WORD_CHAR}))`;
  return and(contains, or(sql`${column} REGEXP ${start}`, and(sql`${column} REGEXP ${'[^\\x{00}-\\x{7f}]'}`, byLike)))!;
}

/**
 * The row-by-row condition of a search of words (see the module comment), without the word
 * table: what a walk along the sort order checks. FALSE when a word is too long to be found.
 */
export function jobSearchFilter({ words, findable }: JobSearchPlan): SQL {
  if (!findable) return sql`FALSE`;
  const inField = (column: SearchColumn) => and(...words.map((w) => beginsWord(column, w)))!;
  return or(inField(jobs.name), inField(jobs.id))!;
}

/**
 * The lookup of a search of words in the word table: jobs with, for each word, a word of name or
 * id that begins with it. Every job the search matches is among them (so a lookup followed by
 * {@link jobSearchFilter} finds exactly the matches).
 */
export function jobSearchLookup({ words, findable }: JobSearchPlan): SQL {
  if (!findable) return sql`FALSE`;
  return and(...words.map(hasWordStartingWith))!;
}

/** The condition of a search without any word ("#", "--"): names and ids that start with it, as typed (index ranges). */
export function jobSearchPrefix(text: string): SQL {
  const prefix = `${escapeLike(text)}%`;
  return or(like(jobs.name, prefix), like(jobs.id, prefix))!;
}

/** How long a list (a search, or filters alone) is remembered as having more matches than the list counts (see {@link CrowdedLists}). */
export const CROWDED_LIST_TTL_MS = 30_000;
/** Lists remembered at most, per database (the memory starts again when full). */
const CROWDED_LIST_LIMIT = 1000;

/**
 * Lists of the jobs table (a search or filters, keyed by the caller) recently found to have more
 * matches than the jobs list counts, per database, with when that was seen. For
 * CROWDED_LIST_TTL_MS such a list's total is the cap ("10,000+", "500+") without counting again,
 * and a search skips its lookup and is walked at once; counting 10,001 jobs takes about 4.5 ms on a slow machine, a third of an
 * unfiltered page's time. The jobs page reloads its list every 4 s, and paging repeats the list's
 * count. The page read is the same either way (the walk checks every row); only the capped total
 * can be up to that old, and only after changes made elsewhere: a change made through this
 * process forgets every list.
 */
export class CrowdedLists {
  private byDb = new WeakMap<object, Map<string, number>>();

  constructor() {
    // A change made here (a bulk delete, say) may take a list under its cap: forget them all.
    onJobsChanged(() => {
      this.byDb = new WeakMap();
    });
  }

  /** Whether `key` was found crowded on `db` less than CROWDED_LIST_TTL_MS before `now`. */
  has(db: object, key: string, now: number): boolean {
    const seen = this.byDb.get(db)?.get(key);
    return seen !== undefined && now - seen >= 0 && now - seen < CROWDED_LIST_TTL_MS;
  }

  /** Notes that `key` has just been found crowded on `db`. */
  add(db: object, key: string, now: number): void {
    let seen = this.byDb.get(db);
    if (!seen) this.byDb.set(db, (seen = new Map()));
    if (seen.size >= CROWDED_LIST_LIMIT) seen.clear();
    seen.set(key, now);
  }
}
