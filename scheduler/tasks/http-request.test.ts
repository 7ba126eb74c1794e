import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskContext } from '../task';
import { httpRequest } from './http-request';

/**
 * The HTTP request task against real local servers. Its TLS connections share one context
 * (http-request.ts): certificates must still be checked, against the names of each request.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const ctx = { signal: new AbortController().signal, log: { info() {}, warn() {}, error() {} } } as unknown as TaskContext;

let dir: string;
/** A certificate authority, and a server certificate it signed for `localhost` only. */
let ca: string;
let server: https.Server;
let plain: http.Server;
/** Accepts connections and never answers (a TLS handshake there never ends). */
let silent: net.Server;
let silentPort: number;
/** TLS connections the HTTPS server accepted. */
let connections = 0;

const listen = (s: net.Server) => new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));
let tlsPort: number;
let plainPort: number;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cronboard-tls-'));
  const at = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2', '-subj', '/CN=Cronboard test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=localhost');
  writeFileSync(at('ext.cnf'), 'subjectAltName=DNS:localhost\n');
  openssl('x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at('server.pem'), '-days', '2', '-extfile', at('ext.cnf'));
  ca = at('ca.pem');
  server = https.createServer({ key: readFileSync(at('server.key')), cert: readFileSync(at('server.pem')) }, (req, res) => res.end(`tls ${req.url}`));
  server.on('secureConnection', () => connections++);
  plain = http.createServer((req, res) => {
    res.statusCode = req.url === '/missing' ? 404 : 200;
    res.end(req.url === '/big' ? 'x'.repeat(200_000) : `plain ${req.method} ${req.url}`);
  });
  silent = net.createServer((socket) => socket.on('error', () => {}));
  [tlsPort, plainPort, silentPort] = [await listen(server), await listen(plain), await listen(silent)];
});

afterAll(() => {
  server?.close();
  plain?.close();
  server?.closeAllConnections();
  plain?.closeAllConnections();
  silent?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('http.request', () => {
  it('sends a request and returns the status and the start of the body', async () => {
    expect(await httpRequest.run({ method: 'GET', url: `http://127.0.0.1:${plainPort}/ok` }, ctx)).toEqual({ status: 200, body: 'plain GET /ok' });
    const big = (await httpRequest.run({ method: 'GET', url: `http://127.0.0.1:${plainPort}/big` }, ctx)) as { body: string };
    expect(big.body).toHaveLength(1000);
  });

  it('fails on an unexpected status, saying which', async () => {
    await expect(httpRequest.run({ method: 'GET', url: `http://127.0.0.1:${plainPort}/missing` }, ctx)).rejects.toThrow('Expected status 2xx, got 404');
    await expect(httpRequest.run({ method: 'GET', url: `http://127.0.0.1:${plainPort}/ok`, expectStatus: 201 }, ctx)).rejects.toThrow('Expected status 201, got 200');
  });

  it('refuses a certificate this process does not trust', async () => {
    const failure = httpRequest.run({ method: 'GET', url: `https://localhost:${tlsPort}/` }, ctx);
    await expect(failure).rejects.toMatchObject({ cause: { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' } });
  });

  it("trusts NODE_EXTRA_CA_CERTS, checks each request's host name, and reuses the connection", async () => {
    const urls = [`https://localhost:${tlsPort}/a`, `https://127.0.0.1:${tlsPort}/b`, `https://localhost:${tlsPort}/c`];
    const before = connections;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(here, 'http-request.child.ts'), ...urls], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: ca },
      timeout: 20_000,
    });
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { url: urls[0], result: { status: 200, body: 'tls /a' } },
      { url: urls[1], error: 'fetch failed', code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
      { url: urls[2], result: { status: 200, body: 'tls /c' } },
    ]);
    // /a and /c went over one connection (the one to 127.0.0.1 never finished its handshake).
    expect(connections - before).toBe(1);
  }, 30_000);

  it('gives up after timeoutMs, saying so, even when garbage is collected meanwhile', async () => {
    // A busy engine collects every few milliseconds; the timeout must not be collected with it.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const started = Date.now();
    const run = Promise.resolve(httpRequest.run({ method: 'GET', url: `https://127.0.0.1:${silentPort}/`, timeoutMs: 300 }, ctx));
    const collecting = setInterval(gc, 20);
    try {
      const outcome = await Promise.race([run.then(() => 'answered', (err: Error) => err), new Promise((resolve) => setTimeout(() => resolve('still running'), 5000))]);
      expect(outcome).toMatchObject({ name: 'TimeoutError', message: 'No complete response within 300 ms (the timeoutMs argument; default 30000).' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      clearInterval(collecting);
    }
  });

  it("ends with the run's own abort reason when the run is aborted (a shutdown)", async () => {
    const controller = new AbortController();
    const run = httpRequest.run({ method: 'GET', url: `https://127.0.0.1:${silentPort}/` }, { ...ctx, signal: controller.signal });
    const reason = new Error('shutting down');
    setTimeout(() => controller.abort(reason), 100);
    await expect(run).rejects.toBe(reason);
  });
});
