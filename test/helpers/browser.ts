/**
 * Debian's chromium, driven by playwright-core (never a downloaded browser), as root on a headless
 * machine: the flags the machine needs, and a HOME and profile of its own, removed afterwards.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from './paths.js';
import { tempDir } from './proxy.js';

export const CHROMIUM = process.env['MCP_GUARD_CHROMIUM'] ?? '/usr/bin/chromium';

export type OwnBrowser = { browser: Browser; close(): Promise<void> };

export async function launchChromium(): Promise<OwnBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: run bash test/setup/install-os-deps.sh (Debian package chromium)`);
  const home = tempDir('mcp-guard-chromium-');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') },
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> };

/** axe-core run in the page; the serious and critical violations (what the bar forbids). */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const source = readFileSync(join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  // The page's CSP forbids inline scripts; Playwright's evaluate runs in the page's isolated world, outside the CSP.
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    // Runs in the page (DOM types are not in this Node project): the window's axe and document.
    const page = globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> }; document: unknown };
    const result = await page.axe.run(page.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
