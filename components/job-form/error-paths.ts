import type { TriggerKind } from './trigger-build';

/** What the form shows right now, to tell whether an error's field is on screen. */
export interface VisibleFields {
  mode: 'create' | 'edit';
  triggerType: TriggerKind;
  /** Property names of the selected task's arguments. */
  argNames: string[];
  /** The arguments are edited as raw JSON: their errors show under the JSON editor. */
  argsJson?: boolean;
}

const ALWAYS = new Set([
  'name',
  'description',
  'task',
  'trigger.type',
  'trigger.timezone',
  'options.maxInstances',
  'options.misfireGraceMs',
  'options.timeoutMs',
  'options.coalesce',
  'options.retries',
  'options.retries.max',
  'options.retries.backoffMs',
  'trigger.startAt',
  'trigger.endAt',
  'trigger.jitterMs',
]);

const BY_KIND: Record<TriggerKind, RegExp> = {
  cron: /^trigger\.expression$/,
  interval: /^trigger\.every(\.(weeks|days|hours|minutes|seconds))?$/,
  date: /^trigger\.runAt$/,
};

/**
 * True when the field at `path` (dotted, as in the server's fieldErrors) has an input on screen
 * that shows its error inline; other errors belong in the form-level alert.
 */
export function isVisibleField(path: string, visible: VisibleFields): boolean {
  if (ALWAYS.has(path)) return true;
  if (visible.mode === 'create' && (path === 'id' || path === 'paused')) return true;
  if (BY_KIND[visible.triggerType].test(path)) return true;
  if (path === 'argsJson') return Boolean(visible.argsJson);
  if (path.startsWith('args.')) return !visible.argsJson && visible.argNames.includes(path.slice('args.'.length));
  return false;
}

/**
 * Splits the server's field errors for the JSON editor: the arguments' errors ("args",
 * "args.url") joined into one message naming each property, and the rest.
 */
export function splitArgsErrors(fieldErrors: Record<string, string[]>): { args: string | null; rest: Array<[string, string[]]> } {
  const args: string[] = [];
  const rest: Array<[string, string[]]> = [];
  for (const [path, messages] of Object.entries(fieldErrors)) {
    if (path === 'args') args.push(messages.join(' '));
    else if (path.startsWith('args.')) args.push(`${path.slice('args.'.length)}: ${messages.join(' ')}`);
    else rest.push([path, messages]);
  }
  return { args: args.length ? args.join(' ') : null, rest };
}

/** Readable name of a field path for the form-level list, e.g. "trigger.startAt" -> "Trigger start". */
export function fieldTitle(path: string): string {
  const titles: Record<string, string> = {
    _: 'Job',
    id: 'Id',
    args: 'Arguments',
    argsJson: 'Arguments (JSON)',
    trigger: 'Trigger',
    'trigger.startAt': 'Trigger start',
    'trigger.endAt': 'Trigger end',
    'trigger.jitterMs': 'Trigger jitter',
    options: 'Options',
    'options.retries': 'Retries',
    'options.coalesce': 'Coalesce',
  };
  return titles[path] ?? path;
}

export interface ErrorEntry {
  path: string;
  message: string;
}

const SKIP = new Set(['ref', 'type', 'types', 'message']);

/** Flattens react-hook-form's nested errors object into dotted paths with their messages. */
export function flattenErrors(errors: unknown, prefix = ''): ErrorEntry[] {
  if (typeof errors !== 'object' || errors === null) return [];
  const out: ErrorEntry[] = [];
  const node = errors as Record<string, unknown>;
  if (prefix && typeof node.message === 'string' && node.message) out.push({ path: prefix, message: node.message });
  for (const [key, child] of Object.entries(node)) {
    if (SKIP.has(key)) continue;
    out.push(...flattenErrors(child, prefix ? `${prefix}.${key}` : key));
  }
  return out;
}

/** The message of the error at a dotted `path` in react-hook-form's errors object, if any. */
export function errorAt(errors: unknown, path: string): string | undefined {
  let node: unknown = errors;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  const message = typeof node === 'object' && node !== null ? (node as { message?: unknown }).message : undefined;
  return typeof message === 'string' && message ? message : undefined;
}
