import { jobInputSchema, jobPatchSchema, listExecutionsQuerySchema, listJobsQuerySchema, triggerPreviewSchema } from '../../lib/schemas';
import { getTask } from '../../scheduler/tasks';

/**
 * Generators of malformed API requests for tests/api/fuzz.test.ts, deterministic from a seed.
 * Each case says what a correct answer looks like: a status (or a few) and, for a 400, the
 * fields its errors must name.
 */

/** One generated request and the answer it deserves. */
export interface FuzzCase {
  category: string;
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  /** Acceptable statuses (all 4xx). */
  statuses: number[];
  /** For a 400: each of these must be named by a field error (itself, a parent or a child). */
  fields?: string[];
  /** For a 400: some error message must mention this (an unknown key's name). */
  mentions?: string;
  /** Send no credentials (the runner adds the Bearer token otherwise). */
  noToken?: boolean;
}

/** mulberry32: a small seeded PRNG, so a failing case can be replayed from its seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  const word = (min = 3, max = 12) => Array.from({ length: int(min, max) }, () => pick('abcdefghijklmnopqrstuvwxyz0123456789_'.split(''))).join('');
  return { next, int, pick, word };
}
type Rng = ReturnType<typeof prng>;
type Json = Record<string, unknown>;
type BodyKind = 'create' | 'patch' | 'preview';

const FUTURE = new Date(Date.now() + 30 * 86_400_000).toISOString();
const options = () => ({ maxInstances: 2, coalesce: true, misfireGraceMs: 1000, timeoutMs: 5000, retries: { max: 1, backoffMs: 10 } });
const triggers = (): Json[] => [
  { type: 'cron', expression: '0 3 * * *', timezone: 'Europe/Berlin', startAt: FUTURE, jitterMs: 0 },
  { type: 'interval', every: { hours: 1, minutes: 30 }, timezone: 'UTC', endAt: null },
  { type: 'date', runAt: FUTURE },
];

/** Valid bodies of each kind, to be broken one way each. */
export function validBody(kind: BodyKind, rng: Rng, version: number): Json {
  const trigger = rng.pick(triggers());
  if (kind === 'preview') return { trigger, count: 3, from: '2026-01-01T00:00:00Z' };
  const job: Json = { name: 'Fuzz', description: 'fuzzed', task: 'log.message', args: { message: 'fuzz', level: 'warn' }, trigger, paused: true, options: options() };
  if (kind === 'patch') return { ...job, version };
  return { id: `fuzz-never-${rng.word(8, 8)}`, ...job, replaceExisting: false };
}

/** Would the server accept this body? (The same zod schemas and task schemas it uses.) */
export function accepted(kind: BodyKind, body: unknown): boolean {
  const schema = kind === 'create' ? jobInputSchema : kind === 'patch' ? jobPatchSchema : triggerPreviewSchema;
  const parsed = schema.safeParse(body);
  if (!parsed.success || kind === 'preview') return parsed.success;
  const data = parsed.data as { task?: string; args?: unknown };
  if (data.task === undefined && data.args === undefined) return true;
  const task = getTask(data.task ?? 'log.message');
  return Boolean(task?.args.safeParse(data.args ?? {}).success);
}

/** Every [path, value] of a JSON object, objects included, depth first. */
function leaves(value: Json, prefix: string[] = []): Array<[string[], unknown]> {
  return Object.entries(value).flatMap(([k, v]): Array<[string[], unknown]> => {
    const p = [...prefix, k];
    return v && typeof v === 'object' && !Array.isArray(v) ? [[p, v], ...leaves(v as Json, p)] : [[p, v]];
  });
}

function setAt(body: Json, path: string[], value: unknown): Json {
  const copy = structuredClone(body);
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Json;
  node[path[path.length - 1]] = value;
  return copy;
}

function wrongValues(rng: Rng, original: unknown): unknown[] {
  const common = [null, [], [rng.word()], { [rng.word()]: 1 }];
  if (typeof original === 'string') return [...common, rng.int(-1e6, 1e6), true, false, rng.word(), `${rng.word()} ${rng.word()}`, '', '   ', '2001-01-01T00:00:00Z', 'tomorrow'];
  if (typeof original === 'number') return [...common, String(rng.int(0, 50)), true, 1.5, -1, -rng.int(2, 1e6), 1e20, 0, rng.int(101, 1e9)];
  if (typeof original === 'boolean') return [...common, 'true', 'false', 1, 0, 'yes'];
  return [rng.word(), rng.int(0, 100), true, [], [{}], null];
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const path = (kind: BodyKind, target: string) => (kind === 'create' ? '/api/jobs' : kind === 'patch' ? `/api/jobs/${target}` : '/api/triggers/preview');
const method = (kind: BodyKind) => (kind === 'patch' ? 'PATCH' : 'POST');
const dotted = (p: string[]) => p.join('.');

/** A generator: one malformed request for a body endpoint, or null to draw again. */
type BodyGenerator = (rng: Rng, kind: BodyKind, base: Json) => Omit<FuzzCase, 'method' | 'path' | 'headers' | 'category'> | null;

const BODY_GENERATORS: Record<string, BodyGenerator> = {
  'bad JSON': (rng, _kind, base) => {
    const text = JSON.stringify(base);
    const cut = rng.int(1, text.length - 1);
    const broken = rng.pick([
      text.slice(0, cut),
      `${text.slice(0, cut)}${rng.pick(['{', '}', '[', ']', ',', ':', '"', "'", '\\', 'NaN', 'undefined', '//', '\u0000'])}${text.slice(cut)}`,
      text.replace(/"/g, "'"),
      `${text.slice(0, -1)},}`,
      text.replace(/"(\w+)":/, '$1:'),
      `${text} ${text}`,
      `{"task": ${'['.repeat(rng.int(33, 3000))}`,
    ]);
    try {
      JSON.parse(broken);
      return null;
    } catch {
      return { label: `bad JSON ${JSON.stringify(broken.slice(0, 60))}`, body: broken, statuses: [400], fields: ['_'] };
    }
  },
  'not an object': (rng) => {
    const body = rng.pick(['[]', '[{}]', 'null', 'true', '42', '"job"', '-0', '1e999', '', ' \n ']);
    return { label: `body ${JSON.stringify(body)}`, body, statuses: [400], fields: ['_'] };
  },
  'invalid UTF-8': (rng, _kind, base) => {
    const bytes = new TextEncoder().encode(JSON.stringify(base));
    const at = rng.int(1, bytes.length - 2);
    const body = new Uint8Array([...bytes.slice(0, at), rng.pick([0xff, 0xfe, 0xc0, 0x80]), ...bytes.slice(at)]);
    return { label: 'invalid UTF-8', body, statuses: [400], fields: ['_'] };
  },
  'wrong type': (rng, kind, base) => {
    const [p, original] = rng.pick(leaves(base));
    const value = rng.pick(wrongValues(rng, original));
    const body = setAt(base, p, value);
    if (accepted(kind, body)) return null;
    return { label: `${dotted(p)} = ${JSON.stringify(value)?.slice(0, 40)}`, body: JSON.stringify(body), statuses: [400], fields: [dotted(p)] };
  },
  'huge string': (rng, kind, base) => {
    const strings = leaves(base).filter(([, v]) => typeof v === 'string');
    const [p] = rng.pick(strings);
    const size = rng.pick([rng.int(192, 2000), rng.int(2001, 20_000), rng.int(20_001, 900_000)]);
    const body = setAt(base, p, rng.pick(['x', 'é', '😀', '%', '"', ' a']).repeat(size).slice(0, size));
    if (accepted(kind, body)) return null;
    const text = JSON.stringify(body);
    const tooLarge = new TextEncoder().encode(text).length > 1_048_576;
    return { label: `${dotted(p)} of ${size} characters`, body: text, statuses: tooLarge ? [413] : [400], fields: [dotted(p)] };
  },
  'unknown field': (rng, kind, base) => {
    const objects: string[][] = [[], ...leaves(base).filter(([, v]) => v && typeof v === 'object' && !Array.isArray(v)).map(([p]) => p)];
    const at = rng.pick(objects);
    const key = rng.pick(['colour', 'id', 'state', 'nextRunAt', 'version', 'replaceExisting', 'constructor', 'prototype', 'toString', `x_${rng.word()}`]);
    const parent = at.reduce<Json>((node, k) => node[k] as Json, base);
    if (Object.hasOwn(parent, key)) return null; // known here: not an unknown field
    const body = setAt(base, [...at, key], rng.pick([1, 'x', true, null, {}]));
    if (accepted(kind, body)) return null;
    return { label: `unknown ${dotted([...at, key])}`, body: JSON.stringify(body), statuses: [400], fields: [at.length ? dotted(at) : '_'], mentions: key };
  },
};

/** Malformed bodies for POST /api/jobs, PATCH /api/jobs/{id} and POST /api/triggers/preview. */
export function bodyCases(rng: Rng, count: number, target: string, version: number): FuzzCase[] {
  const out: FuzzCase[] = [];
  const names = Object.keys(BODY_GENERATORS);
  while (out.length < count) {
    const kind = rng.pick<BodyKind>(['create', 'patch', 'preview']);
    const category = rng.pick(names);
    const made = BODY_GENERATORS[category](rng, kind, validBody(kind, rng, version));
    if (made) out.push({ ...made, category, label: `${kind}: ${made.label}`, method: method(kind), path: path(kind, target), headers: JSON_HEADERS });
  }
  return out;
}

const BAD_QUERY: Record<string, (rng: Rng) => string> = {
  page: (rng) => rng.pick(['0', '-1', 'abc', '1.5', '1e400', 'NaN', 'Infinity', ' ', '2000000', 'true', `${rng.int(-1e9, 0)}`]),
  pageSize: (rng) => rng.pick(['0', '101', '-5', 'x', '1.2', '1e3', 'all', `${rng.int(101, 1e9)}`]),
  state: (rng) => rng.pick(['sleeping', 'ACTIVE', 'active ', rng.word()]),
  sort: (rng) => rng.pick(['colour', 'NAME', '--name', '+name', 'name,id', rng.word()]),
  q: (rng) => rng.word(201, 4000),
  task: (rng) => rng.word(101, 2000),
  status: (rng) => rng.pick(['exploded', 'SUCCEEDED', 'ok', rng.word()]),
  lastStatus: (rng) => rng.pick(['exploded', 'FAILED', 'never', rng.word()]),
  cursor: (rng) => rng.pick(['not a cursor', 'e30', 'eyJzIjoibmFtZSJ9', '%%%', 'x'.repeat(700), rng.word()]),
};

/** Malformed query strings for GET /api/jobs and GET /api/jobs/{id}/executions. */
export function queryCases(rng: Rng, count: number, target: string): FuzzCase[] {
  const out: FuzzCase[] = [];
  while (out.length < count) {
    const executions = rng.next() < 0.35;
    const schema = executions ? listExecutionsQuerySchema : listJobsQuerySchema;
    const keys = Object.keys(schema.shape).filter((k) => k in BAD_QUERY);
    const bad = [...new Set(Array.from({ length: rng.int(1, 3) }, () => rng.pick(keys)))];
    const params = new URLSearchParams();
    const fields: string[] = [];
    const repeated: string[] = [];
    for (const key of bad) {
      if (rng.next() < 0.15) {
        params.append(key, '1');
        params.append(key, '2');
        repeated.push(key);
      } else {
        const value = BAD_QUERY[key](rng);
        if (schema.safeParse({ [key]: value }).success) continue;
        params.append(key, value);
      }
      fields.push(key);
    }
    if (!fields.length) continue;
    const path = executions ? `/api/jobs/${target}/executions` : '/api/jobs';
    // A repeated parameter is refused before the values are read, so only it is named then.
    out.push({ category: 'bad query', label: `${path}?${params.toString().slice(0, 80)}`, method: 'GET', path: `${path}?${params}`, headers: {}, statuses: [400], fields: repeated.length ? repeated : fields });
  }
  return out;
}

const ID_ROUTES: Array<[string, (id: string) => string]> = [
  ['GET', (id) => `/api/jobs/${id}`],
  ['PATCH', (id) => `/api/jobs/${id}`],
  ['DELETE', (id) => `/api/jobs/${id}`],
  ['POST', (id) => `/api/jobs/${id}/pause`],
  ['POST', (id) => `/api/jobs/${id}/resume`],
  ['POST', (id) => `/api/jobs/${id}/run`],
  ['GET', (id) => `/api/jobs/${id}/executions`],
];

/** Bad job ids in the path: too long (400 with an `id` error), unknown (404), or badly encoded (400). */
export function idCases(rng: Rng, count: number): FuzzCase[] {
  return Array.from({ length: count }, () => {
    const [method, route] = rng.pick(ID_ROUTES);
    const kind = rng.pick(['long', 'unknown', 'odd', 'encoding'] as const);
    const id =
      kind === 'long' ? rng.word(192, 3000)
      : kind === 'unknown' ? `fuzz-missing-${rng.word()}`
      : kind === 'odd' ? encodeURIComponent(`fuzz missing ${rng.pick(['"', "'", '<b>', '😀', '\u0000', '/', '\\', '?', '#', ';', 'é'])}${rng.word()}`)
      : `${rng.word(1, 5)}${rng.pick(['%', '%zz', '%ff', '%e2%82', '%c0%af', '%G1'])}`;
    const statuses = kind === 'long' || kind === 'encoding' ? [400] : [404];
    const body = method === 'PATCH' ? JSON.stringify({ name: 'never written' }) : undefined;
    return {
      category: 'bad id', label: `${kind} id ${id.slice(0, 40)}`, method, path: route(id),
      headers: body ? JSON_HEADERS : {}, body, statuses, ...(kind === 'long' && { fields: ['id'] }),
    };
  });
}

/** Requests that must be refused before any work: bad credentials (401), content types (415), methods (405). */
export function refusalCases(rng: Rng, count: number, target: string, version: number): FuzzCase[] {
  return Array.from({ length: count }, (): FuzzCase => {
    const which = rng.pick(['auth', 'auth', 'media', 'method'] as const);
    const kind = rng.pick<BodyKind>(['create', 'patch', 'preview']);
    const body = JSON.stringify(validBody(kind, rng, version));
    if (which === 'media') {
      const type = rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonx', 'json']);
      return { category: 'content type', label: `${kind} as ${type}`, method: method(kind), path: path(kind, target), headers: { 'content-type': type }, body, statuses: [415] };
    }
    if (which === 'method') {
      const [m, p] = rng.pick([['PUT', '/api/jobs'], ['DELETE', '/api/jobs'], ['PUT', `/api/jobs/${target}`], ['POST', `/api/jobs/${target}`], ['GET', `/api/jobs/${target}/run`], ['DELETE', `/api/jobs/${target}/pause`], ['PATCH', '/api/triggers/preview'], ['POST', '/api/tasks'], ['POST', `/api/jobs/${target}/executions`]]);
      return { category: 'method', label: p, method: m, path: p, headers: JSON_HEADERS, body, statuses: [405] };
    }
    const auth = rng.pick<Record<string, string>>([{}, { authorization: 'Bearer wrong' }, { authorization: 'Bearer ' }, { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: `Bearer ${rng.word(2000, 6000)}` }, { cookie: 'cronboard_session=%ff%zz' }, { cookie: `cronboard_session=${rng.word()}.${rng.word()}` }]);
    return { category: 'no credentials', label: `${kind} with ${JSON.stringify(auth).slice(0, 50)}`, method: method(kind), path: path(kind, target), headers: { ...JSON_HEADERS, ...auth }, body, statuses: [401], noToken: true };
  });
}
