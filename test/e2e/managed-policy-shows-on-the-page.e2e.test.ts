/**
 * IT's signed policy as the user sees it, all real: nginx over TLS (a test CA) serving the signed
 * root and bundle, `mcp-guard serve --ui` with a managed configuration, Debian chromium. The
 * Settings page shows the policy in force like a browser's policy page (source, version, issued,
 * expiry, last fetch); with the host down a `sync now` flags it stale on every page, and a device
 * set to lock down without a verified policy says so in a red banner.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundlePayload } from '../../shared/signed-policy.js';
import { launchChromium, seriousAxeViolations, type OwnBrowser } from '../helpers/browser.js';
import { makeTestCa, TestNginx } from '../helpers/nginx.js';
import { cliPath, repoRoot } from '../helpers/paths.js';
import { guardEnv, guardHomeWith, tempDir } from '../helpers/proxy.js';
import { startUiService, type UiService } from '../helpers/ui-service.js';
import { writeManaged } from '../sync/managed-config-fixtures.js';
import { keyPairs, rootPayload, signedBundle, signedRoot } from '../sync/signing-fixtures.js';

const run = promisify(execFile);
const SCREENSHOTS = join(repoRoot, 'docs', 'screenshots');
const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const BUNDLE: BundlePayload = {
  version: 7,
  issuedAt: at(0),
  expiresAt: at(30),
  policy: { version: 1, defaults: { promptTimeoutSeconds: 45 }, rules: [{ id: 'no-shell', tool: 'mcp__shell__*', action: 'deny' }] },
};

let nginx: TestNginx;
let own: OwnBrowser;

beforeAll(async () => {
  nginx = await TestNginx.start(makeTestCa());
  own = await launchChromium();
}, 60_000);

afterAll(async () => {
  await own?.close();
  await nginx?.stop();
});

/** A managed configuration naming nginx's files, its root beside it (as MDM places both). */
async function managedDevice(whenUnavailable: 'keep-last-good' | 'lock-down', bundleFile: string) {
  const keys = await keyPairs(2);
  const root = await signedRoot(rootPayload(keys, 2, 1, at(365)), keys);
  const etc = tempDir('mcp-guard-etc-');
  writeFileSync(join(etc, 'root.jws'), root);
  nginx.write('root.jws', root);
  nginx.write('bundle.jws', await signedBundle(BUNDLE, keys));
  const file = writeManaged(
    {
      version: 1,
      policy: { urls: [nginx.url(bundleFile)], refreshSeconds: 3600 },
      trustRoot: join(etc, 'root.jws'),
      tls: { caBundle: nginx.ca.caFile },
      whenUnavailable,
    },
    0o644,
    'managed.json',
    etc,
  );
  const home = guardHomeWith({ version: 1, defaults: { tools: 'allow' } });
  const env = { MCP_GUARD_MANAGED_CONFIG: file, HOME: tempDir('mcp-guard-managed-home-') };
  return { home, env, ui: await startUiService(home, [], undefined, env) };
}

async function fits360(page: Page, screenshot: string) {
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, screenshot), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('a signed managed policy, current then stale', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let ui: UiService;
  let page: Page;
  const sync = async () => {
    try {
      return (await run(process.execPath, [cliPath, 'sync', 'now'], { env: guardEnv(home, env) })).stdout;
    } catch (error) {
      return (error as { stdout: string }).stdout;
    }
  };

  beforeAll(async () => {
    ({ home, env, ui } = await managedDevice('keep-last-good', 'bundle.jws'));
    page = await own.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(ui.url);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByTestId('managed-policy').waitFor();
  }, 60_000);

  afterAll(async () => {
    await page?.close();
    await ui?.stop();
    await nginx.start();
  });

  it('shows the source, version, issue and expiry, and the last fetch, with no banner', async () => {
    const shown = await page.getByTestId('managed-policy').innerText();
    expect(shown).toContain('Current');
    expect(shown).toContain(nginx.url('bundle.jws'));
    expect(shown).toMatch(/Version\s+7/);
    expect(shown).toMatch(/Issued\s+\S/);
    expect(shown).toMatch(/Expires\s+\S/);
    expect(shown).toMatch(/Last fetch\s+.*a new version verified and applied/);
    expect(shown).toMatch(/Trust root\s+version 1/);
    await expect(page.getByTestId('status-line').innerText()).resolves.toMatch(/managed v7$/);
    await expect(page.getByTestId('managed-banner').count()).resolves.toBe(0);
    // What the bundle sets is what the page shows locked.
    await expect(page.getByTestId('setting-prompt-timeout').getByTestId('locked').innerText()).resolves.toBe('Locked by managed policy');
  });

  it('flags it stale on every page once a fetch finds the host down, and clears the flag when it is back', async () => {
    await nginx.stop();
    expect(await sync()).toMatch(/unreachable/i);
    const banner = page.getByTestId('managed-banner');
    await banner.waitFor();
    await expect(banner.innerText()).resolves.toMatch(/Managed policy may be out of date \(version 7\)[\s\S]*The last verified policy stays in force/);
    await expect(page.getByTestId('status-line').innerText()).resolves.toMatch(/managed v7 \(stale\)$/);
    await expect(page.getByTestId('managed-policy').innerText()).resolves.toMatch(/Stale[\s\S]*Last fetch\s+.*failed; the version in force was kept/);
    await page.screenshot({ path: join(SCREENSHOTS, 'settings-managed-stale.png'), fullPage: true });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect(await seriousAxeViolations(page), colorScheme).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('link', { name: 'Activity' }).click();
    await expect(banner.isVisible()).resolves.toBe(true);
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await fits360(page, 'settings-managed-stale-360px.png');

    await nginx.start();
    expect(await sync()).toMatch(/unchanged/i);
    await page.getByTestId('managed-banner').waitFor({ state: 'detached' });
    await expect(page.getByTestId('managed-policy').innerText()).resolves.toContain('Current');
  });
});

describe('a device set to lock down, with no signed policy verified yet', () => {
  let ui: UiService;
  let page: Page;

  beforeAll(async () => {
    ({ ui } = await managedDevice('lock-down', 'missing-bundle.jws'));
    page = await own.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(ui.url);
  }, 60_000);

  afterAll(async () => {
    await page?.close();
    await ui?.stop();
  });

  it('says in a red banner that every call is denied, and why', async () => {
    const banner = page.getByTestId('managed-banner');
    await banner.waitFor();
    await expect(banner.getAttribute('role')).resolves.toBe('alert');
    await expect(banner.innerText()).resolves.toMatch(/Locked down by managed policy[\s\S]*denied/);
    await expect(page.getByTestId('status-line').innerText()).resolves.toMatch(/\(locked down\)$/);
    await banner.getByRole('link', { name: 'Details on the Settings page' }).click();
    await expect(page.getByTestId('managed-policy').innerText()).resolves.toMatch(
      /Locked down[\s\S]*Version\s+none verified yet[\s\S]*If unavailable\s+lock down/,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'settings-managed-locked-down.png'), fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await fits360(page, 'settings-managed-locked-down-360px.png');
  });
});
