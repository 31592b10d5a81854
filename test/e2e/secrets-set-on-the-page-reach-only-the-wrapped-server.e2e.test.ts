/**
 * The Secrets page as a user lives it, all real: client configs wrapped by the built CLI (tokens
 * moved to the real keychain of test/setup/keyring-session.sh), `mcp-guard serve --ui`, the page in
 * Debian chromium, and the wrapped entries started exactly as Claude Code starts them, reaching
 * server-everything, whose get-env tool prints the environment it was given. A value set on the page
 * reaches the server; no frame the page received, no line of the service's log and no audit event
 * holds any value.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeychainSecretStore } from '../../main/secrets/keychain.js';
import { launchChromium, seriousAxeViolations, type OwnBrowser } from '../helpers/browser.js';
import { requireKeychain } from '../helpers/keychain.js';
import { cliPath, realServers, repoRoot } from '../helpers/paths.js';
import { tempDir } from '../helpers/proxy.js';
import { startUiService, type UiService } from '../helpers/ui-service.js';

const SCREENSHOTS = join(repoRoot, 'docs', 'screenshots');
const GITHUB_TOKEN = 'ghp_' + 'Qw3rTy7UiOp9AsDf2GhJk4LzXc6VbNm8Pq1W';
const TRACKER_KEY = 'tk-live-' + 'Hx81Jd02Ks93Lq74Mz65';
const BEARER = 'Bearer sk-search-' + 'Ff7Gg8Hh9Jj0Kk1Ll2Mm3';
const TYPED_ON_PAGE = 'typed-on-the-page-' + 'R2d2C3poBb8Yoda';
const REPLACED_ON_PAGE = 'replaced-on-the-page-' + 'K9Mx7Qz5Wv3';
const FROM_HELPER = 'from-the-helper-' + 'N1o2P3q4R5s6';
const ALL_VALUES = [GITHUB_TOKEN, TRACKER_KEY, BEARER.slice('Bearer '.length), TYPED_ON_PAGE, REPLACED_ON_PAGE, FROM_HELPER];
const TRACKER = 'claude-code/user/issue-tracker';

type Entry = { command: string; args: string[]; env: Record<string, string> };

let home: string;
let guardHome: string;
let env: NodeJS.ProcessEnv;
let helperScript: string;
let ui: UiService;
let own: OwnBrowser;
let page: Page;
const clients: Client[] = [];
/** Every WebSocket frame the page received from the service. */
const framesToPage: string[] = [];

beforeAll(async () => {
  requireKeychain();
  home = tempDir('mcp-guard-e2e-secrets-');
  guardHome = join(home, 'guard');
  mkdirSync(guardHome, { mode: 0o700 });
  writeFileSync(join(guardHome, 'policy.json'), JSON.stringify({ version: 1, defaults: { tools: 'allow', newServers: 'allow' } }));
  env = {
    HOME: home,
    MCP_GUARD_HOME: guardHome,
    MCP_GUARD_LAUNCHER: cliPath,
    XDG_CONFIG_HOME: join(home, '.config'),
    CODEX_HOME: join(home, '.codex'),
  };
  const mcpServers = {
    'issue-tracker': { command: 'node', args: realServers.everything.slice(1), env: { GITHUB_TOKEN, TRACKER_API_KEY: TRACKER_KEY, LOG_LEVEL: 'info' } },
    'knowledge-base': { command: 'node', args: realServers.memory.slice(1) },
    'search-api': { type: 'http', url: 'https://search.example.com/mcp', headers: { Authorization: BEARER } },
  };
  writeFileSync(join(home, '.claude.json'), JSON.stringify({ mcpServers }, null, 2));
  const wrapped = spawnSync(process.execPath, [cliPath, 'wrap'], { env: { ...process.env, ...env }, encoding: 'utf8', cwd: home });
  expect(wrapped.status, wrapped.stderr).toBe(0);
  // A secret whose keychain item is gone (removed in the keychain's own tool, or wrapped on another machine).
  expect(new KeychainSecretStore().deleteSync(TRACKER, 'TRACKER_API_KEY')).toBe(true);
  helperScript = join(home, 'print-token.js');
  writeFileSync(helperScript, `process.stdout.write(${JSON.stringify(FROM_HELPER)} + '\\n');\n`);

  ui = await startUiService(guardHome, [], undefined, env);
  own = await launchChromium();
  page = await own.browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('websocket', (ws) => ws.on('framereceived', (frame) => framesToPage.push(String(frame.payload))));
  await page.goto(ui.url);
  await page.getByRole('link', { name: 'Secrets' }).click();
  await page.getByRole('heading', { name: 'issue-tracker' }).waitFor();
}, 60_000);

afterAll(async () => {
  for (const c of clients.splice(0)) await c.close();
  await own?.close();
  await ui?.stop();
  for (const name of ['GITHUB_TOKEN', 'TRACKER_API_KEY', 'DEPLOY_TOKEN']) new KeychainSecretStore().deleteSync(TRACKER, name);
  new KeychainSecretStore().deleteSync('claude-code/user/search-api', 'Authorization');
});

const panel = (server: string) => page.getByTestId('secrets-server').filter({ has: page.getByRole('heading', { name: server, exact: true }) });
const row = (server: string, secret: string) => panel(server).locator(`[data-testid="secret-row"][data-secret="${secret}"]`);
const stateOf = (server: string, secret: string) => row(server, secret).getByTestId('secret-state').textContent();
const dialog = () => page.getByRole('dialog');

/** Starts the wrapped entry as Claude Code does (command, args and env from its file) and returns what get-env prints. */
async function serverEnvironment(): Promise<Record<string, string>> {
  const entry = (JSON.parse(readFileSync(join(home, '.claude.json'), 'utf8')) as { mcpServers: Record<string, Entry> }).mcpServers['issue-tracker']!;
  const transport = new StdioClientTransport({
    command: entry.command,
    args: entry.args,
    env: { ...(process.env as Record<string, string>), ...(env as Record<string, string>), ...entry.env },
  });
  const client = new Client({ name: 'claude-code', version: '2.1.0' });
  await client.connect(transport);
  clients.push(client);
  try {
    const content = (await client.callTool({ name: 'get-env', arguments: {} })).content as { text: string }[];
    return JSON.parse(content[0]!.text) as Record<string, string>;
  } finally {
    await client.close();
  }
}

function allText(dir: string): string {
  let out = '';
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, entry);
    if (statSync(path).isFile()) out += readFileSync(path, 'utf8');
  }
  return out;
}

describe('the Secrets page', () => {
  it("lists each wrapped server's secrets by name, where each goes and whether it is set, without any value", async () => {
    expect(await stateOf('issue-tracker', 'GITHUB_TOKEN')).toBe('Set');
    expect(await stateOf('issue-tracker', 'TRACKER_API_KEY')).toBe('Not set');
    await expect(row('issue-tracker', 'TRACKER_API_KEY').getByText('issue-tracker does not start until this is set.').isVisible()).resolves.toBe(true);
    expect(await stateOf('search-api', 'Authorization')).toBe('Set');
    await expect(panel('search-api').getByText('request header', { exact: false }).first().isVisible()).resolves.toBe(true);
    await expect(
      panel('knowledge-base')
        .getByText(/No secrets: knowledge-base gets none/)
        .isVisible(),
    ).resolves.toBe(true);
    const html = await page.content();
    for (const value of ALL_VALUES) expect(html).not.toContain(value);
  });

  it('adds a credential helper with a TTL; the record names the command, and the server gets its output', async () => {
    await panel('issue-tracker').getByRole('button', { name: 'Add a helper to issue-tracker' }).click();
    await dialog().getByLabel('Name').fill('DEPLOY_TOKEN');
    await dialog().getByLabel('Command').fill(`${process.execPath} ${helperScript}`);
    await expect(dialog().getByTestId('helper-argv').innerText()).resolves.toContain(helperScript);
    await dialog().getByLabel('Run again after (seconds)').fill('300');
    await dialog().getByRole('button', { name: 'Save helper' }).click();
    await dialog().waitFor({ state: 'detached' });
    await page
      .getByTestId('secrets-notice')
      .getByText(/DEPLOY_TOKEN set from a helper/)
      .waitFor();
    expect(await stateOf('issue-tracker', 'DEPLOY_TOKEN')).toBe('From a helper');
    expect(await row('issue-tracker', 'DEPLOY_TOKEN').getByTestId('secret-helper').innerText()).toMatch(/print-token\.js, again after 300 s/);
    const record = JSON.parse(readFileSync(join(guardHome, 'servers', 'claude-code', 'user', 'issue-tracker.json'), 'utf8')) as {
      secrets: { name: string; source: object }[];
    };
    expect(record.secrets.find((s) => s.name === 'DEPLOY_TOKEN')?.source).toEqual({
      kind: 'helper',
      command: [process.execPath, helperScript],
      ttlSeconds: 300,
    });
  });

  it('has no serious accessibility violation in light and dark, fits 360 px, and looks right (screenshots)', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SCREENSHOTS, 'secrets.png') });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect(await seriousAxeViolations(page), colorScheme).toEqual([]);
    }
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'secrets-360px-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
    await panel('issue-tracker').getByRole('button', { name: 'Set value TRACKER_API_KEY' }).click();
    await dialog().waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'secrets-set-value.png') });
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
  });

  it('sets the missing secret with the keyboard alone, in a password field that is empty again afterwards, and the server gets it', async () => {
    // The row's first button: "Set value" now, "Replace value" once it is set.
    const button = row('issue-tracker', 'TRACKER_API_KEY').getByRole('button').first();
    await expect(button.textContent()).resolves.toBe('Set value TRACKER_API_KEY');
    await button.focus();
    await page.keyboard.press('Enter');
    const field = dialog().getByLabel('Value', { exact: true });
    await expect.poll(() => field.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement)).toBe(true);
    expect(await field.getAttribute('type')).toBe('password');
    expect(await field.getAttribute('autocomplete')).toBe('off');
    await page.keyboard.type(TYPED_ON_PAGE);
    await page.keyboard.press('Enter');
    await dialog().waitFor({ state: 'detached' });
    await page.getByTestId('secrets-notice').getByText(`${TRACKER}: TRACKER_API_KEY set in the keychain; it is used from the next launch`).waitFor();
    await expect.poll(() => stateOf('issue-tracker', 'TRACKER_API_KEY')).toBe('Set');
    await expect(button.textContent()).resolves.toBe('Replace value TRACKER_API_KEY');
    // The focus went back to the button that opened the dialog, and the field it had is empty when opened again.
    await expect.poll(() => button.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await dialog().getByLabel('New value').inputValue()).toBe('');
    await page.keyboard.press('Escape');

    const seen = await serverEnvironment();
    expect(seen['TRACKER_API_KEY']).toBe(TYPED_ON_PAGE);
    expect(seen['GITHUB_TOKEN']).toBe(GITHUB_TOKEN);
    expect(seen['DEPLOY_TOKEN']).toBe(FROM_HELPER);
    expect(seen['LOG_LEVEL']).toBe('info');
  }, 45_000);

  it('replaces one value and deletes another secret; the server gets the new value and no longer the deleted one', async () => {
    await panel('issue-tracker').getByRole('button', { name: 'Replace value GITHUB_TOKEN' }).click();
    await dialog().getByLabel('New value').fill(REPLACED_ON_PAGE);
    await dialog().getByRole('button', { name: 'Replace value' }).click();
    await page
      .getByTestId('secrets-notice')
      .getByText(/GITHUB_TOKEN replaced in the keychain/)
      .waitFor();

    await panel('issue-tracker').getByRole('button', { name: 'Delete TRACKER_API_KEY' }).click();
    // It was in the client's file before wrapping: the dialog says unwrap will need it.
    await dialog()
      .getByText(/to unwrap issue-tracker later, add it again first/)
      .waitFor();
    await dialog().getByRole('button', { name: 'Delete TRACKER_API_KEY' }).click();
    await page.getByTestId('secrets-notice').getByText(`${TRACKER}: TRACKER_API_KEY removed`).waitFor();
    await row('issue-tracker', 'TRACKER_API_KEY').waitFor({ state: 'detached' });
    expect(new KeychainSecretStore().getSync(TRACKER, 'TRACKER_API_KEY')).toBeUndefined();

    const seen = await serverEnvironment();
    expect(seen['GITHUB_TOKEN']).toBe(REPLACED_ON_PAGE);
    expect(seen).not.toHaveProperty('TRACKER_API_KEY');
  }, 45_000);

  it('refuses a name the server cannot take, saying why, and stores nothing', async () => {
    await panel('issue-tracker').getByRole('button', { name: 'Add a secret to issue-tracker' }).click();
    await dialog().getByLabel('Name').fill('MY TOKEN');
    await dialog()
      .getByText(/An environment variable name has letters, digits and _ only/)
      .waitFor();
    // The page's own check passes this one; the service has the last word.
    await dialog().getByLabel('Name').fill('LD_PRELOAD');
    await dialog().getByLabel('Value', { exact: true }).fill('/tmp/evil.so');
    await dialog().getByRole('button', { name: 'Add secret' }).click();
    await dialog()
      .getByTestId('dialog-error')
      .getByText(/changes which code the server's process loads/)
      .waitFor();
    await page.keyboard.press('Escape');
    await expect(row('issue-tracker', 'LD_PRELOAD').count()).resolves.toBe(0);
    expect(new KeychainSecretStore().getSync(TRACKER, 'LD_PRELOAD')).toBeUndefined();
  });

  it('never let a value reach the page, the service log or the audit log', async () => {
    expect(framesToPage.length).toBeGreaterThan(5);
    const frames = framesToPage.join('\n');
    const html = await page.content();
    const audit = allText(join(guardHome, 'audit'));
    expect(audit.length).toBeGreaterThan(0);
    for (const value of ALL_VALUES) {
      expect(frames, 'a frame the page received').not.toContain(value);
      expect(html, 'the page').not.toContain(value);
      expect(ui.stderr(), "the service's log").not.toContain(value);
      expect(audit, 'the audit log').not.toContain(value);
    }
    // The log says what changed, by name, and so does the audit log: one event per change made.
    expect(ui.stderr()).toContain('"secret":"TRACKER_API_KEY"');
    const changes = audit
      .split('\n')
      .filter((line) => line.includes('"secret-changed"'))
      .map((line) => (JSON.parse(line) as { detail: { name: string; change: string } }).detail);
    expect(changes).toContainEqual(expect.objectContaining({ name: 'TRACKER_API_KEY', change: 'set' }));
    expect(changes.map((c) => c.change)).toEqual(expect.arrayContaining(['set', 'helper', 'deleted']));
  });
});
