import { afterEach, describe, expect, it } from 'vitest';
import type { GuardService } from '../../main/service/guard-service.js';
import type { RawPeer } from '../helpers/raw-peer.js';
import { guardEnv, guardHomeWith, rawServer, startProxy } from '../helpers/proxy.js';
import { startService, until } from '../helpers/service.js';

let service: GuardService | undefined;
let peer: RawPeer | undefined;
afterEach(async () => {
  peer?.child.kill('SIGKILL');
  await service?.stop();
});

const meta = (name: string, version: string) => ({
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name, version },
});

describe('a stateless (2026-07-28) client', () => {
  it('is known to the service by the identity its latest request states', async () => {
    const home = guardHomeWith();
    service = await startService(home);
    peer = startProxy(['--name', 'raw'], rawServer('--stateless'), guardEnv(home));
    await peer.request(1, 'tools/list', { _meta: meta('claude-code', '2.1.0') });
    const clientOf = () => service!.status().proxies[0]?.client;
    expect(await until(() => clientOf() === 'claude-code' || undefined, 5000, 'the first identity')).toBe(true);
    await peer.request(2, 'ping', { _meta: meta('cursor', '1.7.0') });
    expect(await until(() => clientOf() === 'cursor' || undefined, 5000, 'the changed identity')).toBe(true);
  });
});
