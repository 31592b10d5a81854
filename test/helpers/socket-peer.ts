/**
 * A raw peer of the guard service's local socket: says exactly the lines a test gives it, with no
 * proxy code in between, and keeps what the service answers. For tests of what a peer that holds
 * the token (but is not one of our proxies) can do.
 */
import { createConnection, type Socket } from 'node:net';
import { PROXY_PROTOCOL_VERSION } from '../../shared/proxy-protocol.js';
import type { Json } from './raw-peer.js';

export class SocketPeer {
  readonly received: Json[] = [];
  readonly closed: Promise<void>;
  private readonly socket: Socket;
  private buffer = '';
  private waiters: Array<() => void> = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static open(path: string): Promise<SocketPeer> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      socket.once('connect', () => resolve(new SocketPeer(socket)));
      socket.once('error', reject);
    });
  }

  send(message: object): void {
    this.socket.write(JSON.stringify(message) + '\n');
  }

  /** The n-th message the service sent (0-based), waiting for it up to `timeoutMs`. */
  async nth(n: number, timeoutMs = 5000): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length <= n) {
      if (Date.now() > deadline) throw new Error(`no message #${n} from the service; got ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.received[n]!;
  }

  close(): Promise<void> {
    this.socket.end();
    return this.closed;
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) !== -1) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      if (line.trim() !== '') this.received.push(JSON.parse(line) as Json);
    }
    this.waiters.splice(0).forEach((w) => w());
  }
}

/** A hello as a peer holding the token can say it; `extra` adds or overrides fields. */
export function helloFrom(token: string, extra: object = {}): object {
  return { type: 'hello', protocol: PROXY_PROTOCOL_VERSION, token, role: 'proxy', pid: process.pid, server: { name: 'everything' }, ...extra };
}
