import { and, inArray, sql, type SQL } from 'drizzle-orm';
import { jobs, type JobRow } from '../db/schema';
import type { JobState, ListJobsQuery } from '../lib/schemas';
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
 * known (or being counted). `settled` (a slow lookup, still going): the scope the lookup will
 * give; meanwhile the scope is the walk's.
 */
export type SearchScope = Scope & { countWhere: SQL; counted?: Counted | Promise<Counted>; amongMatches?: boolean };

/**
 * A one-word lookup still going after this long has the page walked beside it (a busy database);
 * the first way to give the page is taken, and the lookup gives the count. A lookup in the word
 * table takes about 1 ms.
 */
export const SLOW_LOOKUP_MS = 2;

/**
 * How a search's page is read. The word table (job-words.ts) gives the jobs holding each word
 * (about 1 ms for a word in 5 % of 100,000 jobs, up to `cap` + 1 of them). When they are at most
 * `cap`, they hold every match: the page is read by primary key among them (`amongMatches`),
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
  { slowLookupMs = SLOW_LOOKUP_MS }: { slowLookupMs?: number } = {},
): Promise<SearchScope & { settled?: Promise<SearchScope> }> {
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
      return { where, index: { forceIndex: 'PRIMARY' }, countWhere: where, counted, amongMatches: true };
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
  const lookingUp = searchCandidates(ctx.db, indexed, cap);
  // A slow one-word lookup: the page can be walked now, beside it (the same condition, so the same
  // page). Several words are mostly rare together: their lookup is awaited.
  if (indexed.length > 1) return scopeOf(await lookingUp);
  const found = await settledWithin(lookingUp, slowLookupMs);
  if (found !== NOT_YET) return scopeOf(found);
  const settled = lookingUp.then(scopeOf);
  // The list awaits it beside its page read; should that read fail first, this rejection is not left unhandled.
  settled.catch(() => {});
  return { where: walk, countWhere: crowdedAnswer.countWhere, settled };
}

/**
 * A page read both ways while a slow lookup is still going: by walking (`walking`, the scope now)
 * and, once the lookup has found all the matches (at most the cap), among them. Both apply the
 * same condition and give the same page: the first to end is taken (the other goes on in the
 * database and is dropped). When the lookup finds more than the cap, the walk is the only way.
 */
export function eitherWay(read: (s: Scope) => Promise<JobRow[]>, walking: Scope, settled: Promise<SearchScope>, state: JobState | undefined): Promise<JobRow[]> {
  // A walk that loses goes on in the database (a rare word's, to the end of the index). So few
  // walk beside lookups at once: a busy database makes lookups slow, and more walks would make
  // it busier. Beyond that, the page is read the one way the lookup says.
  if (walksBeside >= MAX_WALKS_BESIDE) return settled.then((s) => read({ ...s, state }));
  walksBeside++;
  const walked = read(walking);
  const looked = settled.then((s) => (s.amongMatches ? read({ ...s, state }) : walked));
  // Whichever loses may still fail: that is not an unhandled rejection.
  walked.catch(() => {}).finally(() => walksBeside--);
  looked.catch(() => {});
  return Promise.race([walked, looked]);
}

/** Walks beside a slow lookup in this process at once, at most (see eitherWay). */
const MAX_WALKS_BESIDE = 2;
let walksBeside = 0;

/** Walks beside a slow lookup still going in this process (for tests). */
export const walksBesideLookups = () => walksBeside;

const NOT_YET: unique symbol = Symbol('not yet');

/** `promise`'s value when it settles within `ms`, else NOT_YET (it goes on; a rejection within `ms` is thrown). Never waits for `ms` ≤ 0. */
async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | typeof NOT_YET> {
  if (ms <= 0) return NOT_YET;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<typeof NOT_YET>((resolve) => (timer = setTimeout(resolve, ms, NOT_YET)))]);
  } finally {
    clearTimeout(timer);
  }
}

