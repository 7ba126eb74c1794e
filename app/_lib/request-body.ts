import 'server-only';
import { DomainError, ValidationError, coerceError, type FieldErrors } from '@/lib/errors';

/**
 * Reading the JSON API's request bodies and query strings without ever answering 500 to bad
 * input: every problem is a 400, 413 or 415 that says what is wrong.
 */

/** Largest request body accepted, in bytes (1 MiB); larger bodies get 413. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Deepest nesting of arrays/objects accepted in a body (MySQL's JSON columns stop at 100). */
export const MAX_BODY_DEPTH = 32;

function badBody(detail: string): ValidationError {
  return new ValidationError(detail, { _: [detail] });
}

/** Reads the body as bytes, stopping (413) as soon as it passes MAX_BODY_BYTES. */
async function readBytes(req: Request): Promise<Uint8Array> {
  const tooLarge = () =>
    new DomainError(`The body is larger than ${MAX_BODY_BYTES} bytes (1 MiB).`, 413, 'Content too large');
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Deepest array/object nesting in JSON text (brackets inside strings do not count). */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91 /* { [ */) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93 /* } ] */) depth--;
  }
  return max;
}

/**
 * Reads a JSON object body. Throws 415 for a non-JSON content type, 413 past 1 MiB, and a 400
 * ValidationError (field `_`) for an empty body, invalid UTF-8 or JSON, too deep nesting, or a
 * value that is not an object (array, null, number...).
 */
export async function readJson(req: Request): Promise<Record<string, unknown>> {
  const type = req.headers.get('content-type');
  if (type && !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type.trim())) {
    throw new DomainError(
      `Send the body as JSON with "Content-Type: application/json" (got "${type.slice(0, 100)}").`,
      415,
      'Unsupported media type',
    );
  }
  const bytes = await readBytes(req);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badBody('The body is not valid UTF-8.');
  }
  if (!text.trim()) throw badBody('The body is empty: send a JSON object.');
  if (jsonDepth(text) > MAX_BODY_DEPTH) throw badBody(`The body is nested deeper than ${MAX_BODY_DEPTH} levels.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badBody(`The body must be a JSON object: ${coerceError(err).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw badBody(`The body must be a JSON object, not ${kind}.`);
  }
  return value as Record<string, unknown>;
}

/**
 * The query string as a plain object for the zod query schemas. Empty values (`?q=`) count as
 * absent; a key given twice is a 400 (the API takes one value per parameter).
 */
export function readQuery(req: Request): Record<string, string> {
  const entries = new Map<string, string>();
  const repeated: FieldErrors = {};
  for (const [key, value] of new URL(req.url).searchParams) {
    if (entries.has(key)) repeated[key] = [`Give "${key}" once.`];
    entries.set(key, value);
  }
  if (Object.keys(repeated).length) throw new ValidationError('A query parameter is repeated.', repeated);
  return Object.fromEntries([...entries].filter(([, v]) => v !== ''));
}
