import type { z } from 'zod';

/** A page's raw `searchParams` (after awaiting the promise Next passes). */
export type RawSearchParams = Record<string, string | string[] | undefined>;

export interface ParsedSearchParams<T> {
  /** The valid parameters; invalid ones are left out so the page falls back to defaults. */
  value: Partial<T>;
  /** One message per ignored parameter, e.g. `page: page starts at 1.`. */
  problems: string[];
}

/**
 * Parses URL search params key by key with an object schema's fields. An invalid value never
 * throws: it is dropped (the service then uses its default) and reported in `problems`.
 */
export function parseSearchParams<S extends z.ZodObject>(schema: S, raw: RawSearchParams): ParsedSearchParams<z.output<S>> {
  const value: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, field] of Object.entries(schema.shape) as Array<[string, z.ZodType]>) {
    const given = raw[key];
    const text = Array.isArray(given) ? given[0] : given;
    if (text === undefined || text === '') continue;
    const parsed = field.safeParse(text);
    if (parsed.success) {
      if (parsed.data !== undefined) value[key] = parsed.data;
    } else {
      problems.push(`${key}: ${parsed.error.issues.map((i) => i.message).join(' ')}`);
    }
  }
  return { value: value as Partial<z.output<S>>, problems };
}
