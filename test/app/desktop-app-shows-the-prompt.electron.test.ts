// The real desktop app, end to end: Electron launched by Playwright on this checkout with a guard
// home of its own. Its main window must load our renderer from app://guard, have `window.guard`
// from the preload, and show the status line (renderer/features/status, data-testid="status-line").
// It needs the Electron binary (and, on Linux, a display: run it under xvfb-run on CI); where either
// is missing it is reported as skipped, with why.
import { join } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { RENDERER_ENTRY_URL } from '../../main/app/renderer-origin.js';
import { repoRoot } from '../helpers/paths.js';
import { guardHomeWith, tempDir } from '../helpers/proxy.js';
import { electronBinary } from './electron-binary.js';

const binary = electronBinary();
const noDisplay = process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'];
const skipped =
  binary === undefined ? 'the Electron binary is not installed on this machine' : noDisplay ? 'no display here (run it under xvfb-run)' : undefined;
const title = `the main window loads app://guard with window.guard and the status line${skipped ? ` (skipped: ${skipped})` : ''}`;

let app: ElectronApplication | undefined;
afterAll(async () => {
  await app?.close();
});

describe('the desktop app (real Electron)', () => {
  it.skipIf(skipped !== undefined)(title, async () => {
    const home = guardHomeWith();
    app = await _electron.launch({
      executablePath: binary!,
      // Chromium refuses to run as root with its sandbox; our renderers stay sandboxed by app.enableSandbox() elsewhere.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), repoRoot],
      env: { ...process.env, HOME: tempDir('mcp-guard-user-'), MCP_GUARD_HOME: home, MCP_GUARD_MANAGED_POLICY: join(home, 'no-managed-policy.json') },
      timeout: 30_000,
    });
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    expect(page.url()).toBe(RENDERER_ENTRY_URL);
    expect(await page.evaluate(() => typeof (globalThis as { guard?: unknown }).guard)).toBe('object');
    await expect.poll(() => page.getByTestId('status-line').isVisible(), { timeout: 10_000 }).toBe(true);
  });
});
