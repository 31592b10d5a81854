/**
 * Threat: a local process that holds the token (it can read the user's files) says hello in the
 * name of another proxy's client session, and so ends that session's grants when it leaves, or
 * takes the session over. Session ids are issued by the service; only the proxy it issued one to
 * can resume it, and only while no live connection holds it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { guardPaths } from '../../main/store/guard-paths.js';
import type { GuardService } from '../../main/service/guard-service.js';
import type { Clock } from '../../main/service/approval-broker.js';
import { ProxySessions } from '../../main/service/proxy-sessions.js';
import { realServers } from '../helpers/paths.js';
import { guardHomeWith } from '../helpers/proxy.js';
import { guardedClient, startService, until } from '../helpers/service.js';
import { helloFrom, SocketPeer } from '../helpers/socket-peer.js';

const ASK_ALL = { version: 1, defaults: { tools: 'ask', promptTimeoutSeconds: 5 } };

let service: GuardService | undefined;
const clients: Client[] = [];
const peers: SocketPeer[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await service?.stop();
  service = undefined;
});

/** A clock the test moves by hand; a timer fires once `advance` reaches it. */
class ManualClock implements Clock {
  private at = 0;
  private readonly timers = new Set<{ fn: () => void; due: number }>();
  now = () => this.at;
  setTimeout = (fn: () => void, ms: number) => {
    const timer = { fn, due: this.at + ms };
    this.timers.add(timer);
    return timer;
  };
  clearTimeout = (handle: unknown) => void this.timers.delete(handle as { fn: () => void; due: number });
  advance(ms: number): void {
    this.at += ms;
    for (const t of [...this.timers]) {
      if (t.due > this.at) continue;
      this.timers.delete(t);
      t.fn();
    }
  }
}

async function peer(socket: string): Promise<SocketPeer> {
  const p = await SocketPeer.open(socket);
  peers.push(p);
  return p;
}

/** Says hello on a fresh connection and returns the service's first answer, then leaves. */
async function helloOnce(socket: string, hello: object) {
  const p = await peer(socket);
  p.send(hello);
  const answer = await p.nth(0);
  await p.close();
  return answer;
}

describe('client sessions on the service socket', () => {
  it("a peer naming another proxy's session neither ends its grants nor gets them", async () => {
    const home = guardHomeWith(ASK_ALL);
    service = await startService(home);
    const paths = guardPaths(home);
    const token = readFileSync(paths.token, 'utf8');
    const client = await guardedClient(home, 'everything', realServers.everything);
    clients.push(client);
    await until(() => service!.status().proxies.length === 1 || undefined, 10_000, 'the proxy to connect');
    const first = client.callTool({ name: 'echo', arguments: { message: 'a' } });
    const pending = await until(() => service!.pendingApprovals()[0], 10_000, 'a pending approval');
    service.answer(pending.id, { kind: 'allow-session', scope: 'any-arguments' }, 'test-user');
    await first;
    // The victim's session id is no secret: any peer with the token reads it from the status.
    const victim = service.status().proxies[0]!.sessionId;
    expect(service.grants.list()).toEqual([expect.objectContaining({ client: { kind: 'session', sessionId: victim } })]);

    // Once as the protocol used to let a peer choose its session, once as a resume.
    for (const claim of [{ sessionId: victim }, { resume: victim }]) await helloOnce(paths.socket, helloFrom(token, claim));
    await new Promise((r) => setTimeout(r, 200));

    expect(service.grants.list()).toEqual([expect.objectContaining({ client: { kind: 'session', sessionId: victim } })]);
    const again = await client.callTool({ name: 'echo', arguments: { message: 'b' } });
    expect(JSON.stringify(again.content)).toContain('b');
    expect(service.pendingApprovals()).toHaveLength(0);

    // Its own proxy ending (bye) ends the session, and the grant with it, at once.
    await clients.splice(0)[0]!.close();
    await until(() => service!.grants.list().length === 0 || undefined, 5000, 'the session grant to end with its proxy');
  });

  it("a dropped proxy's session ends, with its grants, when the proxy does not come back in time", () => {
    const clock = new ManualClock();
    const ended: string[] = [];
    const sessions = new ProxySessions((id) => ended.push(id), clock, 1000);
    const claim = { pid: 42, server: 'everything', resume: undefined };
    const first = sessions.open(claim);
    if ('refused' in first) throw new Error(first.refused);
    sessions.release(first.id);
    clock.advance(999);
    const back = sessions.open({ ...claim, resume: first.resume });
    expect(back).toMatchObject({ id: first.id });
    if ('refused' in back) throw new Error(back.refused);
    sessions.release(first.id);
    clock.advance(999);
    expect(ended).toEqual([]);
    clock.advance(1);
    expect(ended).toEqual([first.id]);
    expect(sessions.open({ ...claim, resume: back.resume })).not.toMatchObject({ id: first.id });
  });

  it('issues an unguessable session in welcome; it resumes only for its own proxy and only when no connection holds it', async () => {
    const home = guardHomeWith(ASK_ALL);
    service = await startService(home);
    const paths = guardPaths(home);
    const token = readFileSync(paths.token, 'utf8');

    const holder = await peer(paths.socket);
    holder.send(helloFrom(token));
    const welcome = await holder.nth(0);
    expect(welcome).toMatchObject({ type: 'welcome', session: { id: expect.any(String), resume: expect.any(String) } });
    const { id, resume } = welcome['session'] as { id: string; resume: string };
    expect(Buffer.from(resume, 'base64url').length).toBeGreaterThanOrEqual(32);
    expect(service.status().proxies.map((p) => p.sessionId)).toEqual([id]);
    expect(JSON.stringify(service.status())).not.toContain(resume);

    // A peer may not choose its session id at all.
    expect(await helloOnce(paths.socket, helloFrom(token, { sessionId: 'chosen' }))).toMatchObject({
      type: 'refused',
      reason: expect.stringMatching(/sessionId/),
    });
    // Nor take over one that a live connection holds, even with its resume secret.
    expect(await helloOnce(paths.socket, helloFrom(token, { resume }))).toEqual({
      type: 'refused',
      reason: expect.stringMatching(/held by a live connection/),
    });

    await holder.close();
    await until(() => service!.status().proxies.length === 0 || undefined, 5000, 'the holder to be gone');
    // Another process with the secret (it leaked) may not resume it either.
    const other = spawn('sleep', ['30']);
    children.push(other);
    expect(await helloOnce(paths.socket, helloFrom(token, { resume, pid: other.pid }))).toEqual({
      type: 'refused',
      reason: expect.stringMatching(/issued to another proxy/),
    });
    expect(await helloOnce(paths.socket, helloFrom(token, { resume, server: { name: 'other-server' } }))).toEqual({
      type: 'refused',
      reason: expect.stringMatching(/issued to another proxy/),
    });

    // Its own proxy comes back: the same session, and a fresh secret (the old one is spent).
    const back = await peer(paths.socket);
    back.send(helloFrom(token, { resume }));
    const rewelcome = await back.nth(0);
    expect(rewelcome).toMatchObject({ type: 'welcome', session: { id } });
    expect((rewelcome['session'] as { resume: string }).resume).not.toBe(resume);
    await back.close();
    await until(() => service!.status().proxies.length === 0 || undefined, 5000, 'the proxy to be gone');
    const spent = await helloOnce(paths.socket, helloFrom(token, { resume }));
    expect(spent).toMatchObject({ type: 'welcome' });
    expect((spent['session'] as { id: string }).id).not.toBe(id);
  });

  it('gives a status peer no session', async () => {
    const home = guardHomeWith(ASK_ALL);
    service = await startService(home);
    const paths = guardPaths(home);
    const token = readFileSync(paths.token, 'utf8');
    const welcome = await helloOnce(paths.socket, helloFrom(token, { role: 'status', server: undefined }));
    expect(welcome).toEqual({ type: 'welcome', protocol: expect.any(Number) });
  });
});
