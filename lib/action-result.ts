import type { FieldErrors } from './errors';

/** The one shape every server action returns. */
export type ActionResult<T = undefined> =
  | { ok: true; data: T }
  | { ok: false; error: string; fieldErrors?: FieldErrors; status?: number };
