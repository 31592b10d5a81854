/**
 * Threat: the UI (or anything on its socket) changes a client's config other than as the user saw
 * it, or learns a secret. A wrap or unwrap applies only a preview this service made, once, and
 * only while every file is as it was when previewed; and no message to the renderer carries the
 * token that wrapping moves to the keychain, neither in the list nor in either diff. All real:
 * `mcp-guard serve --ui` (the built CLI) with a HOME of its own, the OS keychain of
 * test/setup/keyring-session.sh.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireKeychain } from '../helpers/keychain.js';
import { realServers } from '../helpers/paths.js';
import type { Json } from '../helpers/raw-peer.js';
import { tokenOf, UiClient } from '../helpers/ui-client.js';
import { startUiService, type UiService } from '../helpers/ui-service.js';
import { cliPath } from '../helpers/paths.js';
import { TOKEN, testHome, writeClaudeJson, type TestHome } from '../e2e/servers-test-home.js';

let h: TestHome;
let ui: UiService;
let page: UiClient;
let original: string;
/** Every reply and event the socket received, as text. */
const received: string[] = [];

const SERVERS = { github: { type: 'stdio', command: realServers.memory[0], args: [realServers.memory[1]], env: { GITHUB_TOKEN: TOKEN, LOG_LEVEL: 'info' } } };

beforeAll(async () => {
  requireKeychain();
  h = testHome();
  original = writeClaudeJson(h, SERVERS);
  ui = await startUiService(h.guardHome, [], cliPath, h.env);
  page = await UiClient.connect({ port: ui.port, token: tokenOf(ui.url) });
}, 30_000);

afterAll(async () => {
  page?.close();
  await ui?.stop();
});

async function call(channel: string, ...args: unknown[]): Promise<Json> {
  const reply = await page.invoke(channel, ...args);
  received.push(JSON.stringify(reply));
  expect(reply['type'], JSON.stringify(reply)).toBe('result');
  return reply['value'] as Json;
}

type Row = { key: string; name: string; state: string; secrets: { name: string; where: string }[] };
const rows = async () => ((await call('servers:list'))['rows'] as Row[]).filter((r) => r.name === 'github');

describe('servers:apply applies only what the user was shown', () => {
  it('lists the server with its secret by name, never its value', async () => {
    const [row] = await rows();
    expect(row).toMatchObject({ state: 'unwrapped', secrets: [{ name: 'GITHUB_TOKEN', where: 'in-file' }] });
  });

  it('refuses a hash it never handed out, and changes nothing', async () => {
    const applied = await call('servers:apply', 'ab'.repeat(32));
    expect(applied).toMatchObject({ ok: false, reason: expect.stringMatching(/not a diff MCP Guard showed you/) });
    expect(readFileSync(h.claudeJson, 'utf8')).toBe(original);
  });

  it('refuses a preview once the file changed after it was made, even elsewhere in the file', async () => {
    const [row] = await rows();
    const preview = await call('servers:preview', 'wrap', row!.key);
    expect(preview).toMatchObject({ ok: true, action: 'wrap', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // Claude Code rewrites ~/.claude.json while it runs: another setting changed, the servers did not.
    const edited = original.replace('"numStartups": 12', '"numStartups": 13');
    writeFileSync(h.claudeJson, edited);
    const applied = await call('servers:apply', preview['hash']);
    expect(applied).toMatchObject({ ok: false, reason: expect.stringMatching(/changed since you saw the diff; nothing was changed\. Look again/) });
    expect(readFileSync(h.claudeJson, 'utf8')).toBe(edited);
    // Refused is spent: the same hash does not apply later either.
    writeFileSync(h.claudeJson, original);
    expect(await call('servers:apply', preview['hash'])).toMatchObject({ ok: false });
    expect(readFileSync(h.claudeJson, 'utf8')).toBe(original);
  });

  it('applies a fresh preview once, exactly as shown, and never again', async () => {
    const [row] = await rows();
    const preview = await call('servers:preview', 'wrap', row!.key);
    const text = JSON.stringify(preview);
    expect(text).toContain('«secret»');
    expect(text).toContain('MCP_GUARD_SERVER_ID');
    const applied = await call('servers:apply', preview['hash']);
    expect(applied).toMatchObject({ ok: true, changed: ['claude-code/user/github'], errors: [] });
    const wrapped = readFileSync(h.claudeJson, 'utf8');
    expect(wrapped).not.toContain(TOKEN);
    expect(JSON.parse(wrapped).mcpServers.github).toMatchObject({ args: ['run'], env: { MCP_GUARD_SERVER_ID: 'claude-code/user/github', LOG_LEVEL: 'info' } });
    expect(await call('servers:apply', preview['hash'])).toMatchObject({ ok: false, reason: expect.stringMatching(/applied or expired already/) });
    expect(readFileSync(h.claudeJson, 'utf8')).toBe(wrapped);
  });

  it('unwraps as previewed, byte for byte, the token read back from the keychain shown masked', async () => {
    const [row] = await rows();
    expect(row).toMatchObject({ state: 'wrapped', secrets: [{ name: 'GITHUB_TOKEN', where: 'keychain' }] });
    const preview = await call('servers:preview', 'unwrap', row!.key);
    expect(JSON.stringify(preview)).toContain('«secret»');
    expect(await call('servers:apply', preview['hash'])).toMatchObject({ ok: true, changed: ['claude-code/user/github'] });
    expect(readFileSync(h.claudeJson, 'utf8')).toBe(original);
  });

  it('refuses a wrap preview of a row that is not there, and a channel argument outside the contract', async () => {
    expect(await call('servers:preview', 'wrap', '0'.repeat(32))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no longer where the list showed it/),
    });
    const bad = await page.invoke('servers:apply', 'not-a-hash');
    expect(bad).toMatchObject({ type: 'error', message: expect.stringMatching(/servers:apply arguments/) });
  });

  it('never sent the token, in any reply or event', () => {
    expect(received.length).toBeGreaterThan(8);
    const all = [...received, ...page.events.map((e) => JSON.stringify(e))].join('\n');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(TOKEN.slice(4, 20));
  });
});
