/**
 * Threat: a peer that said hello as `status` (what `mcp-guard status` does) asks for decisions or
 * writes audit events, or a proxy sends what only a status peer may. Each role may send only its
 * own messages; anything else is refused, saying why, and the connection is closed.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditIdGenerator } from '../../main/audit/ids.js';
import { guardPaths } from '../../main/store/guard-paths.js';
import type { GuardService } from '../../main/service/guard-service.js';
import { guardHomeWith } from '../helpers/proxy.js';
import { auditEvents, startService, until } from '../helpers/service.js';
import { helloFrom, SocketPeer } from '../helpers/socket-peer.js';

let service: GuardService | undefined;
const peers: SocketPeer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
  await service?.stop();
  service = undefined;
});

const ids = new AuditIdGenerator();
const ask = { effect: 'ask', layer: 'default', rule: 'default', reason: 'asks', hints: [] };
const decide = { type: 'decide', corr: 0, call: { tool: 'echo', arguments: { message: 'x' }, decision: ask } };
const event = (id: string) => ({ id, time: new Date().toISOString(), kind: 'server-start', server: { name: 'everything' } });

async function setup() {
  const home = guardHomeWith({ version: 1, defaults: { tools: 'ask', promptTimeoutSeconds: 5 } });
  service = await startService(home);
  const paths = guardPaths(home);
  return { home, socket: paths.socket, token: readFileSync(paths.token, 'utf8') };
}

/**
 * Says hello as `role`, then `message`; returns what came back once the service closed the
 * connection (or 2 s passed), leaving out the grants the service pushes to every proxy on connect
 * and the policy-changed notices it may broadcast meanwhile.
 */
async function sendAs(socket: string, token: string, role: 'proxy' | 'status', message: object) {
  const p = await SocketPeer.open(socket);
  peers.push(p);
  p.send(helloFrom(token, role === 'status' ? { role, server: undefined } : {}));
  await p.nth(0);
  p.send(message);
  const closed = await Promise.race([p.closed.then(() => true), new Promise((r) => setTimeout(() => r(false), 2000))]);
  return { answers: p.received.slice(1).filter((m) => m['type'] !== 'grants' && m['type'] !== 'changed'), closed };
}

describe('what each role may send', () => {
  it('refuses a status peer that asks for a decision, and holds no call for it', async () => {
    const { socket, token } = await setup();
    const { answers, closed } = await sendAs(socket, token, 'status', decide);
    expect(answers).toEqual([{ type: 'refused', reason: 'a "status" peer may not send "decide" (it may send: status, sync-now); closing the connection' }]);
    expect(closed).toBe(true);
    expect(service!.pendingApprovals()).toHaveLength(0);
  });

  it('refuses a status peer that reports audit events, and records none of them', async () => {
    const { home, socket, token } = await setup();
    const id = ids.next();
    const { answers, closed } = await sendAs(socket, token, 'status', { type: 'events', corr: 0, events: [event(id)] });
    expect(answers).toEqual([{ type: 'refused', reason: 'a "status" peer may not send "events" (it may send: status, sync-now); closing the connection' }]);
    expect(closed).toBe(true);
    expect((await auditEvents(home)).map((e) => e.id)).not.toContain(id);
  });

  it('refuses a proxy that asks for the status, which is the status peer’s', async () => {
    const { socket, token } = await setup();
    const { answers, closed } = await sendAs(socket, token, 'proxy', { type: 'status' });
    expect(answers).toEqual([
      { type: 'refused', reason: expect.stringMatching(/^a "proxy" peer may not send "status" \(it may send: .*decide.*events.*\); closing the connection$/) },
    ]);
    expect(closed).toBe(true);
  });

  it('refuses a proxy that asks for a policy fetch (`sync now` is the status peer’s)', async () => {
    const { socket, token } = await setup();
    const { answers, closed } = await sendAs(socket, token, 'proxy', { type: 'sync-now' });
    expect(answers).toEqual([{ type: 'refused', reason: expect.stringMatching(/^a "proxy" peer may not send "sync-now" /) }]);
    expect(closed).toBe(true);
  });

  it('still answers each role its own messages', async () => {
    const { home, socket, token } = await setup();
    const status = await sendAs(socket, token, 'status', { type: 'status' });
    expect(status.answers).toEqual([expect.objectContaining({ type: 'status' })]);
    const id = ids.next();
    const p = await SocketPeer.open(socket);
    peers.push(p);
    p.send(helloFrom(token));
    await p.nth(0);
    p.send({ type: 'events', corr: 7, events: [event(id)] });
    await until(() => p.received.find((m) => m['type'] === 'recorded'), 5000, 'the events to be recorded');
    expect((await auditEvents(home)).map((e) => e.id)).toContain(id);
    p.send(decide);
    await until(() => service!.pendingApprovals()[0], 5000, 'the held call');
  });
});
