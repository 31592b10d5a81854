import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEverything, startSdkServer, type RunningServer } from '../../fixtures/http-mcp-servers.js';
import { UpstreamDriver, type Message } from '../../fixtures/http-upstream-driver.js';

let driver: UpstreamDriver | undefined;
afterEach(async () => {
  await driver?.upstream.close();
  driver = undefined;
});

describe('against @modelcontextprotocol/server-everything over Streamable HTTP', () => {
  let everything: RunningServer;
  beforeAll(async () => (everything = await startEverything()));
  afterAll(() => everything.stop());

  it('hands back initialize, tools/list and a tools/call with its progress notifications, one line each, ids kept', async () => {
    driver = new UpstreamDriver(everything.url);
    const init = await driver.initialize({ sampling: {} });
    expect(init.result.serverInfo.name).toBeTypeOf('string');
    expect(init.result.protocolVersion).toBe('2025-11-25');

    const list = await driver.request('list-1', 'tools/list');
    const names = (list.result.tools as { name: string }[]).map((t) => t.name);
    expect(names).toContain('trigger-long-running-operation');

    const call = await driver.request(7, 'tools/call', {
      name: 'trigger-long-running-operation',
      arguments: { duration: 0.3, steps: 3 },
      _meta: { progressToken: 'p-1' },
    });
    expect(call.result.content[0].text).toMatch(/Long running operation completed/);
    const all = driver.messages;
    const progress = all.filter((m: Message) => m.method === 'notifications/progress');
    expect(progress.map((m: Message): unknown => [m.params.progressToken, m.params.progress])).toEqual([
      ['p-1', 1],
      ['p-1', 2],
      ['p-1', 3],
    ]);
    // Progress came on the call's own stream, so all of it before the result.
    const lastProgress = all.findLastIndex((m: Message) => m.method === 'notifications/progress');
    expect(lastProgress).toBeLessThan(all.findIndex((m: Message) => m.id === 7));
    expect(driver.lines.every((line) => !line.includes('\n') && JSON.parse(line) !== null)).toBe(true);
  });

  it('carries a sampling request from the server to the client and the client answer back into the tool result', async () => {
    driver = new UpstreamDriver(everything.url);
    await driver.initialize({ sampling: {} });
    driver.send({ jsonrpc: '2.0', id: 'call', method: 'tools/call', params: { name: 'trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 5 } } });
    const sampling = await driver.waitFor((m) => m.method === 'sampling/createMessage');
    expect(sampling.id).toBeDefined();
    driver.send({ jsonrpc: '2.0', id: sampling.id, result: { role: 'assistant', content: { type: 'text', text: 'sampled-42' }, model: 'test-model' } });
    const result = await driver.waitFor((m) => m.id === 'call');
    expect(JSON.stringify(result.result)).toContain('sampled-42');
  });

  it('runs requests concurrently: a quick call is answered while a slow one is still streaming', async () => {
    driver = new UpstreamDriver(everything.url);
    await driver.initialize();
    driver.send({ jsonrpc: '2.0', id: 'slow', method: 'tools/call', params: { name: 'trigger-long-running-operation', arguments: { duration: 2, steps: 2 } } });
    const quick = await driver.request('quick', 'tools/call', { name: 'echo', arguments: { message: 'fast' } });
    expect(quick.result.content[0].text).toContain('fast');
    expect(driver.messages.some((m: Message) => m.id === 'slow')).toBe(false);
    await driver.waitFor((m) => m.id === 'slow');
  });
});

describe('against the SDK Streamable HTTP server', () => {
  let sdk: Awaited<ReturnType<typeof startSdkServer>>;
  beforeAll(async () => (sdk = await startSdkServer()));
  afterAll(() => sdk.stop());

  it('sends the session id and the negotiated protocol version on every request after initialize', async () => {
    driver = new UpstreamDriver(sdk.url);
    sdk.hits.length = 0;
    await driver.initialize({}, '2025-06-18');
    await driver.request(1, 'tools/list');
    const [init, ...rest] = sdk.hits.filter((h) => h.method === 'POST');
    expect(init!.headers['mcp-session-id']).toBeUndefined();
    expect(init!.headers['accept']).toBe('application/json, text/event-stream');
    expect(init!.headers['content-type']).toBe('application/json');
    expect(rest.length).toBeGreaterThanOrEqual(2);
    const sessionId = rest[0]!.headers['mcp-session-id'];
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    for (const hit of rest) {
      expect(hit.headers['mcp-session-id']).toBe(sessionId);
      expect(hit.headers['mcp-protocol-version']).toBe('2025-06-18');
    }
  });

  it('opens the GET stream after notifications/initialized and delivers what the server sends outside a request', async () => {
    driver = new UpstreamDriver(sdk.url);
    await driver.initialize();
    await driver.request(1, 'tools/call', { name: 'announce', arguments: {} });
    await driver.waitFor((m) => m.method === 'notifications/tools/list_changed');
    expect(sdk.hits.some((h) => h.method === 'GET' && h.headers['accept'] === 'text/event-stream')).toBe(true);
  });

  it('carries a sampling request made during a call and returns the answer to the server', async () => {
    driver = new UpstreamDriver(sdk.url);
    await driver.initialize({ sampling: {} });
    driver.send({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'ask-model', arguments: { question: 'colour?' } } });
    const sampling = await driver.waitFor((m) => m.method === 'sampling/createMessage');
    expect(sampling.params.messages[0].content.text).toBe('colour?');
    driver.send({ jsonrpc: '2.0', id: sampling.id, result: { role: 'assistant', content: { type: 'text', text: 'teal' }, model: 'm' } });
    const result = await driver.waitFor((m) => m.id === 5);
    expect(result.result.content[0].text).toBe('the model said: teal');
  });

  it('ends the session with DELETE on close, within 2 s, after which the server no longer knows it', async () => {
    driver = new UpstreamDriver(sdk.url);
    await driver.initialize();
    await driver.request(1, 'tools/list');
    const sessionId = sdk.hits.at(-1)!.headers['mcp-session-id'];
    sdk.hits.length = 0;
    const started = Date.now();
    await driver.upstream.close();
    expect(Date.now() - started).toBeLessThan(2000);
    const deletes = sdk.hits.filter((h) => h.method === 'DELETE');
    expect(deletes.map((h) => h.headers['mcp-session-id'])).toEqual([sessionId]);
    const after = await fetch(sdk.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': String(sessionId) },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
    });
    expect(after.status).toBe(404);
  });

  it('answers with an error and ends the upstream when the server has forgotten the session (HTTP 404)', async () => {
    driver = new UpstreamDriver(sdk.url, {}, 'sdk');
    await driver.initialize();
    await driver.request(1, 'tools/list'); // the session is in use, and notifications/initialized was delivered
    sdk.forgetSessions();
    const answer = await driver.request('after-restart', 'tools/list');
    expect(answer.error.code).toBe(-32000);
    expect(answer.error.message).toMatch(/ended the session \(HTTP 404\)/);
    const exit = await driver.waitForExit();
    expect(exit.failedToStart).toBe(false);
    expect(exit.reason).toMatch(/MCP server "sdk" at http:\/\/127\.0\.0\.1:\d+\/mcp ended the session \(HTTP 404\); reconnect/);
  });

  it('answers server/discover with -32601 when the server only speaks the initialize revisions, so the client falls back', async () => {
    driver = new UpstreamDriver(sdk.url);
    const discover = await driver.request(0, 'server/discover', { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } });
    expect(discover.error.code).toBe(-32601);
    expect(driver.exit).toBeUndefined();
    const init = await driver.request(1, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } });
    expect(init.result.protocolVersion).toBe('2025-11-25');
  });
});
