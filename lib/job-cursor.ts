import { z } from 'zod';

/**
 * The jobs list's opaque keyset cursor (`cursor` in GET /api/jobs and the jobs table's URL). It
 * names a position in one sort order — the sort key and id of a row — and a direction from it, so
 * a page is read along an index from that row instead of skipping OFFSET rows. It is base64url
 * JSON: opaque to clients, validated like any input (never trusted to be well-formed).
 */

/** Where a cursor's page lies: the rows after its key, the rows before it, or the last page. */
export const CURSOR_DIRECTIONS = ['after', 'before', 'last'] as const;
export type CursorDirection = (typeof CURSOR_DIRECTIONS)[number];

/** A decoded cursor. */
export interface JobCursor {
  /** The sort it belongs to ("nextRunAt", "-name", ...); a cursor of another sort is a 400. */
  sort: string;
  direction: CursorDirection;
  /** The sort value (ISO instant or name; null for a job without one) and id of the row it starts from; absent for "last". */
  key?: { value: string | null; id: string };
  /** The page number the cursor leads to (what the page is called; the key decides the rows). */
  page: number;
}

const payloadSchema = z.strictObject({
  s: z.string().min(1).max(20),
  d: z.enum(CURSOR_DIRECTIONS),
  k: z.tuple([z.string().max(200).nullable(), z.string().min(1).max(191)]).optional(),
  p: z.number().int().min(1).max(1_000_000),
});

const BAD_CURSOR = 'cursor is not a cursor this API gave out: use nextCursor or prevCursor from a previous answer, or leave it out to start from page 1.';

/** base64url of UTF-8 text, without Buffer (this module is also bundled for the browser). */
function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The text of base64url; throws on bad base64 or bad UTF-8. */
function fromBase64Url(b64: string): string {
  const binary = atob(b64.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** Encodes a cursor (base64url JSON). */
export function encodeJobCursor(c: JobCursor): string {
  const payload = { s: c.sort, d: c.direction, ...(c.key && { k: [c.key.value, c.key.id] }), p: c.page };
  return toBase64Url(JSON.stringify(payload));
}

/** Decodes a cursor, or returns null when it is not one (bad base64, JSON or shape). */
export function decodeJobCursor(text: string): JobCursor | null {
  if (!/^[A-Za-z0-9_-]{1,600}$/.test(text)) return null;
  let json: unknown;
  try {
    json = JSON.parse(fromBase64Url(text));
  } catch {
    return null;
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return null;
  const { s, d, k, p } = parsed.data;
  if ((d === 'last') !== (k === undefined)) return null;
  return { sort: s, direction: d, ...(k && { key: { value: k[0], id: k[1] } }), page: p };
}

/**
 * The `cursor` query parameter: a string that decodes to a cursor (else a 400 with this field's
 * error). It stays a string (so a parsed query can be parsed again); the service decodes it.
 */
export const jobCursorSchema = z
  .string()
  .trim()
  .refine((text) => decodeJobCursor(text) !== null, { message: BAD_CURSOR });
