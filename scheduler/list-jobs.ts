import { and, asc, count, desc, eq, isNotNull, isNull, like, or, sql, type SQL } from 'drizzle-orm';
import { jobs, type JobRow } from '../db/schema';
import { listJobsQuerySchema, type JobSort, type ListJobsQuery } from '../lib/schemas';
import type { Job, Page } from '../lib/types';
import type { SchedulerContext } from './context';
import { toJob } from './serialize';
import { parseInput } from './validate';

/** The jobs list (GET /api/jobs and the jobs table): filter, search, sort and page in the database. */

const SORT_COLUMNS = {
  nextRunAt: jobs.nextRunAt,
  name: jobs.name,
  updatedAt: jobs.updatedAt,
  createdAt: jobs.createdAt,
  lastRunAt: jobs.lastRunAt,
} as const;
const NULLABLE_SORTS: ReadonlySet<keyof typeof SORT_COLUMNS> = new Set(['nextRunAt', 'lastRunAt']);

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The WHERE clause of a jobs list query (undefined: every job). */
function listFilters(q: ListJobsQuery): SQL | undefined {
  const filters: SQL[] = [];
  if (q.state) filters.push(eq(jobs.state, q.state));
  if (q.task) filters.push(eq(jobs.task, q.task));
  if (q.lastStatus === 'never') filters.push(isNull(jobs.lastStatus));
  else if (q.lastStatus) filters.push(eq(jobs.lastStatus, q.lastStatus));
  if (q.q) {
    const pattern = `%${escapeLike(q.q)}%`;
    filters.push(or(like(jobs.name, pattern), like(jobs.id, pattern))!);
  }
  return filters.length ? and(...filters) : undefined;
}

/**
 * One page of jobs in `sort` order (ties broken by id), read along the sort column's index.
 * Descending, MySQL puts NULLs last by itself and the index is read backwards. Ascending on a
 * nullable column (next or last run; NULLs still last), `ORDER BY col IS NULL` would defeat the
 * index and sort the whole table, so two index-ordered branches, with and without a value, each
 * cut at offset + limit rows, are merged instead.
 */
async function selectPage(ctx: SchedulerContext, where: SQL | undefined, sort: JobSort, limit: number, offset: number): Promise<JobRow[]> {
  const descending = sort.startsWith('-');
  const key = (descending ? sort.slice(1) : sort) as keyof typeof SORT_COLUMNS;
  const column = SORT_COLUMNS[key];
  if (descending || !NULLABLE_SORTS.has(key)) {
    const dir = descending ? desc : asc;
    return ctx.db.select().from(jobs).where(where).orderBy(dir(column), dir(jobs.id)).limit(limit).offset(offset);
  }
  const head = offset + limit;
  return ctx.db
    .select()
    .from(jobs)
    .where(and(where, isNotNull(column)))
    .orderBy(asc(column), asc(jobs.id))
    .limit(head)
    .unionAll(ctx.db.select().from(jobs).where(and(where, isNull(column))).orderBy(asc(jobs.id)).limit(head))
    .orderBy(sql`${column} IS NULL`, asc(column), asc(jobs.id))
    .limit(limit)
    .offset(offset);
}

/** GET /api/jobs and the jobs table: filter, search, sort and paginate in the database (one page query and one COUNT). */
export async function listJobs(ctx: SchedulerContext, query: unknown): Promise<Page<Job>> {
  const q = parseInput(listJobsQuerySchema, query, 'query');
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const where = listFilters(q);
  const [rows, [{ total }]] = await Promise.all([
    selectPage(ctx, where, q.sort ?? 'nextRunAt', pageSize, (page - 1) * pageSize),
    ctx.db.select({ total: count() }).from(jobs).where(where),
  ]);
  return { items: rows.map(toJob), total: Number(total), page, pageSize };
}
