import { and, sql, type SQL } from 'drizzle-orm';
import mysql from 'mysql2';
import { jobs } from '../db/schema';
import type { ListJobsQuery } from '../lib/schemas';
import type { SchedulerContext } from './context';
import { CrowdedLists, jobSearchFilter, jobSearchLookup, jobSearchPrefix, planJobSearch } from './job-search';
import { searchCandidates } from './job-words';
import { countJobs, type Counted } from './count-jobs';
import type { Scope } from './list-jobs';

/** The jobs list's search: which rows a search's pages are read among (see list-jobs.ts). */

/**
 * `jobs.id IN (…)` for a non-empty list, escaped by mysql2 into one piece of SQL: as hundreds of
 * query-builder parameters, building the page read and the count took about a millisecond.
 */
const idIn = (ids: string[]): SQL => sql`${jobs.id} IN (${sql.raw(mysql.escape(ids))})`;

/** Searches of this process recently found to have more matches than counted. */
const crowded = new CrowdedLists();

/**
 * The rows a search's pages are read among, with the condition its count uses, and its count when
 * known (or being counted, beside the page read).
 */
export type SearchScope = Scope & { countWhere: SQL; counted?: Counted | Promise<Counted> };

/**
 * How a search's page is read. The word table (job-words.ts) gives the jobs holding each word
 * (about 1 ms for a word in 5 % of 100,000 jobs, up to `cap` + 1 of them), and for several words
 * the jobs holding them all in the same field. When they are at most `cap`, they hold every
 * match: the page is read by primary key among them and counted among them. When the word table
 * says they are the matches (`exact`: one word, or several all in the same field, from words that
 * say where they are), their rows are read as they are, and counted by primary key (which leaves
 * out jobs deleted since a kept list was read; one word's jobs, just read, need no count);
 * otherwise each row is checked against the search's rule (job-search.ts). More than `cap`: the
 * matches are counted up to `cap` (among the words' jobs, or through the word table's ranges; one
 * word with no filter is "500+" at once) and the page is read by walking the sort order's index,
 * checking entries one by one (a page of 20 takes about 20 ÷ the share of jobs matching: 600 entries for
 * a word in 3 % of them). Both ways give the same rows, so a page does not depend on the way
 * taken, and cursors work across them. A search with more than `cap` matches is remembered for a
 * while and walked without its lookup (CrowdedLists).
 */
export async function searchScope(
  ctx: SchedulerContext,
  filters: SQL | undefined,
  q: ListJobsQuery & { q: string },
  cap: number,
): Promise<SearchScope> {
  const text = q.q;
  const plan = planJobSearch(text);
  const { words, findable } = plan;
  if (!words.length) {
    const where = and(filters, jobSearchPrefix(text))!;
    return { where, countWhere: where };
  }
  if (!findable) return { where: sql`FALSE`, countWhere: sql`FALSE`, counted: { total: 0, totalExact: true } };
  const lookup = jobSearchLookup(plan);
  const walk = and(filters, jobSearchFilter(plan))!;
  const key = JSON.stringify([text, q.state, q.task, q.lastStatus, cap]);
  const now = ctx.now().getTime();
  const crowdedAnswer: SearchScope = { where: walk, countWhere: and(walk, lookup)!, counted: { total: cap, totalExact: false } };
  if (crowded.has(ctx.db, key, now)) return crowdedAnswer;
  /** Counted among `where`: a count that passes the cap is remembered. */
  const countAmong = (where: SQL) =>
    countJobs(ctx, where, cap).then((c) => {
      if (!c.totalExact) crowded.add(ctx.db, key, now);
      return c;
    });
  const found = await searchCandidates(ctx.db, words, cap);
  if (found && found.ids.length <= cap) {
    const { ids, exact } = found;
    // Not exact: the search and filters checked on the rows (which also skips a job changed since the lookup).
    const where = !ids.length ? sql`FALSE` : and(exact ? filters : walk, idIn(ids))!;
    // One word's jobs, just read, are its matches: no count. (Renames made by SQL outside
    // Cronboard aside: see db/job-words.ts.)
    const counted = exact && words.length === 1 && !filters ? { total: ids.length, totalExact: true } : countAmong(where);
    // Counted beside the page read; should that read fail first, this rejection is not left unhandled.
    if (counted instanceof Promise) counted.catch(() => {});
    return { where, index: { forceIndex: 'PRIMARY' }, countWhere: where, counted };
  }
  if (!found && words.length === 1 && !filters) {
    // One word held by more than `cap` jobs (just read, so none deleted): its matches.
    crowded.add(ctx.db, key, now);
    return crowdedAnswer;
  }
  // Walked; counted among the words' jobs (several words held by many jobs together, some maybe
  // deleted since their lists were kept), or through the word table's ranges.
  const countWhere = found ? and(found.exact ? filters : walk, idIn(found.ids))! : crowdedAnswer.countWhere;
  const counted = countAmong(countWhere);
  counted.catch(() => {});
  return { where: walk, countWhere, counted };
}
