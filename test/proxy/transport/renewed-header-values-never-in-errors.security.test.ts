/**
 * Header values that change while the proxy runs (a credential helper's next output, an OAuth
 * token) are secrets like the configured ones: a server that echoes them back in an error does not
 * get them into the client's error or the log; a helper that fails says so without its output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerSecret } from '../../../shared/server-registry.js';
import { CredentialHelperError } from '../../../main/secrets/credential-helper.js';
import type { HeaderSource } from '../../../main/proxy/transport/header-source.js';
import { HeaderSourceError } from '../../../main/proxy/transport/header-source.js';
import { HelperHeaderSource } from '../../../main/proxy/transport/helper-headers.js';
import { HttpUpstream } from '../../../main/proxy/transport/http-upstream.js';
import { startScriptedServer, type RunningServer } from '../../fixtures/http-mcp-servers.js';

const TOKEN = 'renewed-token-5b1e77';

let server: RunningServer | undefined;
let upstream: HttpUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  await server?.stop();
  upstream = undefined;
  server = undefined;
});

/** One request through an HttpUpstream with `source`; resolves the answer line and the log. */
async function oneRequest(url: string, source: HeaderSource): Promise<{ answer: string; logs: string[] }> {
  const logs: string[] = [];
  upstream = new HttpUpstream({ kind: 'http', name: 'remote', url, headers: {} }, (m) => logs.push(m), { headerSource: source });
  const answer = new Promise<string>((resolve) =>
    upstream!.start({ onData: (chunk) => resolve(chunk.toString('utf8')), onExit: () => undefined, onDrain: () => undefined }),
  );
  const message = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };
  upstream.send(message, JSON.stringify(message));
  return { answer: await answer, logs };
}

const secret: ServerSecret = { name: 'X-Api-Key', target: 'header', source: { kind: 'helper', command: ['helper'], ttlSeconds: 1 } };

describe('renewed header values', () => {
  it('are sent, and scrubbed from what the server echoes back, token alone or with its scheme', async () => {
    server = await startScriptedServer((hit, res) => {
      const echo = `${String(hit.headers['authorization'])} and ${String(hit.headers['authorization']).split(' ')[1]}`;
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message: echo } }));
    });
    const { answer, logs } = await oneRequest(server.url, { headers: () => ({ authorization: `Bearer ${TOKEN}` }) });
    expect(server.hits[0]!.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(answer).toContain('[redacted] and [redacted]');
    expect([answer, ...logs].join('\n')).not.toContain(TOKEN);
  });

  it('from a helper that fails when its TTL passed: the request gets an error naming the header, never the output, and is not sent', async () => {
    server = await startScriptedServer((_hit, res) => void res.writeHead(500).end());
    let now = 0;
    const source = new HelperHeaderSource(
      'remote',
      [secret],
      { 'X-Api-Key': 'launch-value' },
      0,
      () => Promise.reject(new CredentialHelperError('helper', `mcp-guard: credential helper "helper" exited with code 1`)),
      () => now,
    );
    now = 1000;
    const { answer } = await oneRequest(server.url, source);
    expect(JSON.parse(answer).error.message).toMatch(
      /could not renew the header X-Api-Key of MCP server "remote" \(its TTL passed\): credential helper "helper" exited/,
    );
    expect(server.hits).toHaveLength(0);
  });
});

describe('a header from a credential helper with a TTL', () => {
  it('runs the helper once for all the requests that find the TTL passed, and again after a failed run', async () => {
    let now = 0;
    const runs: ((value: string) => void)[] = [];
    const fails: ((error: Error) => void)[] = [];
    const source = new HelperHeaderSource(
      'remote',
      [secret],
      { 'X-Api-Key': 'v1' },
      0,
      () =>
        new Promise<string>((resolve, reject) => {
          runs.push(resolve);
          fails.push(reject);
        }),
      () => now,
    );
    expect(source.headers()).toEqual({ 'X-Api-Key': 'v1' });
    now = 1000;
    const [a, b] = [source.headers(), source.headers()];
    expect(a).toBeInstanceOf(Promise);
    expect(runs).toHaveLength(1);
    fails[0]!(new CredentialHelperError('helper', 'mcp-guard: credential helper "helper" exited with code 2'));
    await expect(a).rejects.toBeInstanceOf(HeaderSourceError);
    await expect(b).rejects.toBeInstanceOf(HeaderSourceError);
    const c = source.headers();
    expect(runs).toHaveLength(2);
    runs[1]!('v2');
    await expect(c).resolves.toEqual({ 'X-Api-Key': 'v2' });
    expect(source.headers()).toEqual({ 'X-Api-Key': 'v2' }); // at once again, until 1 s after the run started
    now = 2000;
    expect(source.headers()).toBeInstanceOf(Promise);
  });

  it('refuses a value a header cannot carry, without showing it', async () => {
    let now = 0;
    const source = new HelperHeaderSource(
      'remote',
      [secret],
      { 'X-Api-Key': 'v1' },
      0,
      () => Promise.resolve(`${TOKEN}\r\nX-Injected: 1`),
      () => now,
    );
    now = 1000;
    const error = await (source.headers() as Promise<unknown>).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeaderSourceError);
    expect((error as Error).message).toMatch(/line break or a character a header cannot carry/);
    expect((error as Error).message).not.toContain(TOKEN);
  });
});
