import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { PROXY_PROTOCOL_VERSION, ServiceMessage, type ProxyMessage, type ServiceStatus, type SyncResult } from '../../shared/proxy-protocol.js';
import { LineSplitter } from '../common/line-splitter.js';
import type { GuardPaths } from '../store/guard-paths.js';

/**
 * One question to the running service over its local endpoint, as a `status` peer: its status, or
 * a fetch of the signed managed policy now. Rejects with a sentence for the user when no service
 * answers (not running, refused, or silent past `timeoutMs`).
 */
export function askService(paths: GuardPaths, ask: { type: 'status' }, timeoutMs?: number): Promise<ServiceStatus>;
export function askService(paths: GuardPaths, ask: { type: 'sync-now' }, timeoutMs?: number): Promise<{ result: SyncResult; status: ServiceStatus }>;
export function askService(
  paths: GuardPaths,
  ask: { type: 'status' } | { type: 'sync-now' },
  timeoutMs = 3000,
): Promise<ServiceStatus | { result: SyncResult; status: ServiceStatus }> {
  return new Promise((resolve, reject) => {
    let token: string;
    try {
      token = readFileSync(paths.token, 'utf8').trim();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return reject(new Error(code === 'ENOENT' ? `no service token at ${paths.token}` : `cannot read ${paths.token}: ${(error as Error).message}`));
    }
    const socket = createConnection(paths.socket);
    const timer = setTimeout(() => done(() => reject(new Error(`the service did not answer within ${timeoutMs / 1000} s`))), timeoutMs);
    const done = (fn: () => void) => {
      clearTimeout(timer);
      socket.destroy();
      fn();
    };
    const splitter = new LineSplitter(16 * 1024 * 1024, {
      onOversize: () => done(() => reject(new Error('oversized answer'))),
      onLine: (line) => {
        let json: unknown;
        try {
          json = JSON.parse(line.toString('utf8'));
        } catch {
          return done(() => reject(new Error('the service sent something that is not JSON')));
        }
        const parsed = ServiceMessage.safeParse(json);
        if (!parsed.success) return done(() => reject(new Error('the service sent something unexpected')));
        const m = parsed.data;
        if (m.type === 'refused') done(() => reject(new Error(`the service refused: ${m.reason}`)));
        else if (m.type === 'welcome') send(ask);
        else if (m.type === 'status' && ask.type === 'status') done(() => resolve(m.status));
        else if (m.type === 'synced' && ask.type === 'sync-now') done(() => resolve({ result: m.result, status: m.status }));
      },
    });
    const send = (m: ProxyMessage) => socket.write(JSON.stringify(m) + '\n');
    socket.on('connect', () => send({ type: 'hello', protocol: PROXY_PROTOCOL_VERSION, token, role: 'status', pid: process.pid }));
    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      done(() => reject(new Error(error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? `no service at ${paths.socket}` : error.message))),
    );
  });
}
