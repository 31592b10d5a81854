/**
 * The quality bar every page shares, checked on all of them at once, all real (`mcp-guard serve
 * --ui`, Debian chromium): reachable and operable by keyboard alone with a visible focus, no
 * serious or critical axe-core violation in light and dark, nothing wider than the window at 360 px,
 * and a first state (empty or loaded) that says what it is rather than a blank area or a spinner.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousAxeViolations, type OwnBrowser } from '../helpers/browser.js';
import { guardHomeWith, tempDir } from '../helpers/proxy.js';
import { startUiService, type UiService } from '../helpers/ui-service.js';

const PAGES = [
  { id: 'prompts', heading: /calls? waiting|No calls are waiting/i, link: 'Prompts' },
  { id: 'servers', heading: 'Servers', link: 'Servers' },
  { id: 'activity', heading: 'Activity', link: 'Activity' },
  { id: 'policy', heading: 'Policy', link: 'Policy' },
  { id: 'secrets', heading: 'Secrets', link: 'Secrets' },
  { id: 'settings', heading: 'Settings', link: 'Settings' },
] as const;

let ui: UiService;
let own: OwnBrowser;

beforeAll(async () => {
  const home = guardHomeWith({ version: 1, defaults: { tools: 'allow' } });
  // A HOME of its own: no client configs, so every list starts empty (and says so).
  ui = await startUiService(home, [], undefined, { HOME: tempDir('mcp-guard-a11y-home-') });
  own = await launchChromium();
}, 60_000);

afterAll(async () => {
  await own?.close();
  await ui?.stop();
});

async function openApp(width: number, colorScheme: 'light' | 'dark'): Promise<Page> {
  const page = await own.browser.newPage({ viewport: { width, height: 800 }, colorScheme });
  await page.goto(ui.url);
  await page
    .getByTestId('status-line')
    .getByText(/Service running/)
    .waitFor();
  return page;
}

// The page's own expressions run in the browser (this Node project has no DOM types), as strings.

/** The page has finished its first load: no loading line left, and its content is there. */
async function settled(page: Page): Promise<void> {
  // (waitForFunction would compile its function in the page, which the page's CSP forbids.)
  await expect.poll(() => page.getByTestId('loading').count(), { timeout: 10_000 }).toBe(0);
}

describe.each([
  { width: 1280, colorScheme: 'light' as const },
  { width: 360, colorScheme: 'dark' as const },
])('every page at $width px, $colorScheme', ({ width, colorScheme }) => {
  it('has no serious axe violation, fits the window, and says what it shows', async () => {
    const page = await openApp(width, colorScheme);
    try {
      for (const p of PAGES) {
        await page.getByRole('link', { name: new RegExp(`^${p.link}`) }).click();
        await expect.poll(() => page.evaluate<string>('location.hash')).toBe(`#/${p.id}`);
        await settled(page);
        const main = page.getByRole('main');
        expect(await main.innerText(), `${p.id}: the page says something`).toMatch(/\w{3,}/);
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        expect(overflow, `${p.id} at ${width} px: wider than the window by ${overflow} px`).toBeLessThanOrEqual(0);
        expect(await seriousAxeViolations(page), `${p.id} (${colorScheme})`).toEqual([]);
      }
    } finally {
      await page.close();
    }
  }, 60_000);
});

describe('keyboard only', () => {
  it('reaches every page from the navigation with Tab and Enter, with the focus visible and moved to the page', async () => {
    const page = await openApp(1280, 'light');
    try {
      for (const p of PAGES) {
        // Tab from the top of the document until the page's link has the focus.
        await page.evaluate('document.activeElement?.blur()');
        let focused = '';
        for (let i = 0; i < 20 && !focused.startsWith(p.link); i++) {
          await page.keyboard.press('Tab');
          focused = await page.evaluate<string>("document.activeElement?.textContent ?? ''");
        }
        expect(focused, `Tab reaches the ${p.link} link`).toMatch(new RegExp(`^${p.link}`));
        const outline = await page.evaluate<{ style: string; width: number }>(
          '(() => { const s = getComputedStyle(document.activeElement); return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) }; })()',
        );
        expect(outline.style, `${p.link}: the focus ring shows`).not.toBe('none');
        expect(outline.width).toBeGreaterThanOrEqual(2);
        await page.keyboard.press('Enter');
        await expect.poll(() => page.evaluate<string>('location.hash')).toBe(`#/${p.id}`);
        await settled(page);
        // The page's heading takes the focus (Prompts has no page heading of its own to move to).
        if (p.id !== 'prompts') {
          await expect.poll(() => page.evaluate<string>('document.activeElement?.tagName')).toBe('H2');
          expect(await page.evaluate<string>('document.activeElement?.textContent')).toBe(p.heading);
        }
      }
    } finally {
      await page.close();
    }
  }, 60_000);

  it('keeps the page on reload and on the back button', async () => {
    const page = await openApp(1280, 'light');
    try {
      await page.getByRole('link', { name: 'Activity' }).click();
      await page.getByRole('link', { name: 'Policy' }).click();
      await page.goBack();
      await expect.poll(() => page.evaluate<string>('location.hash')).toBe('#/activity');
      await page.reload();
      await page
        .getByTestId('status-line')
        .getByText(/Service running/)
        .waitFor();
      expect(await page.getByRole('link', { name: 'Activity' }).getAttribute('aria-current')).toBe('page');
    } finally {
      await page.close();
    }
  }, 30_000);
});
