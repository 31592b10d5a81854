/**
 * The contract of shared/ipc.ts over a WebSocket, for the browser mode (`mcp-guard serve --ui`):
 * what main/ipc/handle.ts is for Electron. Every message is parsed against shared/ipc-bridge.ts and
 * the channel's own schemas; a message that does not parse closes the connection (1008), so a page
 * that is not ours, or a confused one, gets nothing further. Results and events are parsed on the
 * way out too. The socket is authenticated before it reaches here (main/ipc/ui-server.ts).
 */
import type { WebSocket } from 'ws';
import { BridgeRequest, type BridgeReply } from '../../shared/ipc-bridge.js';
import { ipcChannels, parseOrThrow, type IpcChannel } from '../../shared/ipc.js';
import type { Logger } from '../common/logger.js';
import type { IpcHandlers } from './handle.js';

/** WebSocket close code 1008: the message broke the contract. */
export const POLICY_VIOLATION = 1008;

export class WsBridge {
  private readonly sockets = new Set<WebSocket>();

  constructor(
    private readonly handlers: IpcHandlers,
    private readonly log: Logger,
  ) {}

  get connections(): number {
    return this.sockets.size;
  }

  /** Serves the contract on an authenticated socket until it closes. */
  attach(socket: WebSocket): void {
    this.sockets.add(socket);
    // Prompts this page said the user is looking at: a page that goes away cannot say it stopped.
    const interacting = new Set<string>();
    socket.on('close', () => {
      this.sockets.delete(socket);
      for (const id of interacting) void this.invoke('approvals:interacting', [id, false]).catch(() => undefined);
    });
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => {
      if (isBinary) return this.refuse(socket, 'binary messages are not part of the contract');
      let message: unknown;
      try {
        message = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8'));
      } catch {
        return this.refuse(socket, 'a message that is not JSON');
      }
      const parsed = BridgeRequest.safeParse(message);
      if (!parsed.success) return this.refuse(socket, `a message that is not an invoke: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      const { id, channel, args } = parsed.data;
      if (!Object.hasOwn(ipcChannels, channel)) return this.refuse(socket, `an unknown channel "${channel.slice(0, 100)}"`);
      if (channel === 'approvals:interacting' && typeof args[0] === 'string') {
        if (args[1] === true) interacting.add(args[0]);
        else interacting.delete(args[0]);
      }
      void this.invoke(channel as IpcChannel, args).then(
        (value) => send(socket, { type: 'result', id, value }),
        (error: unknown) => send(socket, { type: 'error', id, message: error instanceof Error ? error.message : String(error) }),
      );
    });
  }

  /** An event to every connected page (the payload was checked against the contract by forwardGuardEvents). */
  broadcast(event: string, payload: unknown): void {
    for (const socket of this.sockets) send(socket, { type: 'event', event, payload });
  }

  closeAll(): void {
    for (const socket of this.sockets) socket.close(1001, 'MCP Guard is stopping');
  }

  private async invoke(channel: IpcChannel, rawArgs: unknown[]): Promise<unknown> {
    const spec = ipcChannels[channel];
    const args = parseOrThrow(spec.args, rawArgs, `${channel} arguments`) as unknown[];
    const handler = this.handlers[channel] as (...a: unknown[]) => unknown;
    return parseOrThrow(spec.result, await handler(...args), `${channel} result`);
  }

  private refuse(socket: WebSocket, what: string): void {
    this.log.log('warn', `ui: closed a connection that sent ${what}`);
    socket.close(POLICY_VIOLATION, 'message does not parse against the contract');
  }
}

function send(socket: WebSocket, reply: BridgeReply): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(reply));
}
