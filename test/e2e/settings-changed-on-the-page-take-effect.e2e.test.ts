/**
 * The Settings page as a user lives it, all real: `mcp-guard serve --ui` (the built CLI) with a
 * HOME of its own, the page in Debian chromium, a proxy in front of server-everything. A prompt
 * timeout changed on the page lands in the user policy file and the next prompt times out by it; a
 * drift setting changed on the page persists, and the running service re-wraps the next drift by it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousAxeViolations, type OwnBrowser } from '../helpers/browser.js';
import { cliPath, realServers, repoRoot } from '../helpers/paths.js';
import { tempDir, waitUntil } from '../helpers/proxy.js';
import { guardedClient } from '../helpers/service.js';
import { startUiService, type UiService } from '../helpers/ui-service.js';

const SCREENSHOTS = join(repoRoot, 'docs', 'screenshots');
const POLICY = {
  version: 1,
  defaults: { tools: 'allow', newServers: 'allow' },
  rules: [{ id: 'echo-asks', tool: 'mcp__everything__echo', action: 'ask', reason: 'echo needs a look' }],
};

let home: string;
let guardHome: string;
let ui: UiService;
let own: OwnBrowser;
let page: Page;
let agent: Client | undefined;

beforeAll(async () => {
  home = tempDir('mcp-guard-e2e-settings-');
  guardHome = join(home, 'guard');
  mkdirSync(guardHome, { mode: 0o700 });
  writeFileSync(join(guardHome, 'policy.json'), JSON.stringify(POLICY, null, 2));
  writeFileSync(join(home, '.claude.json'), JSON.stringify({ mcpServers: { notes: { command: 'node', args: realServers.memory.slice(1) } } }, null, 2));
  const env = { HOME: home, MCP_GUARD_HOME: guardHome, MCP_GUARD_LAUNCHER: cliPath, XDG_CONFIG_HOME: join(home, '.config'), CODEX_HOME: join(home, '.codex') };
  const wrapped = spawnSync(process.execPath, [cliPath, 'wrap'], { env: { ...process.env, ...env }, encoding: 'utf8', cwd: home });
  expect(wrapped.status, wrapped.stderr).toBe(0);
  ui = await startUiService(guardHome, [], undefined, env);
  own = await launchChromium();
  page = await own.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(ui.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByTestId('setting-prompt-timeout').waitFor();
}, 60_000);

afterAll(async () => {
  await agent?.close();
  await own?.close();
  await ui?.stop();
});

const section = (id: string) => page.getByTestId(`setting-${id}`);
const userPolicy = () => JSON.parse(readFileSync(join(guardHome, 'policy.json'), 'utf8')) as typeof POLICY & { defaults: { promptTimeoutSeconds?: number } };
const settingsFile = () => JSON.parse(readFileSync(join(guardHome, 'settings.json'), 'utf8')) as Record<string, unknown>;

describe('the Settings page', () => {
  it('shows each setting with where its value comes from: defaults, the data directory, and that nothing manages this device', async () => {
    await expect(section('prompt-timeout').getByLabel('Seconds a prompt waits').inputValue()).resolves.toBe('60');
    await expect(section('prompt-timeout').getByTestId('prompt-timeout-source').innerText()).resolves.toBe(
      'The built-in default: 60 seconds. From 5 to 3600 seconds.',
    );
    await expect(
      section('drift')
        .getByRole('radio', { name: /Flag it/ })
        .isChecked(),
    ).resolves.toBe(true);
    await expect(section('start-at-login').getByRole('switch').getAttribute('aria-checked')).resolves.toBe('false');
    await expect(
      section('start-at-login')
        .getByText(/the desktop app applies it when it next starts/)
        .isVisible(),
    ).resolves.toBe(true);
    await expect(page.getByTestId('data-directory-path').innerText()).resolves.toBe(guardHome);
    await expect(
      section('data-directory')
        .getByText(/Set by the MCP_GUARD_HOME environment variable/)
        .isVisible(),
    ).resolves.toBe(true);
    const managed = await page.getByTestId('managed-state').innerText();
    expect(managed).toContain('Not managed No managed configuration on this device.');
    expect(managed).toContain(`Checked: ${join(guardHome, 'no-managed-policy.json')}`);
    await expect(page.getByTestId('managed-policy').count()).resolves.toBe(0);
  });

  it('refuses a timeout out of range, then saves one into the user policy, and the next prompt times out by it', async () => {
    const input = section('prompt-timeout').getByLabel('Seconds a prompt waits');
    await input.fill('2');
    await input.press('Enter');
    await section('prompt-timeout').getByTestId('setting-refused').getByText('Whole seconds from 5 to 3600.').waitFor();
    expect(userPolicy().defaults.promptTimeoutSeconds).toBeUndefined();

    await input.fill('5');
    await section('prompt-timeout').getByRole('button', { name: 'Save' }).click();
    await section('prompt-timeout').getByTestId('setting-saved').getByText('Saved: prompts now wait 5 seconds.').waitFor();
    // Read-modify-write: the rule and the other defaults are kept.
    expect(userPolicy()).toEqual({ ...POLICY, defaults: { ...POLICY.defaults, promptTimeoutSeconds: 5 } });
    // The page reloads its view after the save (and on the service's status:changed): wait for it.
    await expect
      .poll(() => section('prompt-timeout').getByTestId('prompt-timeout-source').innerText())
      .toMatch(new RegExp(`^Set in your policy \\(${join(guardHome, 'policy.json').replace(/[.]/g, '\\.')}\\): 5 seconds\\.`));

    agent = await guardedClient(guardHome, 'everything', realServers.everything);
    const asked = Date.now();
    const result = await agent.callTool({ name: 'echo', arguments: { message: 'hello' } });
    const waited = Date.now() - asked;
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/nobody answered the approval prompt/);
    // 5 s, not the built-in 60 s.
    expect(waited).toBeGreaterThanOrEqual(4500);
    expect(waited).toBeLessThan(15_000);
  }, 40_000);

  it('keeps the drift setting across a reload, and the running service re-wraps the next drift by it', async () => {
    await section('drift')
      .getByRole('radio', { name: /Wrap it again/ })
      .check();
    await section('drift').getByTestId('setting-saved').getByText('Saved: drift is wrapped again.').waitFor();
    expect(settingsFile()).toEqual({ version: 1, drift: 'rewrap' });
    await page.reload();
    await page.getByTestId('setting-drift').waitFor();
    await expect(
      section('drift')
        .getByRole('radio', { name: /Wrap it again/ })
        .isChecked(),
    ).resolves.toBe(true);

    // An installer adds a server without the guard: the service (started without --drift) wraps it again.
    const file = join(home, '.claude.json');
    const config = JSON.parse(readFileSync(file, 'utf8')) as { mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }> };
    config.mcpServers['sneaky'] = { command: 'node', args: ['/opt/sneaky-server.js'] };
    writeFileSync(file, JSON.stringify(config, null, 2));
    const rewrapped = () =>
      (JSON.parse(readFileSync(file, 'utf8')) as typeof config).mcpServers['sneaky']?.env?.['MCP_GUARD_SERVER_ID'] === 'claude-code/user/sneaky';
    expect(await waitUntil(rewrapped, 10_000, 100), ui.stderr()).toBe(true);
    // The drift's audit event says how it was handled, once the re-wrap is done.
    const driftEvents = () =>
      readdirSync(join(guardHome, 'audit'))
        .filter((f) => f.endsWith('.jsonl'))
        .flatMap((f) => readFileSync(join(guardHome, 'audit', f), 'utf8').split('\n'))
        .filter((line) => line.includes('"kind":"server-drift"'))
        .map((line) => JSON.parse(line) as { server: { name: string }; detail: { mode: string; outcome: string } });
    expect(await waitUntil(() => driftEvents().length > 0, 5000, 100)).toBe(true);
    expect(driftEvents().map((e) => [e.server.name, e.detail.mode, e.detail.outcome])).toEqual([
      ['sneaky', 'rewrap', 'wrapped again as claude-code/user/sneaky'],
    ]);
  }, 30_000);

  it('stores start at login, and says the desktop app applies it', async () => {
    const toggle = section('start-at-login').getByRole('switch', { name: 'Start MCP Guard when I log in' });
    await toggle.focus();
    await page.keyboard.press('Space');
    await section('start-at-login').getByTestId('setting-saved').getByText('Saved: start at login is on.').waitFor();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true');
    expect(settingsFile()).toEqual({ version: 1, drift: 'rewrap', startAtLogin: true });
  });

  it('has no serious accessibility violation in light and dark, fits 360 px, and looks right (screenshots)', async () => {
    await page.reload();
    await page.getByTestId('setting-prompt-timeout').waitFor();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'settings.png') });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect(await seriousAxeViolations(page), colorScheme).toEqual([]);
    }
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'settings-360px-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
