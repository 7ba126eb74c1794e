import { createSecureContext } from 'node:tls';
import type { Agent, fetch as Fetch, Response } from 'undici';
import { z } from 'zod';
import { defineTask } from '../task';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
/** Bytes of a response body read at most: a job pointed at a large download must not load it all. */
const MAX_BODY = 64 * 1024;

/**
 * The connections of every HTTP request job: undici's fetch (Node's own, from npm) through one
 * agent whose TLS connections share one TLS context. Node's fetch made a context for each new
 * connection: two thirds of a request's start (~260 of ~400 µs on a 2-core machine), spent while
 * the instant's other fires wait (start-cost.ts), and again for each attempt at a host that does
 * not answer. Loaded at the first request (undici's code takes ~19 MB of memory, which an engine
 * without HTTP jobs need not hold); after that a request's start does not wait for it.
 */
interface Client {
  fetch: typeof Fetch;
  agent: Agent;
}
let client: Client | undefined;
let loading: Promise<Client> | undefined;
const loadClient = () =>
  (loading ??= import('undici').then(({ Agent, fetch }) => (client = { fetch, agent: new Agent({ connect: { secureContext: createSecureContext() } }) })));

/**
 * A signal that aborts after `ms` (with a TimeoutError saying so) or when `outer` does (with its
 * reason: a shutdown stays a shutdown); `done()` clears the timer. Not
 * `AbortSignal.any([outer, AbortSignal.timeout(ms)])`: on Node 20 nothing holds that pair
 * strongly, and a garbage collection before the timeout (a busy engine collects every few
 * milliseconds) took it away, so a request to a server that never answers hung until shutdown
 * and its job skipped every fire meanwhile. Here the timer holds the controller.
 */
function abortAfter(ms: number, outer: AbortSignal): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    const error = new Error(`No complete response within ${ms} ms (the timeoutMs argument; default 30000).`);
    error.name = 'TimeoutError';
    controller.abort(error);
  }, ms);
  const onAbort = () => controller.abort(outer.reason);
  if (outer.aborted) onAbort();
  else outer.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    done: () => {
      clearTimeout(timer);
      outer.removeEventListener('abort', onAbort);
    },
  };
}

/** Reads up to `max` bytes of the body as text and drops the rest. */
async function readCapped(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < max) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, max));
}

export const httpRequest = defineTask({
  name: 'http.request',
  title: 'HTTP request',
  description: 'Sends an HTTP request and fails unless the response has the expected status.',
  args: z.strictObject({
    method: z.enum(METHODS).describe('HTTP method.'),
    url: z
      .url({ protocol: /^https?$/, message: 'Enter an http:// or https:// URL.' })
      .max(2000)
      .describe('Where to send the request.'),
    headers: z.record(z.string(), z.string().max(8000)).optional().describe('Request headers.'),
    body: z.string().max(1_000_000).optional().describe('Request body (sent as is).'),
    expectStatus: z.number().int().min(100).max(599).optional().describe('Expected status (default: any 2xx).'),
    timeoutMs: z.number().int().min(1).max(3_600_000).optional().describe('Give up after this many ms (default 30000).'),
  }),
  async run(args, ctx) {
    const { fetch, agent } = client ?? (await loadClient());
    const timeoutMs = args.timeoutMs ?? 30_000;
    const { signal, done } = abortAfter(timeoutMs, ctx.signal);
    const started = Date.now();
    try {
      const res = await fetch(args.url, {
        method: args.method,
        headers: args.headers,
        body: args.method === 'GET' || args.method === 'HEAD' ? undefined : args.body,
        signal,
        redirect: 'follow',
        dispatcher: agent,
      });
      const text = args.method === 'HEAD' ? '' : await readCapped(res, MAX_BODY);
      ctx.log.info(`${args.method} ${args.url} -> ${res.status} in ${Date.now() - started} ms`);
      const ok = args.expectStatus ? res.status === args.expectStatus : res.ok;
      if (!ok) {
        const wanted = args.expectStatus ?? '2xx';
        throw new Error(`Expected status ${wanted}, got ${res.status}. Body: ${text.slice(0, 500)}`);
      }
      return { status: res.status, body: text.slice(0, 1000) };
    } finally {
      done();
    }
  },
});
