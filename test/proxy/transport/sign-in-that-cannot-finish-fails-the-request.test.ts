/**
 * A sign-in that cannot finish must not hold the request forever, and its error says what to do:
 * the user never finishes it (the browser opens, nobody consents), or the server asks for a bearer
 * token but publishes nothing to sign in with. In process, with a short limit; the real keychain.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpUpstream } from '../../../main/proxy/transport/http-upstream.js';
import { keychainIdOfUrl, OAuthGate } from '../../../main/proxy/transport/oauth-gate.js';
import { OAUTH_CLIENT_ITEM as CLIENT_ITEM, OAUTH_TOKENS_ITEM as TOKENS_ITEM } from '../../../main/secrets/keychain.js';
import { KeychainSecretStore } from '../../../main/secrets/keychain.js';
import { startScriptedServer, type RunningServer } from '../../fixtures/http-mcp-servers.js';
import { startOAuthServers, type OAuthServers } from '../../fixtures/oauth-server.js';
import { requireKeychain } from '../../helpers/keychain.js';

let servers: OAuthServers | RunningServer | undefined;
let upstream: HttpUpstream | undefined;
const keychainIds: string[] = [];
beforeAll(() => requireKeychain());
afterEach(async () => {
  await upstream?.close();
  await servers?.stop();
});
afterAll(() => {
  const store = new KeychainSecretStore();
  for (const id of keychainIds) for (const item of [TOKENS_ITEM, CLIENT_ITEM]) store.deleteSync(id, item);
});

/** An initialize through an HttpUpstream with OAuth; resolves its error message and the log. */
async function initialize(url: string): Promise<{ error: string; logs: string[] }> {
  const serverUrl = new URL(url);
  const keychainId = keychainIdOfUrl(serverUrl);
  keychainIds.push(keychainId);
  const logs: string[] = [];
  const log = (m: string) => logs.push(m);
  // A "browser" that opens nothing.
  const env = { ...process.env, MCP_GUARD_BROWSER: `"${process.execPath}" -e 0` };
  const gate = new OAuthGate({ server: 'remote', where: url, serverUrl, keychainId, log, env, timeoutMs: 300 });
  upstream = new HttpUpstream({ kind: 'http', name: 'remote', url, headers: {} }, log, { headerSource: gate, onUnauthorized: gate });
  const answer = new Promise<string>((resolve) =>
    upstream!.start({ onData: (chunk) => resolve(chunk.toString('utf8')), onExit: () => undefined, onDrain: () => undefined }),
  );
  const message = {
    jsonrpc: '2.0',
    id: 7,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
  };
  upstream.send(message, JSON.stringify(message));
  return { error: (JSON.parse(await answer) as { error: { message: string } }).error.message, logs };
}

describe('a sign-in that cannot finish', () => {
  it('fails the request that waited for it once nobody signed in within the limit, saying how to get a new link', async () => {
    const oauth = await startOAuthServers();
    servers = oauth;
    const { error, logs } = await initialize(oauth.url);
    expect(error).toMatch(/asks you to sign in \(OAuth\), and no sign-in came back within 0\.3 s; send the request again/);
    expect(logs.some((l) => l.includes(`${oauth.issuer}/authorize?`))).toBe(true);
    expect(oauth.tokenRequests).toHaveLength(0);
  });

  it('tells to give the token with --header when the server asks for a bearer token but publishes no OAuth metadata', async () => {
    const plain = await startScriptedServer((_hit, res) => void res.writeHead(401, { 'www-authenticate': 'Bearer realm="api"' }).end());
    servers = plain;
    const { error } = await initialize(plain.url);
    expect(error).toMatch(/asks for a bearer token \(HTTP 401\), but publishes no OAuth metadata .*give the token with --header "Authorization: Bearer …"/);
    expect(plain.hits.filter((h) => h.path === '/register')).toHaveLength(0);
  });
});
