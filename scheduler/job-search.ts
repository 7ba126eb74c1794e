import { and, like, or, sql, type SQL } from 'drizzle-orm';
import { jobs } from '../db/schema';

/**
 * The jobs list's search (`q`), made to stay fast at 100,000 jobs: an infix LIKE would read every
 * row, so words are looked up in the FULLTEXT index jobs_search_ft (name, id) of migration 0004.
 *
 * What matches: the search is split into words (letters, digits and `_`; anything else separates
 * them, as in InnoDB's full-text parser). A job matches when every word begins a word of its name,
 * or every word begins a word of its id ("back" finds "Nightly backup", "inv acme" finds "Sync
 * invoices acme", "nightly-07" finds the id "nightly-07-eu"; "voice" does not find "invoices").
 * Case is ignored, and accents too in words of 3+ characters. The index holds words of 3+
 * characters that are not InnoDB stop words ("for", "the", ...), so at least one such word is
 * needed: a search without one matches the names and ids that start with it, as typed (index
 * ranges). The index finds the candidates; each is then checked field by field.
 */

/** InnoDB's default full-text stop words (INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD): never indexed. */
const STOP_WORDS = new Set(
  'a about an are as at be by com de en for from how i in is it la of on or that the this to was what when where who will with und www'.split(' '),
);
/** innodb_ft_min_token_size and innodb_ft_max_token_size (their defaults). */
const MIN_WORD = 3;
const MAX_WORD = 84;

/** A parsed search: the words the index can find, and every word. */
export interface JobSearchPlan {
  /** Words the FULLTEXT index holds (3 to 84 characters, not stop words), lower case. */
  indexed: string[];
  /** Every word, lower case (each must appear in the same name or id). */
  words: string[];
}

/** Splits a search into words the way InnoDB's full-text parser splits names and ids. */
export function planJobSearch(text: string): JobSearchPlan {
  const words = [...new Set(text.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter(Boolean))];
  const indexed = words.filter((w) => [...w].length >= MIN_WORD && [...w].length <= MAX_WORD && !STOP_WORDS.has(w));
  return { indexed, words };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The WHERE condition of a search (see the module comment). */
export function jobSearchCondition(text: string): SQL {
  const plan = planJobSearch(text);
  if (plan.indexed.length === 0) {
    const prefix = `${escapeLike(text)}%`;
    return or(like(jobs.name, prefix), like(jobs.id, prefix))!;
  }
  // Boolean mode: "+word*" = must contain a word starting with it. Words hold no operators.
  const against = plan.indexed.map((w) => `+${w}*`).join(' ');
  // In one field: an indexed word (known to start a word of name or id) must be in it (LIKE, so
  // accents are ignored as the index ignores them); any other word must start one of its words.
  const indexed = new Set(plan.indexed);
  const inField = (column: typeof jobs.name | typeof jobs.id) =>
    and(...plan.words.map((w) => (indexed.has(w) ? like(column, `%${escapeLike(w)}%`) : sql`${column} REGEXP ${`(^|[^\\p{L}\\p{N}_])${w}`}`)))!;
  return and(sql`MATCH(${jobs.name}, ${jobs.id}) AGAINST (${against} IN BOOLEAN MODE)`, or(inField(jobs.name), inField(jobs.id)))!;
}
