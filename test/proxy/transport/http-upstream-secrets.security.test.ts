import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, startScriptedServer, type RunningServer } from '../../fixtures/http-mcp-servers.js';
import { UpstreamDriver } from '../../fixtures/http-upstream-driver.js';

const HEADER_SECRET = 'hdr-secret-7f3a9c';
const QUERY_SECRET = 'qry-secret-51b2e0';
const PASSWORD = 'pw-secret-c81d44';

let driver: UpstreamDriver | undefined;
let server: RunningServer | undefined;
afterEach(async () => {
  await driver?.upstream.close();
  await server?.stop();
  driver = undefined;
  server = undefined;
});

/** Everything the upstream said to anyone: lines to the client, log lines, the exit reason. */
function everythingSaid(d: UpstreamDriver): string {
  return [...d.lines, ...d.logs, d.exit?.reason ?? ''].join('\n');
}

function expectNoSecret(text: string): void {
  for (const secret of [HEADER_SECRET, QUERY_SECRET, PASSWORD]) expect(text).not.toContain(secret);
}

describe('secrets in --header values and in the URL never reach logs or errors', () => {
  it('names an unreachable server by origin and path only, in the error, the log and the exit reason', async () => {
    const port = await closedPort();
    driver = new UpstreamDriver(`http://user:${PASSWORD}@127.0.0.1:${port}/mcp?token=${QUERY_SECRET}`, { 'X-Api-Key': HEADER_SECRET });
    const answer = await driver.request(0, 'initialize', {});
    await driver.waitForExit();
    expect(answer.error.message).toContain(`at http://127.0.0.1:${port}/mcp:`);
    expectNoSecret(everythingSaid(driver));
  });

  it('sends the header and URL credentials to the server, yet keeps them out of errors and logs when the server echoes them back', async () => {
    server = await startScriptedServer((hit, res) => {
      const status = hit.method === 'POST' && hit.body.includes('tools/call') ? 401 : hit.method === 'GET' ? 400 : 500;
      const echo = `${String(hit.headers['x-api-key'])} ${String(hit.headers['authorization'])} ${hit.path}`;
      res
        .writeHead(status, { 'content-type': 'application/json', location: hit.path })
        .end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message: `denied: ${echo}` } }));
    });
    driver = new UpstreamDriver(server.url.replace('//', `//user:${PASSWORD}@`) + `?token=${QUERY_SECRET}`, { 'X-Api-Key': HEADER_SECRET });
    const call = await driver.request(1, 'tools/call', { name: 'x' });
    expect(call.error.message).toMatch(/HTTP 401 .*check the Authorization header/);
    expect(call.error.message).toContain('[redacted]'); // the echo was there, and was scrubbed
    await driver.request(2, 'tools/list');
    driver.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    while (driver.logs.length < 1) await new Promise((r) => setTimeout(r, 10));

    const first = server.hits[0]!;
    expect(first.headers['x-api-key']).toBe(HEADER_SECRET);
    expect(first.headers['authorization']).toBe('Basic ' + Buffer.from(`user:${PASSWORD}`).toString('base64'));
    expect(first.path).toBe(`/mcp?token=${QUERY_SECRET}`);
    expectNoSecret(everythingSaid(driver));
  });
});
