import { and, inArray, sql, type SQL } from 'drizzle-orm';
import { jobs } from '../db/schema';
import type { ListJobsQuery } from '../lib/schemas';
import type { SchedulerContext } from './context';
import { CrowdedLists, jobSearchCondition, jobSearchFilter, jobSearchLookup, planJobSearch } from './job-search';
import { searchCandidates } from './job-words';
import { countJobs, type Counted } from './count-jobs';
import type { Scope } from './list-jobs';

/** The jobs list's search: which rows a search's pages are read among (see list-jobs.ts). */

/** Searches of this process recently found to have more matches than counted. */
const crowded = new CrowdedLists();

/**
 * The rows a search's pages are read among, with the condition its count uses, and its count when
 * known (or being counted, beside the page read).
 */
export type SearchScope = Scope & { countWhere: SQL; counted?: Counted | Promise<Counted> };

/**
 * How a search's page is read. The word table (job-words.ts) gives the jobs holding each word
 * (about 1 ms for a word in 5 % of 100,000 jobs, up to `cap` + 1 of them). When they are at most
 * `cap`, they hold every match: the page is read by primary key among them,
 * checked row by row, and counted among them (for a search of one word and no filters, they are
 * the matches: no count). More, the total is `cap` (not exact) and the page is read by walking the sort
 * order's index, checking entries one by one (a page of 20 takes about 20 ÷ the share of jobs
 * matching: 600 entries for a word in 3 % of them). Both ways apply the same condition
 * (job-search.ts), so a page does not depend on the way taken, and cursors work across them. A
 * search with more than `cap` matches is remembered for a while and walked without its lookup
 * (CrowdedLists).
 */
export async function searchScope(
  ctx: SchedulerContext,
  filters: SQL | undefined,
  q: ListJobsQuery & { q: string },
  cap: number,
): Promise<SearchScope> {
  const text = q.q;
  const filter = jobSearchFilter(text);
  const lookup = jobSearchLookup(text);
  if (!filter || !lookup) {
    const where = and(filters, jobSearchCondition(text))!;
    return { where, countWhere: where };
  }
  const walk = and(filters, filter)!;
  const { indexed, words } = planJobSearch(text);
  // The search is one word, looked up, and nothing else: the jobs holding it are its matches
  // (but for renames made by SQL outside Cronboard: see db/job-words.ts).
  const pure = words.length === 1 && !filters;
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
  const scopeOf = (ids: string[] | undefined): SearchScope => {
    if (ids && ids.length <= cap) {
      // The search and filters checked again on the rows: a job may have changed since the lookup.
      const where = ids.length ? and(walk, inArray(jobs.id, ids))! : sql`FALSE`;
      const counted = pure ? { total: ids.length, totalExact: true } : countAmong(where);
      // Counted beside the page read; should that read fail first, this rejection is not left unhandled.
      if (counted instanceof Promise) counted.catch(() => {});
      return { where, index: { forceIndex: 'PRIMARY' }, countWhere: where, counted };
    }
    if (!ids && pure) {
      crowded.add(ctx.db, key, now);
      return crowdedAnswer;
    }
    // Walked; counted among the words' jobs (several words held by many jobs together), or
    // through the word table's ranges (fewer once the filters apply, maybe).
    const countWhere = ids ? and(walk, inArray(jobs.id, ids))! : crowdedAnswer.countWhere;
    const counted = countAmong(countWhere);
    counted.catch(() => {});
    return { where: walk, countWhere, counted };
  };
  return scopeOf(await searchCandidates(ctx.db, indexed, cap));
}
