import { and, inArray, sql, type SQL } from 'drizzle-orm';
import { jobs, type JobRow } from '../db/schema';
import type { JobState, ListJobsQuery } from '../lib/schemas';
import type { SchedulerContext } from './context';
import { CrowdedLists, jobSearchCondition, jobSearchFilter, jobSearchLookup, planJobSearch } from './job-search';
import type { Counted, Key, Scope, SortSpec } from './list-jobs';
import { pageCandidates } from './search-page';

/** The jobs list's search: which rows a search's pages are read among (see list-jobs.ts). */

/** Searches of this process recently found to have more matches than counted. */
const crowded = new CrowdedLists();

/**
 * The rows a search's pages are read among, with the condition its count uses, and its count when
 * known. `settled` (a slow lookup, still going): the scope the lookup will give; meanwhile the
 * scope is the walk's.
 */
export type SearchScope = Scope & { countWhere: SQL; counted?: Counted };

/**
 * A one-word lookup still going after this long is likely a common word's (its cost grows with
 * the jobs holding the word, about 1.3 µs each on a slow machine: a word in 500 jobs takes under
 * 1 ms, one in 3 % of 100,000 jobs 4–8 ms). The page is then read at once by walking, beside the
 * lookup; the first way to give the page is taken, and the lookup gives the count.
 */
export const SLOW_LOOKUP_MS = 2;

/**
 * How a search's page is read. The FULLTEXT lookup costs about 0.4 µs per job holding the word
 * plus 2 µs per candidate it hands over (each is a row read), unordered, so it suits rare words; a
 * common word fills a page within a short walk along the sort order's index, checking rows one by
 * one (a page of 20 takes about 20 ÷ the share of jobs matching: 600 rows for a word in 3 % of
 * them). One lookup stopped at `cap` + 1 candidates decides: up to `cap` matches, they are all
 * known (exact total) and the page is read by primary key among them (see pageWhere); more, the total is
 * `cap` (not exact) and the page is read by walking. Both ways apply the same condition
 * (job-search.ts), so a page does not depend on the way taken, and cursors work across them. A
 * search whose words the index cannot look up ("wha", see planJobSearch) is always walked, and
 * its count reads the table up to the cap. A search with more than `cap` matches is remembered
 * for a while and walked without the lookup (CrowdedLists). A one-word lookup that takes longer
 * than SLOW_LOOKUP_MS has the page walked beside it (`settled`, see listJobs): a first-time search
 * of a common word then costs the longer of the two, not both, and a rare word whose lookup was
 * slow (a busy database) gets its page from whichever way ends first.
 */
export async function searchScope(
  ctx: SchedulerContext,
  filters: SQL | undefined,
  q: ListJobsQuery & { q: string },
  spec: SortSpec,
  cap: number,
  { slowLookupMs = SLOW_LOOKUP_MS }: { slowLookupMs?: number } = {},
): Promise<SearchScope & { settled?: Promise<SearchScope> }> {
  const text = q.q;
  const filter = jobSearchFilter(text);
  if (!filter) {
    const where = and(filters, jobSearchCondition(text))!;
    return { where, countWhere: where };
  }
  const walk = and(filters, filter)!;
  const lookup = jobSearchLookup(text);
  if (!lookup) return { where: walk, countWhere: walk };
  const countWhere = and(walk, lookup)!;
  const crowdedAnswer = { where: walk, countWhere, counted: { total: cap, totalExact: false } };
  const key = JSON.stringify([text, q.state, q.task, q.lastStatus, cap]);
  const now = ctx.now().getTime();
  if (crowded.has(ctx.db, key, now)) return crowdedAnswer;
  // The lookup reads each match's row anyway: a date sort's value comes along (see pageWhere).
  const dated = spec.key !== 'name';
  const lookingUp = ctx.db
    .select({ id: jobs.id, ...(dated && { at: spec.column }) })
    .from(jobs)
    .where(countWhere)
    .limit(cap + 1)
    .then((rows) => {
      if (rows.length > cap) crowded.add(ctx.db, key, now);
      return rows;
    });
  const scopeOf = (found: Awaited<typeof lookingUp>): SearchScope => {
    if (found.length > cap) return crowdedAnswer;
    const ids = found.map((r) => r.id);
    const candidates = dated ? found.map((r) => ({ id: r.id, at: (r as { at?: Date | null }).at?.getTime() ?? null })) : undefined;
    // Filters and search again: a job may have changed since the lookup.
    const where = ids.length ? and(walk, inArray(jobs.id, ids))! : sql`FALSE`;
    return { where, index: { forceIndex: 'PRIMARY' }, countWhere, counted: { total: ids.length, totalExact: true }, ...(candidates && { known: { walk, candidates } }) };
  };
  // A slow one-word lookup: the page can be walked now, beside it (the same condition, so the same
  // page). Two words are mostly rare together: their lookup is awaited.
  const found = planJobSearch(text).lookup.length === 1 ? await settledWithin(lookingUp, slowLookupMs) : await lookingUp;
  if (found !== undefined) return scopeOf(found);
  const settled = lookingUp.then(scopeOf);
  // The list awaits it beside its page read; should that read fail first, this rejection is not left unhandled.
  settled.catch(() => {});
  return { where: walk, countWhere, settled };
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
  const looked = settled.then((s) => (s.counted?.totalExact ? read({ ...s, state }) : walked));
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

/** `promise`'s value when it settles within `ms`, else undefined (it goes on; a rejection within `ms` is thrown). Never waits for `ms` ≤ 0. */
async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  if (ms <= 0) return undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The WHERE clause of one read of a list (`limit` rows after `from`, backwards when `reverse`):
 * the scope's, or for a search whose matches are all known with their values, those of them that
 * can be on this page only (pageCandidates), so the read takes a few rows instead of all of them.
 * The values are the lookup's, a moment old: a job whose value changed since (the engine moves next
 * runs all the time) is placed by its new value among the rows read, as a cursor page would be.
 */
export function pageWhere(scope: Scope, spec: SortSpec, from: Key | undefined, reverse: boolean, limit: number): SQL | undefined {
  if (!scope.known) return scope.where;
  const at = from ? (from.value instanceof Date ? from.value.getTime() : null) : undefined;
  const ids = pageCandidates(scope.known.candidates, { ascending: !spec.descending, reverse, from: at === undefined ? undefined : { at }, limit });
  return ids.length ? and(scope.known.walk, inArray(jobs.id, ids))! : sql`FALSE`;
}

