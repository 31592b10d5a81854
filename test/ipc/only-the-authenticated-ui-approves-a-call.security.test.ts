/**
 * Threat: something other than the user's own UI page approves a held call: a local process that
 * does not hold the UI token, a page on another origin (or a DNS-rebinding host) that reaches the
 * loopback port, a proxy (or anything with the proxy token) on the proxy socket, or a page that
 * sends messages outside the contract. All real: the guard service, `mcp-guard serve --ui`'s server
 * (main/ipc/ui-server.ts), a proxy wrapping server-everything, an SDK client making the call.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallPrompt } from '../../shared/approvals.js';
import { INPUT_PROTECTION_MS } from '../../shared/approvals.js';
import type { GuardService } from '../../main/service/guard-service.js';
import { guardUi } from '../../main/ipc/ipc-handlers.js';
import { startUiServer, type UiServer } from '../../main/ipc/ui-server.js';
import { guardPaths } from '../../main/store/guard-paths.js';
import { realServers } from '../helpers/paths.js';
import { guardHomeWith, tempDir } from '../helpers/proxy.js';
import { guardedClient, startTestGuard, until } from '../helpers/service.js';
import { helloFrom, SocketPeer } from '../helpers/socket-peer.js';
import { fakeRendererDir, tokenOf, UiClient } from '../helpers/ui-client.js';

let service: GuardService | undefined;
let ui: UiServer | undefined;
const clients: Client[] = [];
const sockets: UiClient[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await ui?.close();
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await service?.stop();
  ui = service = undefined;
});

async function setup() {
  const home = guardHomeWith({ version: 1, defaults: { tools: 'ask', promptTimeoutSeconds: 30 } });
  const guard = await startTestGuard(home);
  service = guard.service;
  const s = service;
  ui = await startUiServer({
    port: 0,
    rendererDir: fakeRendererDir(join(tempDir(), 'renderer')),
    ...guardUi(guard, { version: '0.0.0-test', log: { log: () => undefined }, env: { HOME: home }, launcher: undefined }),
    log: { log: () => undefined },
  });
  return { home, service: s, ui, token: tokenOf(ui.url) };
}

async function heldCall(home: string, s: GuardService) {
  const client = await guardedClient(home, 'everything', realServers.everything);
  clients.push(client);
  const result = client.callTool({ name: 'echo', arguments: { message: 'approve me' } });
  result.catch(() => undefined); // a test that does not answer closes the client under it
  const prompt = (await until(() => s.desk.list()[0], 10_000, 'the held call')) as CallPrompt;
  return { result, prompt };
}

const refusal = (o: Parameters<typeof UiClient.connect>[0]) =>
  UiClient.connect(o).then(
    (c) => {
      sockets.push(c);
      return 'connected';
    },
    (e: Error) => e.message,
  );

describe('only the authenticated UI approves a call (security)', () => {
  it('refuses a WebSocket without the token, with a wrong one, from another origin, or for another host', async () => {
    const { ui, token } = await setup();
    expect(await refusal({ port: ui.port })).toBe('refused: 401');
    expect(await refusal({ port: ui.port, token: token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A') })).toBe('refused: 401');
    expect(await refusal({ port: ui.port, token, origin: 'https://evil.example' })).toBe('refused: 403');
    expect(await refusal({ port: ui.port, token, origin: `http://localhost:${ui.port}` })).toBe('refused: 403');
    expect(await refusal({ port: ui.port, token, host: `evil.example:${ui.port}`, origin: `http://evil.example:${ui.port}` })).toBe('refused: 421');
    expect(await refusal({ port: ui.port, token })).toBe('connected');
  });

  it('answers page requests only for its own Host (DNS rebinding), with a strict CSP', async () => {
    const { ui } = await setup();
    const own = await fetch(`http://127.0.0.1:${ui.port}/`);
    expect(own.status).toBe(200);
    expect(own.headers.get('content-security-policy')).toBe(
      `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ws://127.0.0.1:${ui.port}; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    const rebound = await new Promise<number>((resolve, reject) => {
      // fetch() will not send a forged Host header; node:http will.
      void import('node:http').then(({ get }) =>
        get({ host: '127.0.0.1', port: ui.port, path: '/', headers: { host: `rebound.example:${ui.port}` } }, (res) => resolve(res.statusCode ?? 0)).on(
          'error',
          reject,
        ),
      );
    });
    expect(rebound).toBe(421);
  });

  it('closes a connection that sends anything outside the contract, and refuses arguments the channel does not allow', async () => {
    const { ui, token } = await setup();
    const badArgs = await UiClient.connect({ port: ui.port, token });
    sockets.push(badArgs);
    expect(await badArgs.invoke('approvals:answer', 'not-a-uuid', 'x', { kind: 'allow-always' })).toMatchObject({
      type: 'error',
      message: expect.stringMatching(/approvals:answer arguments\[0\]/),
    });
    for (const bad of ['not json', JSON.stringify({ type: 'invoke', id: 1, channel: 'secrets:get', args: [] }), JSON.stringify({ type: 'answer', id: 'x' })]) {
      const c = await UiClient.connect({ port: ui.port, token });
      sockets.push(c);
      c.sendRaw(bad);
      expect((await c.closed).code).toBe(1008);
    }
  });

  it('a held call stays held against a stranger without the token, another origin and the proxy socket; the UI page approves it', async () => {
    const { home, service: s, ui, token } = await setup();
    const { result, prompt } = await heldCall(home, s);

    expect(await refusal({ port: ui.port })).toBe('refused: 401');
    expect(await refusal({ port: ui.port, token, origin: 'http://127.0.0.1.evil.example' })).toBe('refused: 403');

    // A peer with the proxy token, on the proxy socket, tries to answer: the service has no such message and closes it.
    const paths = guardPaths(home);
    const peer = await SocketPeer.open(paths.socket);
    peer.send(helloFrom(readFileSync(paths.token, 'utf8')));
    await peer.nth(0);
    peer.send({ type: 'answer', id: prompt.id, revision: prompt.revision, answer: { kind: 'allow-always', scope: 'any-arguments' } });
    await peer.closed;
    expect(s.desk.list().map((p) => p.id)).toEqual([prompt.id]);

    // The page: an answer before it said the prompt was shown is refused; after the input protection, taken.
    const page = await UiClient.connect({ port: ui.port, token });
    sockets.push(page);
    expect(await page.invoke('approvals:answer', prompt.id, prompt.revision, { kind: 'allow-once' })).toMatchObject({
      value: { ok: false, reason: expect.stringMatching(/never shown/) },
    });
    await page.invoke('approvals:shown', prompt.id, prompt.revision);
    await new Promise((r) => setTimeout(r, INPUT_PROTECTION_MS));
    expect(await page.invoke('approvals:answer', prompt.id, prompt.revision, { kind: 'allow-once' })).toMatchObject({ value: { ok: true } });
    expect(JSON.stringify((await result).content)).toContain('approve me');
  });

  it('lets the countdown run again when a page that paused it goes away (a closed tab cannot hold a call forever)', async () => {
    const { home, service: s, ui, token } = await setup();
    const { prompt } = await heldCall(home, s);
    const page = await UiClient.connect({ port: ui.port, token });
    await page.invoke('approvals:interacting', prompt.id, true);
    expect((s.desk.list()[0] as CallPrompt).paused).toBe(true);
    page.close();
    await until(() => (s.desk.list()[0] as CallPrompt | undefined)?.paused === false || undefined, 5_000, 'the pause to end');
  });

  it('sends the page every change of the pending list as an event', async () => {
    const { home, service: s, ui, token } = await setup();
    const page = await UiClient.connect({ port: ui.port, token });
    sockets.push(page);
    const { prompt } = await heldCall(home, s);
    await until(
      () => page.events.find((e) => e['event'] === 'approvals:changed' && (e['payload'] as CallPrompt[]).some((p) => p.id === prompt.id)),
      5_000,
      'the event',
    );
    expect(page.events.some((e) => e['event'] === 'status:changed')).toBe(true);
  });
});
