/**
 * `mcp-guard run --url` against a remote MCP server that asks for OAuth (test/fixtures/oauth-server.ts):
 * the proxy signs in through the browser (MCP_GUARD_BROWSER: a script that follows the sign-in URL,
 * as a browser whose user consents), keeps the tokens in the OS keychain, reuses them on the next
 * launch, and refreshes them. The real keychain: run through test/setup/keyring-session.sh.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keychainIdOfUrl } from '../../main/proxy/transport/oauth-gate.js';
import { OAUTH_CLIENT_ITEM as CLIENT_ITEM, OAUTH_TOKENS_ITEM as TOKENS_ITEM } from '../../main/secrets/keychain.js';
import { KeychainSecretStore } from '../../main/secrets/keychain.js';
import { startOAuthServers, type OAuthServers } from '../fixtures/oauth-server.js';
import { requireKeychain } from '../helpers/keychain.js';
import { cliPath } from '../helpers/paths.js';
import { guardEnv, guardHomeWith, tempDir } from '../helpers/proxy.js';

const store = new KeychainSecretStore();
const usedIds = new Set<string>();
let servers: OAuthServers | undefined;
const clients: Client[] = [];

beforeAll(() => requireKeychain());
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await servers?.stop();
  servers = undefined;
});
afterAll(() => {
  for (const id of usedIds) for (const item of [TOKENS_ITEM, CLIENT_ITEM]) store.deleteSync(id, item);
});

/** A "browser" that GETs the sign-in URL and follows its redirect to the proxy's listener; `forge` first sends one with another state and code. */
type Visit = { authorize: number; forged?: number; callback?: number };

function browser(dir: string, forge = false): { command: string; visits: () => Visit[] } {
  const log = join(dir, 'visits.jsonl');
  const script = join(dir, 'browser.mjs');
  writeFileSync(
    script,
    `import { appendFileSync } from 'node:fs';
const visit = {};
const answer = await fetch(process.argv.at(-1), { redirect: 'manual' });
visit.authorize = answer.status;
const back = answer.headers.get('location');
if (back && ${forge}) {
  const forged = new URL(back);
  forged.searchParams.set('state', 'forged-state');
  forged.searchParams.set('code', 'attacker-code');
  visit.forged = (await fetch(forged)).status;
}
if (back) visit.callback = (await fetch(back)).status;
appendFileSync(${JSON.stringify(log)}, JSON.stringify(visit) + '\\n');
`,
  );
  return {
    command: `"${process.execPath}" "${script}"`,
    visits: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as Visit)
        : [],
  };
}

async function launch(url: string, home: string, browserCommand: string): Promise<{ client: Client; stderr: () => string; connectMs: number }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cliPath, 'run', '--url', url, '--name', 'remote'],
    env: guardEnv(home, { MCP_GUARD_BROWSER: browserCommand }) as Record<string, string>,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'claude-code', version: '2.1.0' });
  clients.push(client);
  const started = performance.now();
  await client.connect(transport);
  return { client, stderr: () => stderr, connectMs: performance.now() - started };
}

async function echo(client: Client, message: string): Promise<string> {
  const result = await client.callTool({ name: 'echo', arguments: { message } });
  return JSON.stringify(result.content);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

function keychainTokens(url: string): string | undefined {
  const id = keychainIdOfUrl(new URL(url));
  usedIds.add(id);
  return store.getSync(id, TOKENS_ITEM);
}

describe('a remote server that asks for OAuth', () => {
  it('is signed in to through the browser on the first launch, its tokens kept in the keychain only, and a second launch needs no browser', async () => {
    servers = await startOAuthServers();
    const home = guardHomeWith();
    const b = browser(tempDir());
    keychainTokens(servers.url);

    const first = await launch(servers.url, home, b.command);
    expect(await echo(first.client, 'hello')).toContain('echo: hello');
    expect(b.visits()).toEqual([{ authorize: 302, callback: 200 }]);
    expect(servers.registrations).toHaveLength(1);
    const [{ access, refresh }] = servers.issued as [{ access: string; refresh: string }];
    const stored = keychainTokens(servers.url)!;
    expect(stored).toContain(access);
    expect(stored).toContain(refresh);
    expect(first.stderr()).toContain(`${servers.issuer}/authorize?`); // the sign-in URL, for the MCP log
    for (const token of [access, refresh]) {
      expect(first.stderr()).not.toContain(token);
      for (const file of filesUnder(home)) expect(readFileSync(file, 'utf8'), file).not.toContain(token);
    }
    await first.client.close();

    const second = await launch(servers.url, home, b.command);
    expect(await echo(second.client, 'again')).toContain('echo: again');
    expect(b.visits()).toHaveLength(1);
    expect(servers.authorizations).toHaveLength(1);
    expect(servers.tokenRequests.map((t) => t.grant)).toEqual(['authorization_code']);
    expect(servers.mcpAuthorizations.at(-1)).toBe(`Bearer ${access}`);
    console.info(`sign-in flow: first connect ${first.connectMs.toFixed(0)} ms, second connect (stored tokens) ${second.connectMs.toFixed(0)} ms`);
  });

  it('refreshes the access token before it expires, and when the server refuses it, without asking the user again', async () => {
    servers = await startOAuthServers({ accessTokenSeconds: 4 });
    const home = guardHomeWith();
    const b = browser(tempDir());
    keychainTokens(servers.url);
    const { client, stderr } = await launch(servers.url, home, b.command);
    expect(await echo(client, 'one')).toContain('echo: one');
    expect(servers.tokenRequests.map((t) => t.grant)).toEqual(['authorization_code']);

    // Lifetime 4 s: renewed from 2 s on, before the server would refuse it.
    await new Promise((r) => setTimeout(r, 2200));
    expect(await echo(client, 'two')).toContain('echo: two');
    expect(servers.tokenRequests.map((t) => [t.grant, t.ok])).toEqual([
      ['authorization_code', true],
      ['refresh_token', true],
    ]);
    expect(servers.mcpAuthorizations.at(-1)).toBe(`Bearer ${servers.issued[1]!.access}`);
    expect(keychainTokens(servers.url)).toContain(servers.issued[1]!.refresh);

    servers.revokeAccessTokens();
    const refusedBefore = servers.mcpAuthorizations.length;
    expect(await echo(client, 'three')).toContain('echo: three');
    expect(servers.mcpAuthorizations.slice(refusedBefore)).toEqual([`Bearer ${servers.issued[1]!.access}`, `Bearer ${servers.issued[2]!.access}`]);
    expect(servers.tokenRequests.map((t) => t.grant)).toEqual(['authorization_code', 'refresh_token', 'refresh_token']);
    expect(b.visits()).toHaveLength(1);
    for (const { access, refresh } of servers.issued) expect(stderr()).not.toMatch(new RegExp(`${access}|${refresh}`));
  });

  it('refuses a redirect whose state is not the one it sent, and signs in with the one that is', async () => {
    servers = await startOAuthServers();
    const b = browser(tempDir(), true);
    keychainTokens(servers.url);
    const { client, stderr } = await launch(servers.url, guardHomeWith(), b.command);
    expect(await echo(client, 'safe')).toContain('echo: safe');
    expect(b.visits()).toEqual([{ authorize: 302, forged: 400, callback: 200 }]);
    expect(servers.tokenRequests.map((t) => t.code)).not.toContain('attacker-code');
    expect(servers.tokenRequests).toHaveLength(1);
    expect(stderr()).toMatch(/state that is not the one MCP Guard sent; refused it/);
  });
});
