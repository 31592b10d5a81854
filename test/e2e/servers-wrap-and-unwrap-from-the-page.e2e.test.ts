/**
 * The Servers page as a user lives it, all real: `mcp-guard serve --ui` (the built CLI) reading a
 * HOME of the test's own (a Claude Code config with a GitHub token in one entry, Claude Desktop's,
 * a plugin), Debian chromium, the OS keychain of test/setup/keyring-session.sh. Every server shows
 * in its state; Wrap shows the exact diff with the token masked, writes the file wrapped and the
 * token gone; Unwrap gives the file back byte for byte; the page never receives the token.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousAxeViolations, type OwnBrowser } from '../helpers/browser.js';
import { requireKeychain } from '../helpers/keychain.js';
import { cliPath, realServers, repoRoot } from '../helpers/paths.js';
import { startUiService, type UiService } from '../helpers/ui-service.js';
import { installPlugin, testHome, TOKEN, writeClaudeDesktop, writeClaudeJson, type TestHome } from './servers-test-home.js';

const SCREENSHOTS = join(repoRoot, 'docs', 'screenshots');
const PROJECT = '/home/dev/webapp';

let h: TestHome;
let ui: UiService;
let own: OwnBrowser;
let page: Page;
let original: string;
/** Every WebSocket frame the page received from the service. */
const framesToPage: string[] = [];

beforeAll(async () => {
  requireKeychain();
  h = testHome();
  original = writeClaudeJson(
    h,
    {
      github: { type: 'stdio', command: realServers.memory[0], args: [realServers.memory[1]], env: { GITHUB_TOKEN: TOKEN } },
      search: { type: 'websocket', url: 'ws://127.0.0.1:9/mcp' },
      'old-notes': { type: 'stdio', command: cliPath, args: ['run'], env: { MCP_GUARD_SERVER_ID: 'claude-code/user/old-notes' } },
    },
    {
      [PROJECT]: {
        allowedTools: [],
        mcpServers: { docs: { type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', PROJECT] } },
      },
    },
  );
  writeClaudeDesktop(h, { filesystem: { command: realServers.filesystem('/tmp')[0], args: realServers.filesystem('/tmp').slice(1) } });
  installPlugin(h, 'notion', 'notion');
  ui = await startUiService(h.guardHome, [], cliPath, h.env);
  own = await launchChromium();
  page = await own.browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('websocket', (ws) => ws.on('framereceived', (frame) => framesToPage.push(String(frame.payload))));
  await page.goto(ui.url);
  await page.getByTestId('nav-servers').click();
  await card('github').waitFor();
}, 60_000);

afterAll(async () => {
  await own?.close();
  await ui?.stop();
});

const card = (name: string) => page.locator(`[data-testid="server-card"][data-server="${name}"]`);
const dialog = () => page.getByTestId('wrap-dialog');

async function axeInBothSchemes(what: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await seriousAxeViolations(page), `${what} (${colorScheme})`).toEqual([]);
    const dir = process.env['MCP_GUARD_SCREENSHOT_DIR'];
    if (dir) await page.screenshot({ path: join(dir, `${what.replace(/\W+/g, '-')}-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('the Servers page', () => {
  it('shows every server of every client and scope, each in its state, with its secret by name only', async () => {
    await expect(card('github').getByTestId('server-state').textContent()).resolves.toBe('Not wrapped');
    await expect(card('github').textContent()).resolves.toMatch(/GITHUB_TOKEN \(in the file, in plain text\)/);
    await expect(card('search').getByTestId('server-state').textContent()).resolves.toBe('Cannot be wrapped');
    await expect(card('old-notes').getByTestId('server-state').textContent()).resolves.toBe('Broken');
    await expect(card('docs').textContent()).resolves.toMatch(/this project only \(local\).*\/home\/dev\/webapp/);
    await expect(card('docs').textContent()).resolves.toMatch(/unpinned package npm:@modelcontextprotocol\/server-filesystem/);
    await expect(card('filesystem').getByTestId('server-state').textContent()).resolves.toBe('Not wrapped');
    await expect(card('notion').getByTestId('server-state').textContent()).resolves.toBe('Unguarded');
    await expect(page.getByRole('heading', { name: /^Claude Desktop/ }).isVisible()).resolves.toBe(true);
    await axeInBothSchemes('the list');
  });

  it('wraps from the page after showing the exact diff, the token masked, and the file is wrapped with the token gone', async () => {
    await card('github').getByRole('button', { name: 'Wrap… github' }).click();
    await dialog().getByTestId('config-diff').waitFor();
    const shown = (await dialog().textContent()) ?? '';
    expect(shown).toContain('«secret»');
    expect(shown).toContain(`"command": "${cliPath}"`);
    expect(shown).toContain('"MCP_GUARD_SERVER_ID": "claude-code/user/github"');
    expect(shown).not.toContain(TOKEN);
    await expect(dialog().getByTestId('masked-note').textContent()).resolves.toBe('1 secret value is hidden in this diff.');
    // Cancel has the focus: Enter alone changes nothing.
    await expect(page.evaluate<string>('document.activeElement?.textContent ?? ""')).resolves.toBe('Cancel');
    await axeInBothSchemes('the wrap diff');
    await page.screenshot({ path: join(SCREENSHOTS, 'servers-wrap-diff.png') });

    await dialog().getByRole('button', { name: 'Wrap as shown' }).click();
    await dialog().waitFor({ state: 'detached' });
    await expect(page.getByTestId('servers-outcome').textContent()).resolves.toMatch(/^Wrapped claude-code\/user\/github\. Restart the client/);
    const file = readFileSync(h.claudeJson, 'utf8');
    expect(file).not.toContain(TOKEN);
    expect(JSON.parse(file).mcpServers.github).toEqual({
      type: 'stdio',
      command: cliPath,
      args: ['run'],
      env: { MCP_GUARD_SERVER_ID: 'claude-code/user/github' },
    });
    // Everything else in the file is as it was.
    expect(JSON.parse(file).projects).toEqual(JSON.parse(original).projects);
    // The list is fetched again after the change.
    await expect.poll(() => card('github').getByTestId('server-state').textContent()).toBe('Wrapped');
    await expect(card('github').getByTestId('server-approval').textContent()).resolves.toBe('Held: new server');
    await expect(card('github').textContent()).resolves.toMatch(/GITHUB_TOKEN \(in the keychain\)/);
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(SCREENSHOTS, 'servers.png') });
  });

  it('approves the new server as shown, and disables and enables it', async () => {
    await card('github')
      .getByRole('button', { name: /Approve this server/ })
      .click();
    await expect.poll(() => card('github').getByTestId('server-approval').textContent()).toBe('Approved');
    const enabled = card('github').getByRole('switch');
    await enabled.click();
    await expect.poll(() => page.getByTestId('servers-outcome').textContent()).toMatch(/^Disabled github/);
    await expect.poll(() => enabled.getAttribute('aria-checked')).toBe('false');
    expect(readFileSync(join(h.guardHome, 'policy.json'), 'utf8')).toContain('ui-disabled-github');
    await enabled.click();
    await expect.poll(() => enabled.getAttribute('aria-checked')).toBe('true');
    expect(readFileSync(join(h.guardHome, 'policy.json'), 'utf8')).not.toContain('ui-disabled-github');
  });

  it('unwraps from the page after showing the diff, and the file is back byte for byte', async () => {
    await card('github').getByRole('button', { name: 'Unwrap… github' }).click();
    await dialog().getByTestId('config-diff').waitFor();
    const shown = (await dialog().textContent()) ?? '';
    expect(shown).toContain('«secret»');
    expect(shown).not.toContain(TOKEN);
    await dialog().getByRole('button', { name: 'Unwrap as shown' }).click();
    await dialog().waitFor({ state: 'detached' });
    expect(readFileSync(h.claudeJson, 'utf8')).toBe(original);
    await expect.poll(() => card('github').getByTestId('server-state').textContent()).toBe('Not wrapped');
  });

  it('works at 360 px with the keyboard alone: nothing wider than the window, the diff opens and closes', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    try {
      const width = () => page.evaluate<number>('document.documentElement.scrollWidth');
      expect(await width()).toBeLessThanOrEqual(360);
      await page.screenshot({ path: join(SCREENSHOTS, 'servers-360px.png'), fullPage: true });
      await card('github').getByRole('button', { name: 'Wrap… github' }).focus();
      await page.keyboard.press('Enter');
      await dialog().getByTestId('config-diff').waitFor();
      expect(await width()).toBeLessThanOrEqual(360);
      expect(await seriousAxeViolations(page)).toEqual([]);
      if (process.env['MCP_GUARD_SCREENSHOT_DIR'])
        await page.screenshot({ path: join(process.env['MCP_GUARD_SCREENSHOT_DIR'], 'servers-wrap-diff-360px.png') });
      await page.keyboard.press('Escape');
      await dialog().waitFor({ state: 'detached' });
      expect(readFileSync(h.claudeJson, 'utf8')).toBe(original);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('never handed the page the token, in any frame', () => {
    expect(framesToPage.length).toBeGreaterThan(5);
    for (const frame of framesToPage) expect(frame).not.toContain(TOKEN.slice(4, 24));
    expect(framesToPage.join('\n')).toContain('GITHUB_TOKEN');
  });
});
