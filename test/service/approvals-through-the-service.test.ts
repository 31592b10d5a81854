/**
 * Real processes: the guard service (in this process, answered through its in-process API, as the
 * app's UI will), `mcp-guard run` proxies wrapping server-everything, an SDK client driving calls.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { GuardService } from '../../main/service/guard-service.js';
import { realServers } from '../helpers/paths.js';
import { guardHomeWith } from '../helpers/proxy.js';
import { auditEvents, guardedClient, SkewedClock, startService, until } from '../helpers/service.js';

/** The proxy reports a call once it is over; the service acknowledges it once durable. */
async function callEventsEventually(home: string, count: number) {
  for (let i = 0; i < 200; i++) {
    const calls = (await auditEvents(home)).filter((e) => e.kind === 'call');
    if (calls.length >= count) return calls;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`fewer than ${count} call events in the audit log`);
}

const ASK_ALL = { version: 1, defaults: { tools: 'ask', promptTimeoutSeconds: 5 } };

let service: GuardService | undefined;
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await service?.stop();
  service = undefined;
});

async function setup(policy: object = ASK_ALL, clock?: SkewedClock) {
  const home = guardHomeWith(policy);
  service = await startService(home, clock);
  const client = await guardedClient(home, 'everything', realServers.everything);
  clients.push(client);
  await until(() => service!.status().proxies.length === 1 || undefined, 10_000, 'the proxy to connect');
  return { home, service, client };
}

const echo = (client: Client, message = 'hi') => client.callTool({ name: 'echo', arguments: { message } });
const text = (result: Awaited<ReturnType<Client['callTool']>>) => JSON.stringify(result.content);

async function answerNext(s: GuardService, answer: Parameters<GuardService['answer']>[1]) {
  const pending = await until(() => s.pendingApprovals()[0], 10_000, 'a pending approval');
  s.answer(pending.id, answer, 'test-user');
  return pending;
}

describe('approvals through the service', () => {
  it('shows the user everything about a held call and lets it through once', async () => {
    const { service: s, client } = await setup();
    await client.listTools();
    const call = echo(client, 'first');
    const pending = await answerNext(s, { kind: 'allow-once' });
    expect(pending.request).toMatchObject({
      server: 'everything',
      client: { name: 'claude-code', version: '2.1.0' },
      call: { tool: 'echo', arguments: { message: 'first' } },
    });
    expect(pending.request.call.description).toBe('Echoes back the input string');
    expect(pending.request.client.cwd).toBeTruthy();
    expect(text(await call)).toContain('first');
    const again = echo(client, 'second');
    await answerNext(s, { kind: 'deny' });
    const denied = await again;
    expect(denied.isError).toBe(true);
    expect(text(denied)).toMatch(/denied by test-user/);
  });

  it('tells the user when a call names a host not seen before in this session, and not once it was let through', async () => {
    const { service: s, client } = await setup();
    const first = echo(client, 'https://uploads.example.net/x');
    const pending = await answerNext(s, { kind: 'allow-once' });
    expect(pending.hints).toContainEqual({ kind: 'new-host', detail: 'argument "message" points to uploads.example.net, a host not seen before' });
    await first;
    const second = echo(client, 'https://uploads.example.net/y');
    const again = await answerNext(s, { kind: 'deny' });
    expect(again.hints.map((h) => h.kind)).not.toContain('new-host');
    await second;
  });

  it('allow for the session lets later calls of that client through without asking', async () => {
    const { service: s, client } = await setup();
    const first = echo(client, 'a');
    await answerNext(s, { kind: 'allow-session', scope: 'any-arguments' });
    await first;
    expect(text(await echo(client, 'b'))).toContain('b');
    expect(s.pendingApprovals()).toHaveLength(0);
  });

  it('a timed grant stops covering calls once it has expired mid-session', async () => {
    const clock = new SkewedClock();
    const { service: s, client } = await setup(ASK_ALL, clock);
    const first = echo(client, 'a');
    // Answered "15 minutes" as if 14 min 57 s ago: the grant runs out 3 s from now, mid-session.
    clock.skewMs = -(15 * 60_000 - 3_000);
    await answerNext(s, { kind: 'allow-timed', minutes: 15, scope: 'any-arguments' });
    clock.skewMs = 0;
    await first;
    expect(text(await echo(client, 'b'))).toContain('b');
    expect(s.pendingApprovals()).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 3_200));
    const third = echo(client, 'c');
    await answerNext(s, { kind: 'deny' });
    expect((await third).isError).toBe(true);
  }, 20_000);

  it('a granted ask is decided in the proxy from the grants the service pushed, and a revocation reaches it at once', async () => {
    const { service: s, client } = await setup();
    const first = echo(client, 'a');
    await answerNext(s, { kind: 'allow-session', scope: 'any-arguments' });
    await first;
    expect(text(await echo(client, 'b'))).toContain('b');
    expect(s.revokeAllGrants()).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    const asked = echo(client, 'c');
    await answerNext(s, { kind: 'deny' });
    expect((await asked).isError).toBe(true);
  });

  it('always allow is a lasting grant: a new client session is not asked', async () => {
    const { home, service: s, client } = await setup();
    const first = echo(client, 'a');
    await answerNext(s, { kind: 'allow-always', scope: 'any-arguments' });
    await first;
    const second = await guardedClient(home, 'everything', realServers.everything);
    clients.push(second);
    expect(text(await echo(second, 'fresh session'))).toContain('fresh session');
    expect(s.grants.list().map((g) => g.lifetime.kind)).toEqual(['always']);
  });

  it('denies that one call when nobody answers before the deadline', async () => {
    const { service: s, client } = await setup();
    const started = Date.now();
    const result = await echo(client, 'nobody home');
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/nobody answered the approval prompt within 5 s/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
    expect(s.grants.list()).toHaveLength(0);
  }, 20_000);

  it('records each decided call in the audit log with the answer and who gave it', async () => {
    const { home, service: s, client } = await setup();
    const call = echo(client, 'audited');
    await answerNext(s, { kind: 'allow-once' });
    await call;
    const calls = await callEventsEventually(home, 1);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      tool: 'echo',
      decision: { effect: 'ask', layer: 'user', rule: 'default' },
      approval: { approver: 'test-user', answer: 'allow-once' },
      outcome: { kind: 'ok' },
      client: { name: 'claude-code', version: '2.1.0', pid: process.pid },
      server: { name: 'everything' },
      deviceId: 'test-device',
    });
  });
});
