import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, startScriptedServer, type Hit, type RunningServer } from '../../fixtures/http-mcp-servers.js';
import { UpstreamDriver } from '../../fixtures/http-upstream-driver.js';

let driver: UpstreamDriver | undefined;
let server: RunningServer | undefined;
afterEach(async () => {
  await driver?.upstream.close();
  await server?.stop();
  driver = undefined;
  server = undefined;
});

const initResult = (id: unknown) => ({
  jsonrpc: '2.0',
  id,
  result: { protocolVersion: '2025-06-18', capabilities: {}, serverInfo: { name: 's', version: '1' } },
});
/** The JSON-RPC message of a POST; GET and DELETE carry none. */
const rpc = (hit: Hit) => (hit.body ? JSON.parse(hit.body) : {}) as { id?: string | number; method?: string };

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

describe('when the server cannot be reached', () => {
  it('answers the first request with a JSON-RPC error naming the URL and ends the upstream as failed to start', async () => {
    const port = await closedPort();
    driver = new UpstreamDriver(`http://127.0.0.1:${port}/mcp`, {}, 'gone');
    const answer = await driver.request(0, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' } });
    expect(answer.error.code).toBe(-32000);
    expect(answer.error.message).toBe(
      `could not reach MCP server "gone" at http://127.0.0.1:${port}/mcp: connection refused (ECONNREFUSED); check that the server is running and the URL is right, then try again`,
    );
    const exit = await driver.waitForExit();
    expect(exit).toEqual({
      failedToStart: true,
      reason: `could not reach MCP server "gone" at http://127.0.0.1:${port}/mcp: connection refused (ECONNREFUSED)`,
    });
  });

  it('fails at start, naming the header but not its value, when a header value is not valid HTTP', async () => {
    driver = new UpstreamDriver('http://127.0.0.1:9/mcp', { 'X-Api-Key': 'abc\r\nInjected: 1' });
    const exit = await driver.waitForExit();
    expect(exit.failedToStart).toBe(true);
    expect(exit.reason).toContain('"X-Api-Key"');
    expect(exit.reason).not.toContain('abc');
  });
});

describe('when the server answers with an HTTP error', () => {
  it('answers the request that got HTTP 500 with an error for its id, and keeps serving the next ones', async () => {
    server = await startScriptedServer((hit, res) => {
      const m = rpc(hit);
      if (hit.method !== 'POST') return void res.writeHead(405).end();
      if (m.method === 'initialize') return json(res, 200, initResult(m.id), { 'mcp-session-id': 'sess-1' });
      if (m.method === 'tools/call') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
      if (m.id !== undefined) return json(res, 200, { jsonrpc: '2.0', id: m.id, result: { tools: [] } });
      res.writeHead(202).end();
    });
    driver = new UpstreamDriver(server.url, {}, 'flaky');
    await driver.initialize();
    const failed = await driver.request('c1', 'tools/call', { name: 'x', arguments: {} });
    expect(failed.error).toEqual({
      code: -32000,
      message: `MCP server "flaky" at ${server.url} answered HTTP 500 Internal Server Error to tools/call; the server could not answer now; try again later, or check the server's status`,
      data: { httpStatus: 500 },
    });
    const next = await driver.request('l1', 'tools/list');
    expect(next.result).toEqual({ tools: [] });
    expect(driver.exit).toBeUndefined();
  });

  it("passes on the server's own JSON-RPC error when the HTTP error body carries one for this id", async () => {
    server = await startScriptedServer((hit, res) => json(res, 400, { jsonrpc: '2.0', id: rpc(hit).id, error: { code: -32602, message: 'bad params' } }));
    driver = new UpstreamDriver(server.url);
    const answer = await driver.request(3, 'tools/call', { name: 'x' });
    expect(answer.error).toEqual({ code: -32602, message: 'bad params' });
    expect(driver.lines).toHaveLength(1);
  });

  it('does not follow a redirect (it would carry the headers along) and says where it points', async () => {
    server = await startScriptedServer((hit, res) => {
      if (hit.path === '/mcp') return void res.writeHead(307, { location: 'http://127.0.0.1:1/elsewhere?x=1' }).end();
      json(res, 200, initResult(rpc(hit).id));
    });
    driver = new UpstreamDriver(server.url, { Authorization: 'Bearer s3cret-token' });
    const answer = await driver.request(0, 'initialize', {});
    expect(answer.error.message).toMatch(/HTTP 307 .*redirects to http:\/\/127\.0\.0\.1:1\/elsewhere; MCP Guard does not follow redirects/);
    expect(server.hits).toHaveLength(1);
  });

  it('ends a request whose SSE stream closes without an answer (no event ids to resume from) with an error, not a hang', async () => {
    server = await startScriptedServer((_hit, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } })}\n\n`);
    });
    driver = new UpstreamDriver(server.url, {}, 'cut');
    const answer = await driver.request(11, 'tools/call', { name: 'x' });
    expect(answer.error.message).toBe(`MCP server "cut" at ${server.url} did not answer tools/call: the server ended the stream; try again`);
    expect(driver.messages[0]!.method).toBe('notifications/progress');
  });
});

describe('reading answers', () => {
  it('resumes an SSE answer that broke off with GET and Last-Event-ID, and delivers the rest once', async () => {
    const progress = (n: number) => JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: n } });
    server = await startScriptedServer((hit, res) => {
      if (hit.method === 'POST') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        return void res.end(`retry: 50\nid: ev-1\ndata: ${progress(1)}\n\n`);
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`id: ev-2\ndata: ${progress(2)}\n\nid: ev-3\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: 'r', result: { ok: true } })}\n\n`);
    });
    driver = new UpstreamDriver(server.url);
    const answer = await driver.request('r', 'tools/call', { name: 'x' });
    expect(answer.result).toEqual({ ok: true });
    expect(driver.messages.map((m): unknown => m.params?.progress ?? m.id)).toEqual([1, 2, 'r']);
    const get = server.hits.find((h) => h.method === 'GET')!;
    expect(get.headers['last-event-id']).toBe('ev-1');
  });

  it('hands on each element of a JSON array answer as its own line, and a pretty-printed answer as one line', async () => {
    server = await startScriptedServer((hit, res) => {
      const { id } = rpc(hit);
      const body =
        id === 'batch'
          ? JSON.stringify([
              { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'a' } },
              { jsonrpc: '2.0', id, result: {} },
            ])
          : JSON.stringify({ jsonrpc: '2.0', id, result: { text: 'two\nlines' } }, null, 2);
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    });
    driver = new UpstreamDriver(server.url);
    await driver.request('batch', 'ping');
    await driver.request('pretty', 'ping');
    expect(driver.lines).toEqual([
      '{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"a"}}',
      '{"jsonrpc":"2.0","id":"batch","result":{}}',
      '{"jsonrpc":"2.0","id":"pretty","result":{"text":"two\\nlines"}}',
    ]);
  });

  it('answers with an error when the server accepts a request with 202 and no body, instead of waiting forever', async () => {
    server = await startScriptedServer((_hit, res) => void res.writeHead(202).end());
    driver = new UpstreamDriver(server.url);
    const answer = await driver.request(1, 'tools/list');
    expect(answer.error.message).toMatch(/sent HTTP 202 without an answer to tools\/list/);
  });
});

describe('the GET stream', () => {
  it('reconnects with Last-Event-ID after the stream drops, so server notifications keep coming', async () => {
    const note = (n: number) => JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: n } });
    let gets = 0;
    server = await startScriptedServer((hit, res) => {
      const m = rpc(hit);
      if (m.method === 'initialize') return json(res, 200, initResult(m.id), { 'mcp-session-id': 's' });
      if (hit.method === 'POST' || hit.method === 'DELETE') return void res.writeHead(202).end();
      gets++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (gets === 1) return void res.end(`retry: 20\nid: g1\ndata: ${note(1)}\n\n`); // dropped after one event
      res.write(`id: g2\ndata: ${note(2)}\n\n`); // stays open
    });
    driver = new UpstreamDriver(server.url);
    await driver.initialize();
    await driver.waitFor((m) => m.params?.data === 2);
    const getHits = server.hits.filter((h) => h.method === 'GET');
    expect(getHits.map((h) => h.headers['last-event-id'])).toEqual([undefined, 'g1']);
    expect(driver.messages.filter((m) => m.method === 'notifications/message').map((m): unknown => m.params.data)).toEqual([1, 2]);
  });

  it('gives up after a bounded number of failed reconnections', async () => {
    server = await startScriptedServer((hit, res) => {
      const m = rpc(hit);
      if (m.method === 'initialize') return json(res, 200, initResult(m.id), { 'mcp-session-id': 's' });
      if (hit.method !== 'GET') return void res.writeHead(202).end();
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end('retry: 1\n\n'); // drops at once, every time
    });
    driver = new UpstreamDriver(server.url);
    await driver.initialize();
    await driver.until(() => driver!.logs.find((l) => l.includes('giving up')), 5000, 'the give-up log');
    const gets = server.hits.filter((h) => h.method === 'GET').length;
    await new Promise((r) => setTimeout(r, 100));
    expect(server.hits.filter((h) => h.method === 'GET').length).toBe(gets);
    expect(gets).toBe(6); // the first connection and 5 retries
  });
});

describe('the stateless 2026-07-28 revision', () => {
  it('sends MCP-Protocol-Version from _meta, with Mcp-Method and Mcp-Name (base64 when not plain ASCII), and no session', async () => {
    server = await startScriptedServer((hit, res) => json(res, 200, { jsonrpc: '2.0', id: rpc(hit).id, result: {} }));
    driver = new UpstreamDriver(server.url);
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' };
    await driver.request(1, 'tools/call', { name: 'café', arguments: {}, _meta: meta });
    await driver.request(2, 'resources/read', { uri: 'file:///a.txt', _meta: meta });
    await driver.request(3, 'tools/list', { _meta: meta });
    const [call, read, list] = server.hits.map((h) => h.headers);
    expect(call).toMatchObject({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': '=?base64?Y2Fmw6k=?=' });
    expect(read).toMatchObject({ 'mcp-method': 'resources/read', 'mcp-name': 'file:///a.txt' });
    expect(list!['mcp-method']).toBe('tools/list');
    expect(list!['mcp-name']).toBeUndefined();
    expect(server.hits.some((h) => h.headers['mcp-session-id'] !== undefined)).toBe(false);
    expect(server.hits.some((h) => h.method === 'GET')).toBe(false);
  });
});

describe('close()', () => {
  it('returns within 2 s even when the server never answers the DELETE or the open call', async () => {
    server = await startScriptedServer((hit, res) => {
      const m = rpc(hit);
      if (m.method === 'initialize') return json(res, 200, initResult(m.id), { 'mcp-session-id': 'sticky' });
      if (hit.method === 'GET') return void res.writeHead(405).end();
      if (m.method === 'notifications/initialized') return void res.writeHead(202).end();
      // tools/call and DELETE: never answered
    });
    driver = new UpstreamDriver(server.url);
    await driver.initialize();
    driver.send({ jsonrpc: '2.0', id: 'hang', method: 'tools/call', params: { name: 'x' } });
    while (!server.hits.some((h) => h.body.includes('"hang"'))) await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    await driver.upstream.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.hits.filter((h) => h.method === 'DELETE').map((h) => h.headers['mcp-session-id'])).toEqual(['sticky']);
    expect(driver.messages.some((m) => m.id === 'hang')).toBe(false); // after close, nothing more is handed on
  });
});
