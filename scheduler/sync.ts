import { createHash } from 'node:crypto';
import { and, eq, isNotNull, notInArray } from 'drizzle-orm';
import { jobs } from '../db/schema';
import { ConflictError, DomainError } from '../lib/errors';
import type { JobInput } from '../lib/schemas';
import type { SchedulerContext } from './context';
import { createJob } from './jobs';
import type { EngineLogger } from './log';

/** A stable hash of a declaration (keys sorted), to tell whether the code changed it. */
export function declarationHash(declaration: JobInput): string {
  const canonical = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
        )
      : Array.isArray(v)
        ? v.map(canonical)
        : v;
  return createHash('sha256').update(JSON.stringify(canonical(declaration))).digest('hex');
}

export interface SyncReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  paused: string[];
}

/**
 * Applies the code's job declarations. Safe with several instances starting at once: creation
 * races end in one row (the loser's duplicate is ignored), and concurrent replacements write the
 * same declaration. A declaration that fails validation is logged and skipped, never half-written.
 */
export async function syncDeclaredJobs(
  ctx: SchedulerContext,
  declarations: Array<JobInput & { id: string }>,
  log: EngineLogger,
): Promise<SyncReport> {
  const report: SyncReport = { created: [], updated: [], unchanged: [], paused: [] };
  for (const declaration of declarations) {
    const hash = declarationHash(declaration);
    const [row] = await ctx.db.select().from(jobs).where(eq(jobs.id, declaration.id)).limit(1);
    if (row && row.source === 'code' && row.declaredHash === hash) {
      report.unchanged.push(declaration.id);
      continue;
    }
    if (row && row.source === 'user') log.warn(`job "${declaration.id}" was made in the dashboard; the code now declares it and replaces it`);
    // Keep a person's pause unless the declaration says otherwise.
    const paused = declaration.paused ?? (row ? row.state === 'paused' : undefined);
    try {
      // Replace only what was read; when the row was missing, a concurrent start that creates it first wins.
      await createJob(ctx, { ...declaration, paused, replaceExisting: Boolean(row) }, { source: 'code', declaredHash: hash });
      (row ? report.updated : report.created).push(declaration.id);
    } catch (err) {
      if (err instanceof ConflictError) continue; // another instance applied it at the same moment
      if (err instanceof DomainError) {
        log.error(`job "${declaration.id}" declared in code is invalid and was not applied: ${err.message}`, err);
        continue;
      }
      throw err;
    }
  }
  const declaredIds = declarations.map((d) => d.id);
  const gone = await ctx.db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.source, 'code'), isNotNull(jobs.declaredHash), declaredIds.length ? notInArray(jobs.id, declaredIds) : undefined));
  for (const { id } of gone) {
    await ctx.db
      .update(jobs)
      .set({ state: 'paused', nextRunAt: null, declaredHash: null, updatedAt: ctx.now() })
      .where(and(eq(jobs.id, id), eq(jobs.source, 'code')));
    log.warn(`job "${id}" is no longer declared in code: paused it (its history is kept). Delete it in the dashboard, or declare it again.`);
    report.paused.push(id);
  }
  if (gone.length) ctx.notify();
  return report;
}
