import { convertFormArgs, parseJson, toFormArgs, type ArgField } from './args-schema';

/**
 * The raw JSON editor's conversions: field values <-> JSON text, and the check on submit.
 * The generated fields stay the source of truth whenever the JSON fits them.
 */

type Result<T> = { ok: true; value: T } | { ok: false; error: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Pretty JSON text of an arguments object. */
export function argsToJsonText(args: Record<string, unknown>): string {
  return JSON.stringify(args, null, 2);
}

/**
 * The JSON editor's starting text: the stored arguments as they are (edit), or what the fields
 * hold by default (create).
 */
export function initialArgsJson(fields: ArgField[], stored: Record<string, unknown> | undefined): string {
  return argsToJsonText(stored ?? convertFormArgs(fields, toFormArgs(fields, undefined)).args);
}

/**
 * The JSON text of the fields' current values, or the errors of the fields whose values cannot
 * be converted (bad JSON, not a number). Empty required fields are left out.
 */
export function fieldsToJsonText(
  fields: ArgField[],
  values: Record<string, unknown> | undefined,
): { ok: true; value: string } | { ok: false; errors: Record<string, string> } {
  const { args, invalid } = convertFormArgs(fields, values);
  if (Object.keys(invalid).length) return { ok: false, errors: invalid };
  return { ok: true, value: argsToJsonText(args) };
}

/** Parses the editor's text: a JSON object holding every required argument. */
export function parseArgsJson(fields: ArgField[], text: string): { ok: true; args: Record<string, unknown> } | { ok: false; error: string } {
  const parsed = parseJson(text.trim() || '{}', 'object');
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const args = parsed.value as Record<string, unknown>;
  const missing = fields.filter((f) => f.required && args[f.name] === undefined).map((f) => f.name);
  if (missing.length) return { ok: false, error: `Missing required argument${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.` };
  return { ok: true, args };
}

/** Why a value does not fit its generated field, or null when it does. */
function misfit(f: ArgField, v: unknown): string | null {
  switch (f.kind) {
    case 'string':
    case 'text':
      return typeof v === 'string' ? null : `"${f.name}" must be a string.`;
    case 'enum':
      return typeof v === 'string' && f.options?.includes(v) ? null : `"${f.name}" must be one of ${f.options?.map((o) => `"${o}"`).join(', ')}.`;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return `"${f.name}" must be a number.`;
      return f.integer && !Number.isInteger(v) ? `"${f.name}" must be a whole number.` : null;
    case 'boolean':
      return typeof v === 'boolean' ? null : `"${f.name}" must be true or false.`;
    case 'json':
      if (f.stringRecord) return isRecord(v) && Object.values(v).every((x) => typeof x === 'string') ? null : `"${f.name}" must be an object of strings.`;
      return null;
  }
}

/**
 * The fields' values from the editor's JSON text, when it fits the generated fields (no unknown
 * keys, each value of its field's type); otherwise why not.
 */
export function jsonTextToFields(fields: ArgField[], text: string): Result<Record<string, unknown>> {
  const parsed = parseJson(text.trim() || '{}', 'object');
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const args = parsed.value as Record<string, unknown>;
  const byName = new Map(fields.map((f) => [f.name, f]));
  for (const [key, v] of Object.entries(args)) {
    const f = byName.get(key);
    if (!f) return { ok: false, error: `"${key}" is not one of this task's arguments.` };
    const problem = misfit(f, v);
    if (problem) return { ok: false, error: problem };
  }
  return { ok: true, value: toFormArgs(fields, args) };
}
