/**
 * The Activity page as a user lives it, all real: `mcp-guard serve --ui` (the built CLI) with a
 * log that already holds a few hours of a developer's calls, the page in Debian chromium, proxies
 * wrapping server-everything and server-filesystem, SDK clients making calls. The calls appear in
 * the table without a reload; the filters narrow it; an asked call answered in the prompt shows
 * who answered and how; the dialog shows the event's hash, prev and place in the chain and gives
 * the focus back to its row. Axe finds nothing serious in light and dark; 360 px works.
 * Screenshots: docs/screenshots/activity.png and activity-detail.png.
 */
import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/audit/audit-log.js';
import { guardPaths } from '../../main/store/guard-paths.js';
import { INPUT_PROTECTION_MS } from '../../shared/approvals.js';
import type { AuditEvent } from '../../shared/audit.js';
import { random, realisticEvent, realisticTimes } from '../audit/activity-events.js';
import { launchChromium, seriousAxeViolations, type OwnBrowser } from '../helpers/browser.js';
import { realServers, repoRoot } from '../helpers/paths.js';
import { guardHomeWith, tempDir } from '../helpers/proxy.js';
import { auditEvents, guardedClient } from '../helpers/service.js';
import { startUiService, type UiService } from '../helpers/ui-service.js';

const SCREENSHOTS = join(repoRoot, 'docs', 'screenshots');
const POLICY = {
  version: 1,
  defaults: { tools: 'allow', promptTimeoutSeconds: 30 },
  rules: [
    { id: 'no-env', tool: 'mcp__everything__get-env', action: 'deny', reason: 'the environment may hold secrets' },
    { id: 'sums-ask', tool: 'mcp__everything__get-sum', action: 'ask', reason: 'sums need a look' },
  ],
};
const SEEDED = 1200;

let home: string;
let ui: UiService;
let own: OwnBrowser;
let page: Page;
let everything: Client;
let fs: Client;

/** A few hours of a developer's day, written before the service starts (as yesterday's log would be). */
async function seed(home: string): Promise<void> {
  const log = await AuditLog.open(guardPaths(home).auditDir);
  const next = random(42);
  for (const time of realisticTimes(next, SEEDED, Date.now() - 60_000, 5)) await log.append(realisticEvent(next, time));
  await log.close();
}

async function openActivity(browser: Browser, width: number, colorScheme: 'light' | 'dark'): Promise<Page> {
  const p = await browser.newPage({ viewport: { width, height: 800 }, colorScheme });
  await p.goto(ui.url);
  await p.getByRole('link', { name: /^Activity/ }).click();
  await p.getByTestId('activity-table').waitFor();
  return p;
}

/** The log's events once it holds at least `count` of them (and one matching `has`): a call's event lands just after its answer. */
async function eventsOnceLogged(count: number, has: (e: AuditEvent) => boolean = () => true): Promise<AuditEvent[]> {
  for (let i = 0; i < 200; i++) {
    const events = await auditEvents(home);
    if (events.length >= count && events.some(has)) return events;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the log did not get ${count} events within 10 s`);
}

const shownTotal = async () => Number(await page.getByTestId('activity-count').getAttribute('data-total'));
const rowsText = () => page.getByTestId('activity-table').innerText();
const activeSeq = () => page.evaluate<string | null>('document.activeElement?.getAttribute("data-open-seq") ?? null');

beforeAll(async () => {
  home = guardHomeWith(POLICY);
  await seed(home);
  ui = await startUiService(home);
  own = await launchChromium();
  page = await openActivity(own.browser, 1280, 'light');
  everything = await guardedClient(home, 'everything', realServers.everything);
  fs = await guardedClient(home, 'fs', realServers.filesystem(tempDir('mcp-guard-e2e-activity-')));
}, 60_000);

afterAll(async () => {
  await everything?.close();
  await fs?.close();
  await own?.close();
  await ui?.stop();
});

describe('the Activity page', () => {
  it('shows calls made through the proxies as they happen, without a reload', async () => {
    expect(await shownTotal()).toBeGreaterThanOrEqual(SEEDED);
    const before = (await auditEvents(home)).length;
    const marks = ['hello-activity', 'second-look', 'third-time'];
    for (const message of marks) await everything.callTool({ name: 'echo', arguments: { message } });
    const denied = await everything.callTool({ name: 'get-env', arguments: {} });
    expect(denied.isError).toBe(true);
    await fs.callTool({ name: 'list_allowed_directories', arguments: {} });

    // The page was not reloaded: the rows come with activity:appended.
    await page.getByTestId('activity-table').getByText('list_allowed_directories').first().waitFor();
    await eventsOnceLogged(before + 5);
    await expect.poll(async () => (await shownTotal()) - (await auditEvents(home)).length, { timeout: 10_000 }).toBe(0);
    const text = await rowsText();
    expect(text).toContain('list_allowed_directories');
    // Newest first: by place in the chain (the order the service recorded them).
    const seqs = (
      await page.locator('[role="row"][data-seq]').evaluateAll((rows) => rows.map((r) => Number((r as unknown as { dataset: { seq: string } }).dataset.seq)))
    ).slice(0, 10);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(seqs[0]).toBe(await shownTotal());
  });

  it('records who answered an asked call and how, and shows it in the row and the event', async () => {
    const prompter = await own.browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await prompter.goto(ui.url);
      const asked = everything.callTool({ name: 'get-sum', arguments: { a: 2, b: 3 } });
      await prompter.getByRole('heading', { name: 'Allow get-sum on everything?' }).waitFor();
      await prompter.waitForTimeout(INPUT_PROTECTION_MS + 150);
      await prompter.getByRole('button', { name: /^Allow once/ }).click();
      expect((await asked).isError).toBeFalsy();
    } finally {
      await prompter.close();
    }
    const me = userInfo().username;
    const row = page.locator('[role="row"]', { hasText: 'get-sum' }).first();
    await row.getByText(`${me}: once`).waitFor();

    const event = (await eventsOnceLogged(0, (e) => e.tool === 'get-sum')).findLast((e) => e.tool === 'get-sum')!;
    expect(event.approval).toMatchObject({ approver: me, answer: 'allow-once' });
    await row.locator('.activity-open').click();
    const dialog = page.getByTestId('event-dialog');
    await dialog.getByRole('heading', { name: 'get-sum on everything' }).waitFor();
    await dialog.getByText('Answered in the prompt').waitFor();
    const facts = await dialog.innerText();
    expect(facts).toContain('allowed once');
    expect(facts).toContain(me);
    expect(facts).toContain(event.hash);
    expect(facts).toContain(event.prev);
    const all = await auditEvents(home);
    expect(facts).toMatch(new RegExp(`#${(all.findIndex((e) => e.id === event.id) + 1).toLocaleString('en-US')} of ${all.length.toLocaleString('en-US')}`));
    expect(facts).toMatch(/Linked to event #/);
    expect(await seriousAxeViolations(page), 'the event dialog').toEqual([]);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'activity-detail.png') });

    const seq = await row.getAttribute('data-seq');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(activeSeq).toBe(seq);
  });

  it('narrows the table by decision, server and text, and says when nothing matches', async () => {
    const filters = page.getByRole('search', { name: 'Filter the audit events' });
    await filters.getByLabel('Decision').selectOption('deny');
    await expect.poll(() => page.locator('[role="row"][data-seq]').first().innerText()).toContain('Denied');
    const events = await auditEvents(home);
    await expect.poll(shownTotal).toBe(events.filter((e) => e.decision?.effect === 'deny').length);
    for (const decision of await page.locator('[role="row"][data-seq] .activity-cell-decision').allInnerTexts()) expect(decision).toBe('Denied');

    await filters.getByLabel('Decision').selectOption('');
    await filters.getByLabel('Server').fill('every*');
    await expect.poll(shownTotal).toBe(events.filter((e) => e.server?.name === 'everything').length);

    const typed = Date.now();
    await filters.getByLabel('Search').fill('Hello-Activity');
    await expect.poll(shownTotal).toBe(1);
    expect(Date.now() - typed).toBeLessThan(5_000);
    expect(await rowsText()).toContain('echo');

    await filters.getByLabel('Search').fill('no call has this text');
    await page.getByText('No events match these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect.poll(async () => (await shownTotal()) - (await auditEvents(home)).length).toBe(0);
  });

  it('opens rows from the keyboard, moves between them with the arrow keys, and keeps the focus while events arrive', async () => {
    const first = page.locator('.activity-open').first();
    await first.focus();
    const top = await activeSeq();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(activeSeq).toBe(String(Number(top) - 2));
    // A new event arriving on top does not take the focus away from the row the user is on.
    const count = await shownTotal();
    await everything.callTool({ name: 'echo', arguments: { message: 'while you read' } });
    await expect.poll(shownTotal).toBeGreaterThan(count);
    await expect.poll(activeSeq).toBe(String(Number(top) - 2));
    await page.keyboard.press('Enter');
    await page.getByTestId('event-dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('event-dialog').waitFor({ state: 'detached' });
    await expect.poll(activeSeq).toBe(String(Number(top) - 2));
  });

  it('has no serious axe violation in light and dark, and a chart with its numbers in words', async () => {
    await page.mouse.move(0, 0);
    await page.evaluate('document.activeElement?.blur()');
    const summary = await page.getByTestId('chart-summary').innerText();
    expect(summary).toMatch(/[\d,]+ calls between .+ asked, [\d,]+ denied/);
    expect(await seriousAxeViolations(page), 'light').toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'activity.png') });
    await page.getByRole('button', { name: 'Show the numbers' }).click();
    await page.getByRole('region', { name: 'Calls per time bucket' }).waitFor();
    expect(await seriousAxeViolations(page), 'light, numbers shown').toEqual([]);

    const dark = await openActivity(own.browser, 1280, 'dark');
    try {
      expect(await seriousAxeViolations(dark), 'dark').toEqual([]);
      await dark.locator('.activity-open').first().click();
      await dark.getByTestId('event-dialog').getByText('Place in the hash chain').waitFor();
      expect(await seriousAxeViolations(dark), 'dark, event dialog').toEqual([]);
    } finally {
      await dark.close();
    }
  });

  it('works at 360 px: nothing wider than the window, rows readable, an event opens and closes', async () => {
    const narrow = await openActivity(own.browser, 360, 'light');
    try {
      const overflow = await narrow.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await seriousAxeViolations(narrow), '360 px').toEqual([]);
      // Folded filters at this width, one tap away.
      await narrow.screenshot({ path: join(SCREENSHOTS, 'activity-360px.png') });
      await narrow.getByText('Filters', { exact: true }).click();
      await narrow.getByLabel('Decision').selectOption('deny');
      await expect
        .poll(async () => Number(await narrow.getByTestId('activity-count').getAttribute('data-total')))
        .toBe((await auditEvents(home)).filter((e: AuditEvent) => e.decision?.effect === 'deny').length);
      const open = narrow.locator('.activity-open').first();
      await open.scrollIntoViewIfNeeded();
      await open.click();
      const dialog = narrow.getByTestId('event-dialog');
      await dialog.getByText('Place in the hash chain').waitFor();
      const width = await dialog.evaluate((d) => (d as unknown as { getBoundingClientRect(): { right: number } }).getBoundingClientRect().right);
      expect(width).toBeLessThanOrEqual(360);
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });
    } finally {
      await narrow.close();
    }
  });
});
