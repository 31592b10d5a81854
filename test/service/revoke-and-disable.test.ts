import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { GuardService } from '../../main/service/guard-service.js';
import { realServers } from '../helpers/paths.js';
import { guardHomeWith, rawServer } from '../helpers/proxy.js';
import { guardedClient, startService, until } from '../helpers/service.js';

const ASK_ALL = { version: 1, defaults: { tools: 'ask' } };
let service: GuardService | undefined;
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  await service?.stop();
  service = undefined;
});

async function connected(home: string, name: string, command: readonly string[]) {
  const client = await guardedClient(home, name, command);
  clients.push(client);
  await until(() => service!.status().proxies.some((p) => p.server === name) || undefined, 10_000, `proxy ${name}`);
  return client;
}

const echo = (client: Client) => client.callTool({ name: 'echo', arguments: { message: 'x' } });

describe('revocation and disabling', () => {
  it('revoking the grants of a server makes its calls ask again; other servers keep theirs', async () => {
    const home = guardHomeWith(ASK_ALL);
    service = await startService(home);
    const a = await connected(home, 'everything', realServers.everything);
    const b = await connected(home, 'raw', rawServer());
    for (const client of [a, b]) {
      const call = echo(client);
      const pending = await until(() => service!.pendingApprovals()[0], 10_000, 'prompt');
      service.answer(pending.id, { kind: 'allow-always', scope: 'any-arguments' });
      await call;
    }
    expect(service.revokeServerGrants('everything')).toBe(1);
    await echo(b);
    const asked = echo(a);
    await until(() => service!.pendingApprovals()[0], 10_000, 'a new prompt');
    service.answer(service.pendingApprovals()[0]!.id, { kind: 'deny' });
    expect((await asked).isError).toBe(true);
    expect(service.revokeAllGrants()).toBe(1);
  });

  it('disabling a server denies its calls and ends its running proxy and server', async () => {
    const home = guardHomeWith(ASK_ALL);
    service = await startService(home);
    const client = await connected(home, 'raw', rawServer());
    const held = echo(client);
    await until(() => service!.pendingApprovals()[0], 10_000, 'prompt');
    service.disableServer('raw');
    const [first] = (await held).content as Array<{ text: string }>;
    expect(first!.text).toMatch(/server "raw" was disabled in MCP Guard/);
    await until(() => service!.status().proxies.length === 0 || undefined, 5_000, 'the proxy to end');
  });
});

describe('without the service', () => {
  it('denies a call that needs approval, saying MCP Guard is not running', async () => {
    const home = guardHomeWith(ASK_ALL);
    const client = await guardedClient(home, 'raw', rawServer());
    clients.push(client);
    const result = await echo(client);
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/approval needed, and MCP Guard is not running to ask you/);
  });
});
