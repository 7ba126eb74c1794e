import 'server-only';
import { revalidatePath } from 'next/cache';
import { DomainError, ValidationError, coerceError } from '@/lib/errors';
import { assertJobId } from '@/scheduler/jobs';
import type { ActionResult } from '@/lib/action-result';
import { isSignedIn } from './auth';

/**
 * Runs a server action body: checks the session, maps domain errors to the ActionResult shape
 * and hides internals of unexpected ones (logged on the server).
 */
export async function runAction<T>(body: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    if (!(await isSignedIn())) return { ok: false, error: 'Your session has ended. Sign in again.', status: 401 };
    return { ok: true, data: await body() };
  } catch (err) {
    if (err instanceof DomainError) {
      const fieldErrors = 'fieldErrors' in err ? (err.fieldErrors as Record<string, string[]>) : undefined;
      return { ok: false, error: err.message, fieldErrors, status: err.status };
    }
    console.error('[cronboard] server action failed:', coerceError(err));
    return { ok: false, error: 'Something went wrong on the server. The error was logged; try again.', status: 500 };
  }
}

/** Re-renders every dashboard page (the table and the job pages) after a change. */
export function refreshDashboard(): void {
  revalidatePath('/', 'layout');
}

/** Server action arguments come from the client: check a job id before touching the database. */
export function checkedId(id: unknown): string {
  if (typeof id !== 'string') throw new ValidationError('Invalid job id.', { id: ['A job id is a string.'] });
  assertJobId(id);
  return id;
}
