/**
 * Run by http-request.test.ts in a process of its own, started with NODE_EXTRA_CA_CERTS naming
 * the test's certificate authority (Node reads it at start only): sends the requests given as
 * arguments through the task and prints one JSON line per request, its result or its error.
 */
import { httpRequest } from './http-request';

const ctx = { signal: new AbortController().signal, log: { info() {}, warn() {}, error() {} } } as unknown as Parameters<typeof httpRequest.run>[1];
for (const url of process.argv.slice(2)) {
  try {
    console.log(JSON.stringify({ url, result: await httpRequest.run({ method: 'GET', url }, ctx) }));
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    console.log(JSON.stringify({ url, error: e.message, code: e.cause?.code }));
  }
}
process.exit(0);
