/**
 * Threat: whatever answers on the guard's socket (a service with a bug, an older or newer one, or
 * a process that took the socket's place) sends the proxy a message that is not a ServiceMessage:
 * a grant with a field of the wrong type, a decision with a layer that does not exist. The proxy
 * checks every message before acting on it; one that does not fit is not acted on, and the proxy
 * drops the connection as if the service had gone (the call is denied, grants are forgotten),
 * then reconnects. Its log names the field, never the value.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guardPaths } from '../../main/store/guard-paths.js';
import type { Json, RawPeer } from '../helpers/raw-peer.js';
import { guardEnv, guardHomeWith, rawServer, startProxy, tempDir, waitUntil } from '../helpers/proxy.js';
import { alwaysGrant } from '../helpers/grants.js';

const ASK_ALL = { version: 1, defaults: { tools: 'ask' } };
/** A grant the service could send: it allows `echo` of the server `raw`, for any client, always. */
const ECHO_GRANT = alwaysGrant('raw', 'echo', 'default');

/** One connection from the proxy, as the fake service sees it. */
type Connection = { socket: Socket; received: Json[]; closed: boolean };

/** A stand-in for the guard service on the real socket path: says what the test scripts, keeps what the proxy says. */
class FakeService {
  readonly connections: Connection[] = [];
  private constructor(private readonly server: Server) {}

  static async start(home: string, answer: (message: Json, connection: Connection, index: number) => object[]): Promise<FakeService> {
    const paths = guardPaths(home);
    mkdirSync(dirname(paths.socket), { recursive: true, mode: 0o700 });
    mkdirSync(dirname(paths.token), { recursive: true, mode: 0o700 });
    writeFileSync(paths.token, 'test-token\n', { mode: 0o600 });
    const server = createServer();
    const service = new FakeService(server);
    server.on('connection', (socket) => {
      const connection: Connection = { socket, received: [], closed: false };
      const index = service.connections.push(connection) - 1;
      let buffer = '';
      socket.setEncoding('utf8');
      socket.on('error', () => undefined);
      socket.on('close', () => (connection.closed = true));
      socket.on('data', (chunk: string) => {
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) !== -1) {
          const message = JSON.parse(buffer.slice(0, newline)) as Json;
          buffer = buffer.slice(newline + 1);
          connection.received.push(message);
          const replies = answer(message, connection, index);
          // One write: the proxy reads the replies in one chunk, as it would a burst from the service.
          if (replies.length > 0) socket.write(replies.map((r) => JSON.stringify(r) + '\n').join(''));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(paths.socket, resolve));
    return service;
  }

  stop(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const welcome = (index: number) => ({ type: 'welcome', protocol: 2, session: { id: `session-${index}`, resume: `resume-${index}` } });

let service: FakeService | undefined;
let proxy: RawPeer | undefined;
afterEach(async () => {
  proxy?.child.kill('SIGKILL');
  proxy = undefined;
  await service?.stop();
  service = undefined;
});

/** `mcp-guard run` on the raw fixture server (which writes every line it receives to `record`), once it has said hello to `service`. */
async function guardedRawServer(home: string, record: string, service: FakeService): Promise<RawPeer> {
  const peer = (proxy = startProxy(['--name', 'raw'], rawServer('--record', record), guardEnv(home)));
  await peer.initialize();
  if (!(await waitUntil(() => service.connections[0]?.received[0]?.type === 'hello', 5000)))
    throw new Error(`the proxy did not connect to the service; stderr: ${peer.stderr}`);
  return peer;
}

const forwardedEchoCalls = (record: string) =>
  readFileSync(record, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"tools/call"') && line.includes('"echo"'));

describe('a message from the service that is not a ServiceMessage', () => {
  it('is not acted on: a malformed grant allows nothing, and the proxy drops the connection and reconnects', async () => {
    const home = guardHomeWith(ASK_ALL);
    const record = join(tempDir(), 'received.jsonl');
    writeFileSync(record, '');
    service = await FakeService.start(home, (m, _c, index) => {
      if (m.type !== 'hello') return [];
      // The first connection gets the grant with `createdAt` of the wrong type; the one after, nothing but a welcome.
      return index === 0 ? [welcome(index), { type: 'grants', grants: [{ ...ECHO_GRANT, id: 'grant-SECRET-id', createdAt: 'yesterday' }] }] : [welcome(index)];
    });
    const peer = await guardedRawServer(home, record, service);

    const answer = await peer.request(1, 'tools/call', { name: 'echo', arguments: { x: 1 } });
    expect(answer.result?.isError).toBe(true);
    expect(forwardedEchoCalls(record)).toEqual([]);

    // Dropped as if the service had gone, then connected again with a new hello.
    expect(await waitUntil(() => service!.connections[0]!.closed, 5000)).toBe(true);
    expect(await waitUntil(() => service!.connections[1]?.received[0]?.type === 'hello', 5000)).toBe(true);
    expect(peer.stderr).toContain('grants[0].createdAt');
    expect(peer.stderr).not.toContain('SECRET');
    expect(peer.stderr).not.toContain('yesterday');
  });

  it('ends the grants the service gave before: after a message that does not fit, the call a valid grant allowed is denied', async () => {
    const home = guardHomeWith(ASK_ALL);
    const record = join(tempDir(), 'received.jsonl');
    writeFileSync(record, '');
    service = await FakeService.start(home, (m, _c, index) => {
      if (m.type === 'hello') return index === 0 ? [welcome(index), { type: 'grants', grants: [ECHO_GRANT] }] : [welcome(index)];
      if (m.type === 'decide')
        return [{ type: 'decision', corr: m.corr as number, decision: { effect: 'deny', layer: 'user', rule: 'r', reason: 'the user said no', hints: [] } }];
      return [];
    });
    const peer = await guardedRawServer(home, record, service);

    // The valid grant allows echo, in the proxy, without asking.
    expect((await peer.request(1, 'tools/call', { name: 'echo', arguments: { x: 1 } })).result?.isError).toBeFalsy();
    expect(forwardedEchoCalls(record)).toHaveLength(1);

    service.connections[0]!.socket.write(JSON.stringify({ type: 'changed', what: 'everything' }) + '\n');
    expect(await waitUntil(() => service!.connections[0]!.closed, 5000)).toBe(true);
    const answer = await peer.request(2, 'tools/call', { name: 'echo', arguments: { x: 2 } });
    expect(answer.result?.isError).toBe(true);
    expect(forwardedEchoCalls(record)).toHaveLength(1);
    expect(peer.stderr).toContain('"problems":"what: expected one of');
  });

  it('is not acted on: a bad decision does not decide the held call, which is denied, and the connection is dropped', async () => {
    const home = guardHomeWith(ASK_ALL);
    const record = join(tempDir(), 'received.jsonl');
    writeFileSync(record, '');
    service = await FakeService.start(home, (m, _c, index) => {
      if (m.type === 'hello') return [welcome(index), { type: 'grants', grants: [] }];
      // An allow from a layer that does not exist: the proxy must not take it.
      if (m.type === 'decide')
        return [{ type: 'decision', corr: m.corr as number, decision: { effect: 'allow', layer: 'SECRET-layer', rule: 'r', reason: 'r', hints: [] } }];
      return [];
    });
    const peer = await guardedRawServer(home, record, service);

    const answer = await peer.request(1, 'tools/call', { name: 'echo', arguments: { x: 1 } });
    // The call did reach the service to be decided; its answer was refused.
    expect(service.connections[0]!.received.some((m) => m.type === 'decide')).toBe(true);
    expect(answer.result?.isError).toBe(true);
    expect(JSON.stringify(answer.result.content)).toMatch(/does not accept/);
    expect(forwardedEchoCalls(record)).toEqual([]);

    expect(await waitUntil(() => service!.connections[0]!.closed, 5000)).toBe(true);
    expect(await waitUntil(() => service!.connections[1]?.received[0]?.type === 'hello', 5000)).toBe(true);
    expect(peer.stderr).toContain('decision.layer');
    expect(peer.stderr).not.toContain('SECRET');
  });
});
