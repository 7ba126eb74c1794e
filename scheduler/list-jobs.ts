import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { jobs, type JobRow } from '../db/schema';
import { ValidationError } from '../lib/errors';
import { decodeJobCursor, encodeJobCursor, type JobCursor } from '../lib/job-cursor';
import { listJobsQuerySchema, type JobSort, type ListJobsQuery } from '../lib/schemas';
import type { JobPage } from '../lib/types';
import type { SchedulerContext } from './context';
import { jobSearchCondition } from './job-search';
import { toJob } from './serialize';
import { parseInput } from './validate';

/**
 * The jobs list (GET /api/jobs and the jobs table): filter, search, sort and page in the database,
 * along indexes, so it stays fast with 100,000 jobs. Pages are read by keyset (`cursor`: the rows
 * after or before a given row in the sort order) or, for compatibility, by page number (OFFSET,
 * fine for shallow pages). The total is counted up to TOTAL_COUNT_CAP rows (`totalExact` false
 * beyond), except on the last page, which needs the exact count to know its number.
 */

/** Matching jobs are counted up to this many; beyond it `total` is this number and `totalExact` false. */
export const TOTAL_COUNT_CAP = 10_000;

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
interface SortSpec {
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

/** The WHERE clause of a jobs list query (undefined: every job). */
function listFilters(q: ListJobsQuery): SQL | undefined {
  const filters: SQL[] = [];
  if (q.state) filters.push(eq(jobs.state, q.state));
  if (q.task) filters.push(eq(jobs.task, q.task));
  if (q.lastStatus === 'never') filters.push(isNull(jobs.lastStatus));
  else if (q.lastStatus) filters.push(eq(jobs.lastStatus, q.lastStatus));
  if (q.q) filters.push(jobSearchCondition(q.q));
  return filters.length ? and(...filters) : undefined;
}

/** A row's position in the sort order: its sort value (null when it has none) and id. */
type Key = { value: Date | string | null; id: string };

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
async function readRange(ctx: SchedulerContext, where: SQL | undefined, spec: SortSpec, from: Key | undefined, reverse: boolean, limit: number): Promise<JobRow[]> {
  const { column } = spec;
  // Forward along the sort: asc for an ascending sort; reversed reading flips it.
  const up = spec.descending === reverse;
  const order = up ? asc : desc;
  const beyond = up ? gt : lt;

  const withValue = async (n: number, after?: { value: Date | string; id: string }) =>
    ctx.db
      .select()
      .from(jobs)
      .where(and(where, spec.nullable ? isNotNull(column) : undefined, after && or(beyond(column, after.value), and(eq(column, after.value), beyond(jobs.id, after.id)))))
      .orderBy(order(column), order(jobs.id))
      .limit(n);
  const withoutValue = async (n: number, afterId?: string) =>
    ctx.db
      .select()
      .from(jobs)
      .where(and(where, isNull(column), afterId === undefined ? undefined : beyond(jobs.id, afterId)))
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
async function readOffset(ctx: SchedulerContext, where: SQL | undefined, spec: SortSpec, limit: number, offset: number): Promise<JobRow[]> {
  const { column } = spec;
  const dir = spec.descending ? desc : asc;
  if (!spec.nullable) return ctx.db.select().from(jobs).where(where).orderBy(dir(column), dir(jobs.id)).limit(limit).offset(offset);
  const head = offset + limit;
  return ctx.db
    .select()
    .from(jobs)
    .where(and(where, isNotNull(column)))
    .orderBy(dir(column), dir(jobs.id))
    .limit(head)
    .unionAll(ctx.db.select().from(jobs).where(and(where, isNull(column))).orderBy(dir(jobs.id)).limit(head))
    .orderBy(sql`${column} IS NULL`, dir(column), dir(jobs.id))
    .limit(limit)
    .offset(offset);
}

/** Matching jobs, counted up to `cap` (an index range read through a LIMIT). */
async function countJobs(ctx: SchedulerContext, where: SQL | undefined, cap = Infinity): Promise<{ total: number; totalExact: boolean }> {
  const base = ctx.db.select({ one: sql`1` }).from(jobs).where(where);
  const counted = Number.isFinite(cap) ? base.limit(cap + 1).as('c') : base.as('c');
  const [{ n }] = await ctx.db.select({ n: sql<number>`COUNT(*)` }).from(counted);
  const total = Number(n);
  return total > cap ? { total: cap, totalExact: false } : { total, totalExact: true };
}

/**
 * A search's matches in sort order, ids only, from one full-text pass (the index hands over the
 * matches unordered, so a page and its count would otherwise be two passes); null when there are
 * more than `cap` (then the page is read by keyset and the count stops at the cap).
 */
async function searchMatches(ctx: SchedulerContext, where: SQL | undefined, spec: SortSpec, cap: number): Promise<string[] | null> {
  const dir = spec.descending ? desc : asc;
  const rows = await ctx.db
    .select({ id: jobs.id })
    .from(jobs)
    .where(where)
    .orderBy(...(spec.nullable ? [sql`${spec.column} IS NULL`] : []), dir(spec.column), dir(jobs.id))
    .limit(cap + 1);
  return rows.length > cap ? null : rows.map((r) => r.id);
}

/**
 * The page of `ids` (all matches, in order) that the cursor or page number asks for; null when
 * the cursor's row is no longer among them (then the keyset read decides).
 */
function slicePage(ids: string[], cursor: JobCursor | undefined, pageNumber: number, pageSize: number): { ids: string[]; page: number; hasNext: boolean } | null {
  let start: number;
  let page: number;
  if (cursor?.direction === 'last') {
    page = Math.max(1, Math.ceil(ids.length / pageSize));
    start = (page - 1) * pageSize;
  } else if (cursor) {
    const at = ids.indexOf(cursor.key!.id);
    if (at < 0) return null;
    if (cursor.direction === 'after') [start, page] = [at + 1, cursor.page];
    else [start, page] = at - pageSize <= 0 ? [0, 1] : [at - pageSize, Math.max(2, cursor.page)];
  } else {
    [start, page] = [(pageNumber - 1) * pageSize, pageNumber];
  }
  return { ids: ids.slice(start, start + pageSize), page, hasNext: start + pageSize < ids.length };
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
  const where = listFilters(q);
  const answer = (items: JobRow[], page: number, hasNext: boolean, counted: { total: number; totalExact: boolean }): JobPage => ({
    items: items.map(toJob),
    ...counted,
    page,
    pageSize,
    nextCursor: hasNext && items.length ? cursorFor(spec, 'after', items[items.length - 1], page + 1) : null,
    prevCursor: page > 1 && items.length ? cursorFor(spec, 'before', items[0], page - 1) : null,
  });

  // The schema checked it decodes.
  const cursor = q.cursor ? decodeJobCursor(q.cursor)! : undefined;
  if (cursor) cursorKey(spec, cursor);

  if (q.q) {
    const matches = await searchMatches(ctx, where, spec, countCap);
    const slice = matches && slicePage(matches, cursor, q.page ?? 1, pageSize);
    if (slice) {
      const found = slice.ids.length ? await ctx.db.select().from(jobs).where(inArray(jobs.id, slice.ids)) : [];
      const byId = new Map(found.map((row) => [row.id, row]));
      const items = slice.ids.flatMap((id) => byId.get(id) ?? []);
      return answer(items, slice.page, slice.hasNext, { total: matches!.length, totalExact: true });
    }
  }
  if (!cursor || cursor.direction === 'after') {
    const page = cursor?.page ?? q.page ?? 1;
    const from = cursor ? cursorKey(spec, cursor) : undefined;
    const [rows, counted] = await Promise.all([
      cursor ? readRange(ctx, where, spec, from, false, pageSize + 1) : readOffset(ctx, where, spec, pageSize + 1, (page - 1) * pageSize),
      countJobs(ctx, where, countCap),
    ]);
    return answer(rows.slice(0, pageSize), page, rows.length > pageSize, counted);
  }
  if (cursor.direction === 'before') {
    const from = cursorKey(spec, cursor);
    const [rows, counted] = await Promise.all([readRange(ctx, where, spec, from, true, pageSize + 1), countJobs(ctx, where, countCap)]);
    // Fewer rows than a page before the cursor: that is the first page (rows came or went since).
    if (rows.length <= pageSize) {
      const first = await readRange(ctx, where, spec, undefined, false, pageSize + 1);
      return answer(first.slice(0, pageSize), 1, first.length > pageSize, counted);
    }
    return answer(rows.slice(0, pageSize).reverse(), Math.max(2, cursor.page), true, counted);
  }
  // The last page: its number needs the exact count.
  const counted = await countJobs(ctx, where);
  const page = Math.max(1, Math.ceil(counted.total / pageSize));
  const rows = await readRange(ctx, where, spec, undefined, true, counted.total - (page - 1) * pageSize);
  return answer(rows.reverse(), page, false, counted);
}

/** The cursor of a sort's last page (the jobs table's "Last page" button). */
export function lastPageCursor(sort: JobSort | undefined): string {
  return encodeJobCursor({ sort: sort ?? 'nextRunAt', direction: 'last', page: 1 });
}
