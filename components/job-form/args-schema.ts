/**
 * Turns a task's argsSchema (JSON Schema from z.toJSONSchema) into form field descriptors, and
 * converts argument values between the stored shape and the form's shape.
 */

export type ArgKind = 'string' | 'text' | 'number' | 'boolean' | 'enum' | 'json';

export interface ArgField {
  /** The property name; also the field's label. */
  name: string;
  kind: ArgKind;
  required: boolean;
  description?: string;
  /** Allowed values (kind "enum"). */
  options?: string[];
  /** Integer only (kind "number"). */
  integer?: boolean;
  minimum?: number;
  maximum?: number;
  /** What a JSON field must hold (kind "json"). */
  expects?: 'object' | 'array';
}

type JsonSchema = Record<string, unknown>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Property names that read better as a multi-line text area. */
const MULTILINE = new Set(['body', 'script', 'query', 'template', 'sql']);

function kindOf(name: string, prop: JsonSchema): Pick<ArgField, 'kind' | 'options' | 'integer' | 'expects'> {
  const enumValues = prop.enum;
  if (Array.isArray(enumValues) && enumValues.length > 0 && enumValues.every((v) => typeof v === 'string')) {
    return { kind: 'enum', options: enumValues as string[] };
  }
  switch (prop.type) {
    case 'string':
      return { kind: MULTILINE.has(name) ? 'text' : 'string' };
    case 'integer':
      return { kind: 'number', integer: true };
    case 'number':
      return { kind: 'number' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'object':
      return { kind: 'json', expects: 'object' };
    case 'array':
      return { kind: 'json', expects: 'array' };
    default:
      return { kind: 'json' };
  }
}

/** The form fields of a task's arguments, in the schema's property order. */
export function argFieldsOf(argsSchema: Record<string, unknown> | undefined): ArgField[] {
  if (!argsSchema || !isRecord(argsSchema.properties)) return [];
  const required = new Set(Array.isArray(argsSchema.required) ? (argsSchema.required as string[]) : []);
  return Object.entries(argsSchema.properties).map(([name, raw]) => {
    const prop = isRecord(raw) ? raw : {};
    return {
      name,
      required: required.has(name),
      description: typeof prop.description === 'string' ? prop.description : undefined,
      minimum: typeof prop.minimum === 'number' ? prop.minimum : undefined,
      maximum: typeof prop.maximum === 'number' ? prop.maximum : undefined,
      ...kindOf(name, prop),
    };
  });
}

/** Stored argument values -> the form's values (JSON fields become pretty-printed text). */
export function toFormArgs(fields: ArgField[], args: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = args?.[f.name];
    switch (f.kind) {
      case 'number':
        out[f.name] = typeof v === 'number' ? v : undefined;
        break;
      case 'boolean':
        out[f.name] = v === true;
        break;
      case 'json':
        out[f.name] = v === undefined ? '' : JSON.stringify(v, null, 2);
        break;
      default:
        out[f.name] = typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
    }
  }
  return out;
}

export type ArgsConversion = { ok: true; args: Record<string, unknown> } | { ok: false; errors: Record<string, string> };

/**
 * The form's values -> the arguments sent to the server. Empty optional fields are left out,
 * JSON text is parsed; errors (missing required values, bad JSON, not a number) are keyed by
 * property name.
 */
export function fromFormArgs(fields: ArgField[], values: Record<string, unknown> | undefined): ArgsConversion {
  const args: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const v = values?.[f.name];
    const empty = v === undefined || v === null || v === '' || (typeof v === 'number' && Number.isNaN(v));
    if (f.kind === 'boolean') {
      if (v === true || f.required) args[f.name] = v === true;
      continue;
    }
    if (empty) {
      if (f.required) errors[f.name] = f.kind === 'enum' ? `Choose a value for ${f.name}.` : `Enter a value for ${f.name}.`;
      continue;
    }
    if (f.kind === 'number') {
      const n = typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(n)) errors[f.name] = `${f.name} must be a number.`;
      else if (f.integer && !Number.isInteger(n)) errors[f.name] = `${f.name} must be a whole number.`;
      else args[f.name] = n;
    } else if (f.kind === 'json') {
      const text = String(v).trim();
      if (!text) {
        if (f.required) errors[f.name] = `Enter a value for ${f.name}.`;
        continue;
      }
      const parsed = parseJson(text, f.expects);
      if (parsed.ok) args[f.name] = parsed.value;
      else errors[f.name] = parsed.error;
    } else {
      args[f.name] = String(v);
    }
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, args };
}

const JSON_EXAMPLES = { object: '{"key": "value"}', array: '["a", "b"]' } as const;

function parseJson(text: string, expects: ArgField['expects']): { ok: true; value: unknown } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    const example = expects ? ` Example: ${JSON_EXAMPLES[expects]}` : '';
    return { ok: false, error: `Not valid JSON: ${detail}.${example}` };
  }
  if (expects === 'object' && !isRecord(value)) return { ok: false, error: `Enter a JSON object, e.g. ${JSON_EXAMPLES.object}` };
  if (expects === 'array' && !Array.isArray(value)) return { ok: false, error: `Enter a JSON array, e.g. ${JSON_EXAMPLES.array}` };
  return { ok: true, value };
}
