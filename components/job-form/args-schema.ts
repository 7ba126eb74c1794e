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
  /** A JSON field holding an object of strings (e.g. headers): the only JSON shape fields can edit. */
  stringRecord?: boolean;
  /** The schema's "default": shown as the placeholder (or, for a checkbox, its starting state). */
  default?: unknown;
  /** The input type of a string with a "format" the browser knows. */
  inputType?: 'url' | 'email';
  maxLength?: number;
}

type JsonSchema = Record<string, unknown>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Property names that read better as a multi-line text area. */
const MULTILINE = new Set(['body', 'script', 'query', 'template', 'sql']);

/** True for `{ type: "object", additionalProperties: { type: "string" } }` (z.record(z.string(), z.string())). */
function isStringRecord(prop: JsonSchema): boolean {
  const extra = prop.additionalProperties;
  const noProps = !isRecord(prop.properties) || Object.keys(prop.properties).length === 0;
  return prop.type === 'object' && noProps && isRecord(extra) && extra.type === 'string' && extra.enum === undefined;
}

const FORMAT_INPUT: Record<string, ArgField['inputType']> = { uri: 'url', url: 'url', email: 'email' };

function kindOf(name: string, prop: JsonSchema): Pick<ArgField, 'kind' | 'options' | 'integer' | 'expects' | 'stringRecord' | 'inputType'> {
  const enumValues = prop.enum;
  if (Array.isArray(enumValues) && enumValues.length > 0 && enumValues.every((v) => typeof v === 'string')) {
    return { kind: 'enum', options: enumValues as string[] };
  }
  switch (prop.type) {
    case 'string':
      if (MULTILINE.has(name)) return { kind: 'text' };
      return { kind: 'string', inputType: typeof prop.format === 'string' ? FORMAT_INPUT[prop.format] : undefined };
    case 'integer':
      return { kind: 'number', integer: true };
    case 'number':
      return { kind: 'number' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'object':
      return { kind: 'json', expects: 'object', stringRecord: isStringRecord(prop) || undefined };
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
      maxLength: typeof prop.maxLength === 'number' ? prop.maxLength : undefined,
      default: prop.default,
      ...kindOf(name, prop),
    };
  });
}

/**
 * True when the generated fields cannot represent a task's arguments, so the form edits them as
 * JSON: a property with nested objects or arrays (beyond an object of strings), a union, or a
 * schema that is not an object of properties.
 */
export function argsNeedJson(argsSchema: Record<string, unknown> | undefined): boolean {
  if (!argsSchema) return false;
  if (!isRecord(argsSchema.properties)) {
    const keys = Object.keys(argsSchema).filter((k) => k !== '$schema' && k !== 'additionalProperties');
    return !(keys.length === 1 && argsSchema.type === 'object');
  }
  return argFieldsOf(argsSchema).some((f) => f.kind === 'json' && !f.stringRecord);
}

/** A default value as placeholder text, e.g. 30000, "info", {"a":"b"}. */
export function defaultText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
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
        out[f.name] = v === undefined ? f.default === true : v === true;
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

/** What converting the form's values gives: the arguments that convert, and the errors keyed by name. */
export interface ArgsConverted {
  args: Record<string, unknown>;
  /** Values that are wrong (bad JSON, not a number). */
  invalid: Record<string, string>;
  /** Required values that are empty. */
  missing: Record<string, string>;
}

/**
 * The form's values -> the arguments, leniently: every value that converts, plus the errors.
 * Empty optional fields are left out, JSON text is parsed; a checkbox is sent when checked,
 * required, or when the schema has a default (so unchecking overrides a default of true).
 */
export function convertFormArgs(fields: ArgField[], values: Record<string, unknown> | undefined): ArgsConverted {
  const out: ArgsConverted = { args: {}, invalid: {}, missing: {} };
  for (const f of fields) {
    const v = values?.[f.name];
    const blankJson = f.kind === 'json' && typeof v === 'string' && !v.trim();
    const empty = v === undefined || v === null || v === '' || blankJson || (typeof v === 'number' && Number.isNaN(v));
    if (f.kind === 'boolean') {
      if (v === true || f.required || f.default !== undefined) out.args[f.name] = v === true;
      continue;
    }
    if (empty) {
      if (f.required) out.missing[f.name] = f.kind === 'enum' ? `Choose a value for ${f.name}.` : `Enter a value for ${f.name}.`;
      continue;
    }
    if (f.kind === 'number') {
      const n = typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(n)) out.invalid[f.name] = `${f.name} must be a number.`;
      else if (f.integer && !Number.isInteger(n)) out.invalid[f.name] = `${f.name} must be a whole number.`;
      else out.args[f.name] = n;
    } else if (f.kind === 'json') {
      const parsed = parseJson(String(v).trim(), f.expects);
      if (parsed.ok) out.args[f.name] = parsed.value;
      else out.invalid[f.name] = parsed.error;
    } else {
      out.args[f.name] = String(v);
    }
  }
  return out;
}

/**
 * The form's values -> the arguments sent to the server, or the errors (missing required
 * values, bad JSON, not a number) keyed by property name.
 */
export function fromFormArgs(fields: ArgField[], values: Record<string, unknown> | undefined): ArgsConversion {
  const { args, invalid, missing } = convertFormArgs(fields, values);
  const errors = { ...missing, ...invalid };
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, args };
}

const JSON_EXAMPLES = { object: '{"key": "value"}', array: '["a", "b"]' } as const;

/** Parses a JSON field's text, checking it holds what the field expects. */
export function parseJson(text: string, expects: ArgField['expects']): { ok: true; value: unknown } | { ok: false; error: string } {
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
