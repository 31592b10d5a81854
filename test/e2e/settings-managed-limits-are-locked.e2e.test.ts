/**
 * A device IT manages, all real (`mcp-guard serve --ui` with a managed policy file, Debian
 * chromium): the managed prompt timeout and `requireWrapping` show locked on the Settings page, and
 * the service refuses a change to either even from a page that sends one anyway.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousAxeViolations, type OwnBrowser } from '../helpers/browser.js';
import { repoRoot } from '../helpers/paths.js';
import { guardHomeWith, tempDir } from '../helpers/proxy.js';
import { tokenOf, UiClient } from '../helpers/ui-client.js';
import { startUiService, type UiService } from '../helpers/ui-service.js';

const SCREENSHOTS = join(repoRoot, 'docs', 'screenshots');
const USER_POLICY = { version: 1, defaults: { tools: 'allow', promptTimeoutSeconds: 600 } };

let home: string;
let managedFile: string;
let ui: UiService;
let own: OwnBrowser;
let page: Page;

beforeAll(async () => {
  home = guardHomeWith(USER_POLICY);
  managedFile = join(tempDir('mcp-guard-managed-'), 'managed.json');
  writeFileSync(managedFile, JSON.stringify({ version: 1, defaults: { promptTimeoutSeconds: 30, requireWrapping: true } }));
  ui = await startUiService(home, [], undefined, { MCP_GUARD_MANAGED_POLICY: managedFile, HOME: tempDir('mcp-guard-managed-home-') });
  own = await launchChromium();
  page = await own.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(ui.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByTestId('setting-prompt-timeout').waitFor();
}, 60_000);

afterAll(async () => {
  await own?.close();
  await ui?.stop();
});

const section = (id: string) => page.getByTestId(`setting-${id}`);

describe('settings under managed policy', () => {
  it("shows IT's prompt timeout locked, read-only and without a Save, over the user's own value", async () => {
    const timeout = section('prompt-timeout');
    await expect(timeout.getByTestId('locked').innerText()).resolves.toBe('Locked by managed policy');
    const input = timeout.getByLabel('Seconds a prompt waits');
    await expect(input.inputValue()).resolves.toBe('30');
    await expect(input.getAttribute('readonly')).resolves.not.toBeNull();
    await expect(timeout.getByRole('button', { name: 'Save' }).count()).resolves.toBe(0);
    await expect(timeout.getByTestId('prompt-timeout-source').innerText()).resolves.toBe(
      `Set by managed policy (${managedFile}): 30 seconds. Your IT department sets it; it cannot be changed here.`,
    );
  });

  it('shows drift locked to re-wrap, because managed policy requires wrapping', async () => {
    const drift = section('drift');
    await expect(drift.getByTestId('locked').innerText()).resolves.toBe('Locked: policy requires wrapping');
    await expect(drift.getByRole('radio', { name: /Wrap it again/ }).isChecked()).resolves.toBe(true);
    await expect(drift.getByRole('radio', { name: /Flag it/ }).isDisabled()).resolves.toBe(true);
    await expect(drift.getByText(/Managed policy requires every server to be wrapped/).isVisible()).resolves.toBe(true);
    const managed = await page.getByTestId('managed-state').innerText();
    expect(managed).toContain("Managed Your IT department's policy is in force");
    expect(managed).toContain(`From ${managedFile}`);
  });

  it('refuses, from a page that sends them anyway, a timeout change and drift set to flag; the files stay as they were', async () => {
    const client = await UiClient.connect({ port: ui.port, token: tokenOf(ui.url) });
    try {
      const timeout = await client.invoke('settings:set', { promptTimeoutSeconds: 3600 });
      expect(timeout).toMatchObject({ type: 'result', value: { ok: false } });
      expect(JSON.stringify(timeout)).toContain(`the prompt timeout is set by managed policy (${managedFile}) to 30 seconds`);
      const drift = await client.invoke('settings:set', { drift: 'flag' });
      expect(drift).toMatchObject({ type: 'result', value: { ok: false } });
      expect(JSON.stringify(drift)).toContain('requires wrapping (defaults.requireWrapping)');
      // Out of the contract's range: refused at the bridge, before any handler.
      const outOfRange = await client.invoke('settings:set', { promptTimeoutSeconds: 1 });
      expect(outOfRange).toMatchObject({ type: 'error' });
    } finally {
      client.close();
    }
    expect(JSON.parse(readFileSync(join(home, 'policy.json'), 'utf8'))).toEqual(USER_POLICY);
    expect(() => readFileSync(join(home, 'settings.json'))).toThrow(/ENOENT/);
  });

  it('has no serious accessibility violation in light and dark, and fits 360 px (screenshot)', async () => {
    await page.screenshot({ path: join(SCREENSHOTS, 'settings-managed.png') });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect(await seriousAxeViolations(page), colorScheme).toEqual([]);
    }
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
