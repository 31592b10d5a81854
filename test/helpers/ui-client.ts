/**
 * A WebSocket client of `mcp-guard serve --ui` that says exactly what a test gives it: the page's
 * token, Origin and Host, or someone else's. For tests of who may reach the contract.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { BRIDGE_PATH } from '../../shared/ipc-bridge.js';
import type { Json } from './raw-peer.js';

export type UiClientOptions = { port: number; token?: string; origin?: string; host?: string };

export class UiClient {
  readonly events: Json[] = [];
  private readonly replies = new Map<number, (reply: Json) => void>();
  private next = 0;

  private constructor(
    private readonly ws: WebSocket,
    readonly closed: Promise<{ code: number; reason: string }>,
  ) {
    ws.on('message', (data) => {
      const message = JSON.parse((data as Buffer).toString('utf8')) as Json;
      if (message['type'] === 'event') this.events.push({ ...message, receivedAt: Date.now() });
      else this.replies.get(message['id'] as number)?.(message);
    });
  }

  /** Connects, or rejects with the HTTP status the server refused the upgrade with. */
  static connect(o: UiClientOptions): Promise<UiClient> {
    const query = o.token === undefined ? '' : `?token=${encodeURIComponent(o.token)}`;
    const ws = new WebSocket(`ws://127.0.0.1:${o.port}${BRIDGE_PATH}${query}`, {
      headers: { origin: o.origin ?? `http://127.0.0.1:${o.port}`, ...(o.host !== undefined ? { host: o.host } : {}) },
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new UiClient(ws, closed)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Sends a raw text frame. */
  sendRaw(text: string): void {
    this.ws.send(text);
  }

  invoke(channel: string, ...args: unknown[]): Promise<Json> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.replies.set(id, resolve);
      this.ws.send(JSON.stringify({ type: 'invoke', id, channel, args }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** A renderer build stand-in for server tests that do not need the real page. */
export function fakeRendererDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>MCP Guard</title>');
  return dir;
}

/** The token of a UI URL `http://127.0.0.1:PORT/#token=…`. */
export function tokenOf(url: string): string {
  return new URL(url).hash.replace(/^#token=/, '');
}
