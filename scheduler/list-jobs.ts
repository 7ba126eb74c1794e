import { and, asc, desc, eq, gt, gte, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { IndexConfig } from 'drizzle-orm/mysql-core';
import { jobs, type JobRow } from '../db/schema';
import { ValidationError } from '../lib/errors';
import { decodeJobCursor, encodeJobCursor, type JobCursor } from '../lib/job-cursor';
import { listJobsQuerySchema, type JobSort, type JobState, type ListJobsQuery } from '../lib/schemas';
import type { JobPage } from '../lib/types';
import type { SchedulerContext } from './context';
import { CrowdedLists } from './job-search';
import { countJobs, type Counted } from './count-jobs';
import { searchScope } from './list-search';
import { lastExecutions, type LastExecution } from './last-executions';
import { toJob } from './serialize';
import { parseInput } from './validate';

/**
 * The jobs list (GET /api/jobs and the jobs table): filter, search, sort and page in the database,
 * along indexes, so it stays fast with 100,000 jobs. Pages are read by keyset (`cursor`: the rows
 * after or before a given row in the sort order) or, for compatibility, by page number (OFFSET,
 * fine for shallow pages). The total is counted up to TOTAL_COUNT_CAP rows (SEARCH_COUNT_CAP with
 * a search; `totalExact` false beyond), except on the last page, which needs the exact count to
 * know its number.
 */

/** Matching jobs are counted up to this many; beyond it `total` is this number and `totalExact` false. */
export const TOTAL_COUNT_CAP = 10_000;
/**
 * A search's matches are counted up to this many (at most the cap above): a search knows its
 * matches when the word table holds at most this many jobs for a word (list-search.ts), and then
 * reads its page among them; counting a common word's 10,000 matches exactly would read them all.
 */
export const SEARCH_COUNT_CAP = 500;

const SORT_COLUMNS = {
  nextRunAt: jobs.nextRunAt,
  name: jobs.name,
  updatedAt: jobs.updatedAt,
  createdAt: jobs.createdAt,
  lastRunAt: jobs.lastRunAt,
} as const;
type SortKey = keyof typeof SORT_COLUMNS;
const NULLABLE_SORTS: ReadonlySet<SortKey> = new Set(['nextRunAt', 'lastRunAt']);

/** A sort resolved: its column, direction, and whether rows may lack a value (those come last). */
export interface SortSpec {
  sort: JobSort;
  key: SortKey;
  column: (typeof SORT_COLUMNS)[SortKey];
  descending: boolean;
  nullable: boolean;
}

function sortSpec(sort: JobSort): SortSpec {
  const descending = sort.startsWith('-');
  const key = (descending ? sort.slice(1) : sort) as SortKey;
  return { sort, key, column: SORT_COLUMNS[key], descending, nullable: NULLABLE_SORTS.has(key) };
}

/** The WHERE clause of a jobs list query but its search (undefined: every job). */
function listFilters(q: ListJobsQuery): SQL | undefined {
  const filters: SQL[] = [];
  if (q.state) filters.push(eq(jobs.state, q.state));
  if (q.task) filters.push(eq(jobs.task, q.task));
  if (q.lastStatus === 'never') filters.push(isNull(jobs.lastStatus));
  else if (q.lastStatus) filters.push(eq(jobs.lastStatus, q.lastStatus));
  return filters.length ? and(...filters) : undefined;
}

/**
 * The rows a list reads: its WHERE clause, and an index hint when the optimizer must not choose
 * (a search's few known ids are read by primary key and sorted, never found by walking a sort
 * index, which the optimizer sometimes prefers for a LIMIT).
 */
export interface Scope {
  where: SQL | undefined;
  index?: IndexConfig;
  /** The state filter, if any (it empties one part of the sort by next run: see {@link valued}). */
  state?: JobState;
}

/**
 * The rows with (`has`) or without a value of a nullable sort column. A job has a next fire
 * exactly while it is active (a CHECK constraint keeps it so), so with a state filter one part of
 * the sort by next run is empty, and saying so spares walking its index range to the end.
 */
function valued(spec: SortSpec, state: JobState | undefined, has: boolean): SQL {
  if (spec.key === 'nextRunAt' && state && (state === 'active') !== has) return sql`FALSE`;
  return has ? isNotNull(spec.column) : isNull(spec.column);
}

/** A row's position in the sort order: its sort value (null when it has none) and id. */
export type Key = { value: Date | string | null; id: string };

function keyOf(spec: SortSpec, row: JobRow): Key {
  return { value: row[spec.key], id: row.id };
}

function cursorFor(spec: SortSpec, direction: 'after' | 'before', row: JobRow, page: number): string {
  const { value, id } = keyOf(spec, row);
  return encodeJobCursor({ sort: spec.sort, direction, page, key: { value: value instanceof Date ? value.toISOString() : value, id } });
}

/**
 * Up to `limit` rows strictly after `from` (or from the start) in the sort order, or — `reverse` —
 * strictly before it (or from the end), nearest first. The order is (has no value, value, id),
 * value and id in the sort's direction: rows without a value come last either way. For a nullable
 * column the rows with and without a value are read as two index-ordered ranges, one after the
 * other (`ORDER BY col IS NULL` would defeat the index and sort the whole table).
 */
async function readRange(ctx: SchedulerContext, scope: Scope, spec: SortSpec, from: Key | undefined, reverse: boolean, limit: number): Promise<JobRow[]> {
  const { where, index, state } = scope;
  const { column } = spec;
  // Forward along the sort: asc for an ascending sort; reversed reading flips it.
  const up = spec.descending === reverse;
  const order = up ? asc : desc;
  const beyond = up ? gt : lt;
  // Said outright (it follows from the next condition), so the read is an index range starting at the cursor.
  const notBefore = up ? gte : lte;

  const withValue = async (n: number, after?: { value: Date | string; id: string }) =>
    ctx.db
      .select()
      .from(jobs, index)
      .where(and(where, spec.nullable ? valued(spec, state, true) : undefined, after && and(notBefore(column, after.value), or(beyond(column, after.value), and(eq(column, after.value), beyond(jobs.id, after.id))))))
      .orderBy(order(column), order(jobs.id))
      .limit(n);
  const withoutValue = async (n: number, afterId?: string) =>
    ctx.db
      .select()
      .from(jobs, index)
      .where(and(where, valued(spec, state, false), afterId === undefined ? undefined : beyond(jobs.id, afterId)))
      .orderBy(order(jobs.id))
      .limit(n);

  if (!spec.nullable) return withValue(limit, from && { value: from.value!, id: from.id });
  const fromValue = from?.value ?? null;
  if (!reverse) {
    if (from && fromValue === null) return withoutValue(limit, from.id);
    const rows = await withValue(limit, from && { value: fromValue!, id: from.id });
    return rows.length < limit ? [...rows, ...(await withoutValue(limit - rows.length))] : rows;
  }
  if (from && fromValue !== null) return withValue(limit, { value: fromValue, id: from.id });
  const rows = await withoutValue(limit, from?.id);
  return rows.length < limit ? [...rows, ...(await withValue(limit - rows.length))] : rows;
}

/** One page by OFFSET (the `page` parameter): the same order, read as a union of the two index ranges. */
async function readOffset(ctx: SchedulerContext, scope: Scope, spec: SortSpec, limit: number, offset: number): Promise<JobRow[]> {
  const { where, index, state } = scope;
  const { column } = spec;
  const dir = spec.descending ? desc : asc;
  if (!spec.nullable) return ctx.db.select().from(jobs, index).where(where).orderBy(dir(column), dir(jobs.id)).limit(limit).offset(offset);
  const head = offset + limit;
  return ctx.db
    .select()
    .from(jobs, index)
    .where(and(where, valued(spec, state, true)))
    .orderBy(dir(column), dir(jobs.id))
    .limit(head)
    .unionAll(ctx.db.select().from(jobs, index).where(and(where, valued(spec, state, false))).orderBy(dir(jobs.id)).limit(head))
    .orderBy(sql`${column} IS NULL`, dir(column), dir(jobs.id))
    .limit(limit)
    .offset(offset);
}

/** Lists (filters without a search) of this process recently found to have more matches than counted. */
const crowded = new CrowdedLists();

/**
 * A list's matches (filters, no search) counted up to `cap`; a list found to have more is
 * remembered for a while (CrowdedLists) and answered with the cap without counting again.
 */
async function countList(ctx: SchedulerContext, q: ListJobsQuery, where: SQL | undefined, cap: number): Promise<Counted> {
  const key = JSON.stringify([q.state, q.task, q.lastStatus, cap]);
  const now = ctx.now().getTime();
  if (crowded.has(ctx.db, key, now)) return { total: cap, totalExact: false };
  const counted = await countJobs(ctx, where, cap);
  if (!counted.totalExact) crowded.add(ctx.db, key, now);
  return counted;
}

/** The cursor's key as a row key, or a 400 when it does not fit the sort. */
function cursorKey(spec: SortSpec, cursor: JobCursor): Key | undefined {
  if (cursor.sort !== spec.sort) {
    throw new ValidationError('The cursor belongs to another sort order.', {
      cursor: [`This cursor pages the sort "${cursor.sort}", not "${spec.sort}": send the sort it was made with, or leave cursor out to start from page 1.`],
    });
  }
  if (!cursor.key) return undefined;
  const { value, id } = cursor.key;
  if (value === null) {
    if (!spec.nullable) throw new ValidationError('The cursor is invalid.', { cursor: [`Every job has a ${spec.key}: this cursor is not from this list.`] });
    return { value: null, id };
  }
  if (spec.key === 'name') return { value, id };
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new ValidationError('The cursor is invalid.', { cursor: ['The cursor holds no valid instant: it is not from this list.'] });
  return { value: at, id };
}

/** Options of {@link listJobs}. */
export interface ListJobsOptions {
  /** Count matches up to this many (default TOTAL_COUNT_CAP). */
  countCap?: number;
}

/** GET /api/jobs and the jobs table: one page of jobs with cursors to its neighbours and a (capped) total. */
export async function listJobs(ctx: SchedulerContext, query: unknown, { countCap = TOTAL_COUNT_CAP }: ListJobsOptions = {}): Promise<JobPage> {
  const q = parseInput(listJobsQuerySchema, query, 'query');
  if (q.cursor && q.page !== undefined) {
    throw new ValidationError('Send either page or cursor, not both.', { cursor: ['A cursor already says which page it is: leave page out.'] });
  }
  const pageSize = q.pageSize ?? 20;
  const spec = sortSpec(q.sort ?? 'nextRunAt');
  const filters = listFilters(q);
  const lastOf = (items: JobRow[]) => lastExecutions(ctx.db, items.map((j) => j.id));
  const answer = async (items: JobRow[], page: number, hasNext: boolean, counted: Counted, known?: Map<string, LastExecution>): Promise<JobPage> => {
    const last = known ?? (await lastOf(items));
    return {
      items: items.map((j) => toJob(j, last.get(j.id) ?? null)),
      ...counted,
      page,
      pageSize,
      nextCursor: hasNext && items.length ? cursorFor(spec, 'after', items[items.length - 1], page + 1) : null,
      prevCursor: page > 1 && items.length ? cursorFor(spec, 'before', items[0], page - 1) : null,
    };
  };

  // The schema checked it decodes.
  const cursor = q.cursor ? decodeJobCursor(q.cursor)! : undefined;
  if (cursor) cursorKey(spec, cursor);

  const cap = q.q ? Math.min(countCap, SEARCH_COUNT_CAP) : countCap;
  const search = q.q ? await searchScope(ctx, filters, { ...q, q: q.q }, cap) : undefined;
  const scope: Scope = { ...(search ?? { where: filters }), state: q.state };
  const { where } = scope;
  const count = async (): Promise<Counted> => (search ? ((await search.counted) ?? countJobs(ctx, search.countWhere, cap)) : countList(ctx, q, where, cap));
  if (!cursor || cursor.direction === 'after') {
    const page = cursor?.page ?? q.page ?? 1;
    const from = cursor ? cursorKey(spec, cursor) : undefined;
    // Page 1 is the start of the range: one index-ordered read, the rows without a value only when needed.
    const reading = cursor || page === 1 ? readRange(ctx, scope, spec, from, false, pageSize + 1) : readOffset(ctx, scope, spec, pageSize + 1, (page - 1) * pageSize);
    const [[rows, last], counted] = await Promise.all([
      // The page's last executions are looked up beside the count, which often takes longer than the page.
      reading.then(async (got) => [got, await lastOf(got.slice(0, pageSize))] as const),
      count(),
    ]);
    const hasNext = rows.length > pageSize;
    // A page read by its number on which the list ends knows the exact total, whatever a remembered count says.
    const ends = !cursor && !hasNext && (rows.length > 0 || page === 1);
    const total = ends && !counted.totalExact ? { total: (page - 1) * pageSize + rows.length, totalExact: true } : counted;
    return answer(rows.slice(0, pageSize), page, hasNext, total, last);
  }
  if (cursor.direction === 'before') {
    const from = cursorKey(spec, cursor);
    const [rows, counted] = await Promise.all([readRange(ctx, scope, spec, from, true, pageSize + 1), count()]);
    // Fewer rows than a page before the cursor: that is the first page (rows came or went since).
    if (rows.length <= pageSize) {
      const first = await readRange(ctx, scope, spec, undefined, false, pageSize + 1);
      return answer(first.slice(0, pageSize), 1, first.length > pageSize, counted);
    }
    return answer(rows.slice(0, pageSize).reverse(), Math.max(2, cursor.page), true, counted);
  }
  // The last page: its number needs the exact count (of a search: through its lookup, when it has one).
  const counted = await countJobs(ctx, search?.countWhere ?? where);
  const page = Math.max(1, Math.ceil(counted.total / pageSize));
  const rows = await readRange(ctx, scope, spec, undefined, true, counted.total - (page - 1) * pageSize);
  return answer(rows.reverse(), page, false, counted);
}

/** The cursor of a sort's last page (the jobs table's "Last page" button). */
export function lastPageCursor(sort: JobSort | undefined): string {
  return encodeJobCursor({ sort: sort ?? 'nextRunAt', direction: 'last', page: 1 });
}
