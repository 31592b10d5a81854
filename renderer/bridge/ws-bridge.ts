import { BRIDGE_MAX_MESSAGE_BYTES, BRIDGE_PATH, BridgeReply, type BridgeRequest } from '../../shared/ipc-bridge.js';
import { createGuardApi, type GuardApi } from '../../shared/ipc.js';
import { ConnectionCell, type ConnectionSource } from './connection.js';

/**
 * `window.guard` for the browser mode (`mcp-guard serve --ui`): the shared/ipc.ts contract over
 * one WebSocket to main/ipc/ws-bridge.ts. Every message from the service is parsed with
 * BridgeReply; one that does not parse ends the socket (and the reconnect starts over) rather than
 * leave a call waiting on a reply that will never match. Calls made while the socket is not open,
 * and calls still waiting when it closes, reject at once: an answer is never queued for later.
 */
export interface WsBridge {
  readonly guard: GuardApi;
  readonly connection: ConnectionSource;
}

export interface WsBridgeOptions {
  /** ws://host/guard?token=…; undefined: there is no token, so there is nothing to connect to. */
  readonly url: string | undefined;
  readonly createSocket?: (url: string) => WebSocket;
}

const FIRST_RETRY_MS = 1_000;
const LAST_RETRY_MS = 10_000;
/** Browsers allow only 1000 and 3000–4999 from a page; this one says "the service sent something off-contract". */
const CLOSE_PROTOCOL_ERROR = 4002;

type Pending = { channel: string; resolve: (value: unknown) => void; reject: (error: Error) => void };

export function bridgeUrl(host: string, token: string): string {
  return `ws://${host}${BRIDGE_PATH}?token=${encodeURIComponent(token)}`;
}

export function createWsBridge(options: WsBridgeOptions): WsBridge {
  const connection = new ConnectionCell();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const pending = new Map<number, Pending>();
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url));
  let socket: WebSocket | undefined;
  let nextId = 0;
  let generation = 0;
  let retryMs = FIRST_RETRY_MS;
  let closeReason: string | undefined;

  const rejectAll = (why: string) => {
    for (const call of pending.values()) call.reject(new Error(why));
    pending.clear();
  };

  const dispatch = (event: string, payload: unknown) => {
    for (const cb of [...(listeners.get(event) ?? [])]) {
      try {
        cb(payload);
      } catch {
        // A payload off-contract throws in the parsing wrapper of createGuardApi; the other
        // listeners still get theirs. Not logged: payloads are prompts, and prompts are not logged.
      }
    }
  };

  const onMessage = (ws: WebSocket, data: unknown) => {
    const reply = typeof data === 'string' && data.length <= BRIDGE_MAX_MESSAGE_BYTES ? parseReply(data) : undefined;
    if (reply === undefined) {
      closeReason = 'the service sent a message this page does not understand (is the page older than the service? reload it)';
      ws.close(CLOSE_PROTOCOL_ERROR, 'invalid message');
      return;
    }
    if (reply.type === 'event') return dispatch(reply.event, reply.payload);
    const call = pending.get(reply.id);
    if (call === undefined) return;
    pending.delete(reply.id);
    if (reply.type === 'result') call.resolve(reply.value);
    else call.reject(new Error(reply.message));
  };

  const connect = (url: string) => {
    closeReason = undefined;
    const ws = createSocket(url);
    socket = ws;
    ws.addEventListener('open', () => {
      retryMs = FIRST_RETRY_MS;
      generation += 1;
      connection.set({ kind: 'open', generation });
    });
    ws.addEventListener('message', (e) => onMessage(ws, e.data));
    ws.addEventListener('close', (e) => {
      if (socket !== ws) return;
      socket = undefined;
      const reason = closeReason ?? describeClose(e.code, e.reason);
      rejectAll(`the connection to the MCP Guard service closed (${reason})`);
      connection.set({ kind: 'closed', generation, reason, retrying: true });
      const delay = retryMs;
      retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
      setTimeout(() => {
        connection.set({ kind: 'connecting', generation, lastError: reason });
        connect(url);
      }, delay);
    });
  };

  const invoke = (channel: string, args: readonly unknown[]): Promise<unknown> => {
    const ws = socket;
    if (ws === undefined || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('not connected to the MCP Guard service'));
    const id = nextId++;
    const request: BridgeRequest = { type: 'invoke', id, channel, args: [...args] };
    const text = JSON.stringify(request);
    if (text.length > BRIDGE_MAX_MESSAGE_BYTES) return Promise.reject(new Error(`${channel}: the request is larger than the bridge allows`));
    return new Promise((resolve, reject) => {
      pending.set(id, { channel, resolve, reject });
      ws.send(text);
    });
  };

  const listen = (event: string, cb: (payload: unknown) => void): (() => void) => {
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(cb);
    return () => {
      set.delete(cb);
    };
  };

  if (options.url === undefined) {
    connection.set({
      kind: 'closed',
      generation: 0,
      reason: 'this address has no access token (open the link that mcp-guard serve --ui printed)',
      retrying: false,
    });
  } else {
    connect(options.url);
  }
  return { guard: createGuardApi(invoke, listen), connection };
}

function parseReply(text: string): BridgeReply | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = BridgeReply.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Browsers hide why a WebSocket handshake failed (a refused token and a stopped service both read 1006). */
function describeClose(code: number, reason: string): string {
  if (reason !== '') return reason;
  if (code === 1006) return 'the connection failed or was lost';
  if (code === 1008) return 'the service refused this page (its access token may be out of date; open the link mcp-guard serve --ui printed)';
  if (code === 1001) return 'the service is shutting down';
  return `the connection closed (code ${code})`;
}
