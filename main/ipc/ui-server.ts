/**
 * `mcp-guard serve --ui`: the renderer build and the contract, for a browser, on 127.0.0.1 only.
 * Who may connect: a page of this origin (Origin checked), addressed by this address (Host checked:
 * a DNS-rebinding page at evil.example that resolves to 127.0.0.1 sends its own Host), holding the
 * random token printed with the URL (compared in constant time). The token travels in the URL's
 * fragment, so the browser never sends it with page requests; the page passes it on the WebSocket.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { BRIDGE_MAX_MESSAGE_BYTES, BRIDGE_PATH } from '../../shared/ipc-bridge.js';
import type { Logger } from '../common/logger.js';
import { forwardGuardEvents, type GuardEventSource } from './guard-events.js';
import type { IpcHandlers } from './handle.js';
import { plain, serveStatic } from './ui-static.js';
import { WsBridge } from './ws-bridge.js';

export type UiServerOptions = {
  /** 0 picks a free port. */
  port: number;
  rendererDir: string;
  handlers: IpcHandlers;
  events: GuardEventSource;
  log: Logger;
};

export type UiServer = {
  /** `http://127.0.0.1:PORT/#token=…`: the page to open. */
  readonly url: string;
  readonly port: number;
  readonly bridge: WsBridge;
  close(): Promise<void>;
};

export async function startUiServer(o: UiServerOptions): Promise<UiServer> {
  const token = randomBytes(32).toString('base64url');
  const bridge = new WsBridge(o.handlers, o.log);
  const wss = new WebSocketServer({ noServer: true, maxPayload: BRIDGE_MAX_MESSAGE_BYTES });
  let port = o.port;
  const origin = () => `http://127.0.0.1:${port}`;
  const ownHost = (req: IncomingMessage) => req.headers.host === `127.0.0.1:${port}`;

  const server = createServer((req, res) => {
    if (!ownHost(req)) return plain(res, 421, `this server answers only to http://127.0.0.1:${port}`);
    serveStatic(req, res, o.rendererDir, port);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = refuseUpgrade(req, ownHost(req), origin(), token);
    if (refusal) {
      o.log.log('warn', `ui: refused a WebSocket: ${refusal.why}`, { origin: String(req.headers.origin ?? ''), host: String(req.headers.host ?? '') });
      socket.end(`HTTP/1.1 ${refusal.status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => bridge.attach(ws));
  });
  const stopEvents = forwardGuardEvents(o.events, (event, payload) => bridge.broadcast(event, payload));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the UI server has no TCP address');
  port = address.port;
  return {
    url: `${origin()}/#token=${token}`,
    port,
    bridge,
    close: async () => {
      stopEvents();
      bridge.closeAll();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function refuseUpgrade(req: IncomingMessage, ownHost: boolean, origin: string, token: string): { status: string; why: string } | undefined {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== BRIDGE_PATH) return { status: '404 Not Found', why: `path ${url.pathname.slice(0, 100)}` };
  if (!ownHost) return { status: '421 Misdirected Request', why: 'a Host header that is not this server' };
  if (req.headers.origin !== origin) return { status: '403 Forbidden', why: 'an Origin that is not this server' };
  const given = url.searchParams.get('token');
  if (given === null || !sameSecret(given, token)) return { status: '401 Unauthorized', why: given === null ? 'no token' : 'a wrong token' };
  return undefined;
}

/** Constant-time equality of two strings of any length (compared as SHA-256 digests). */
export function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
