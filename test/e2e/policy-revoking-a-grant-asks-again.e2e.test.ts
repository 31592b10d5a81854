/**
 * Revoking on the Policy page, as a user does it, all real: `mcp-guard serve --ui` with a managed
 * policy, the page in Debian chromium, a proxy wrapping server-filesystem and an SDK client as the
 * agent. A grant given in the prompt lets the next call through without asking; revoked on the
 * Policy page (one, or all after a confirmation), the call after that is asked about again.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUT_PROTECTION_MS } from '../../shared/approvals.js';
import { launchChromium, seriousAxeViolations, type OwnBrowser } from '../helpers/browser.js';
import { realServers, repoRoot } from '../helpers/paths.js';
import { guardHomeWith, tempDir } from '../helpers/proxy.js';
import { guardedClient } from '../helpers/service.js';
import { startUiService, type UiService } from '../helpers/ui-service.js';

const SCREENSHOTS = join(repoRoot, 'docs', 'screenshots');

/** Scrolls an element into view (runs in the page, so it uses only its arguments; DOM types are not in this Node project). */
const scrollIntoView = (e: unknown, block: string) => (e as { scrollIntoView(o: object): void }).scrollIntoView({ block });
const POLICY = {
  version: 1,
  defaults: { tools: 'allow', promptTimeoutSeconds: 20 },
  rules: [
    { id: 'fs-writes', tool: 'mcp__fs__write_file', action: 'ask', reason: 'writes need a look' },
    { id: 'fs-mkdir', tool: 'mcp__fs__create_directory', action: 'ask', reason: 'new folders need a look' },
  ],
};
const MANAGED = {
  version: 1,
  rules: [{ id: 'it-no-moves', tool: 'mcp__fs__move_file', action: 'deny', reason: 'IT: files stay where they are', allowGrants: false }],
};

let ui: UiService;
let own: OwnBrowser;
let page: Page;
let agent: Client;
let root: string;
let managedFile: string;

beforeAll(async () => {
  const home = guardHomeWith(POLICY);
  root = tempDir('mcp-guard-e2e-files-');
  managedFile = join(tempDir('mcp-guard-managed-'), 'managed.json');
  writeFileSync(managedFile, JSON.stringify(MANAGED));
  ui = await startUiService(home, [], undefined, { MCP_GUARD_MANAGED_POLICY: managedFile, HOME: tempDir('mcp-guard-e2e-home-') });
  own = await launchChromium();
  page = await own.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(ui.url);
  await page.getByText(/No calls are waiting for you/).waitFor();
  agent = await guardedClient(home, 'fs', realServers.filesystem(root));
  await agent.listTools();
}, 60_000);

afterAll(async () => {
  await agent?.close();
  await own?.close();
  await ui?.stop();
});

const write = (name: string, content: string) => agent.callTool({ name: 'write_file', arguments: { path: join(root, name), content } });
const mkdir = (name: string) => agent.callTool({ name: 'create_directory', arguments: { path: join(root, name) } });
const button = (name: string) => page.getByRole('button', { name, exact: true });
const openPage = (name: 'Prompts' | 'Policy') => page.getByRole('link', { name: new RegExp(`^${name}`) }).click();

/** Answers the prompt for `tool` on the Prompts page with `answer`, after its input protection. */
async function answer(tool: string, label: string, anyArguments = false): Promise<void> {
  await openPage('Prompts');
  await page.getByRole('heading', { name: `Allow ${tool} on fs?` }).waitFor();
  await page.waitForTimeout(INPUT_PROTECTION_MS + 150);
  if (anyArguments) await page.getByRole('radio', { name: 'For any arguments' }).check();
  await button(label).click();
}

/** The call settles by itself, without a prompt (a prompt would hold it far longer than this). */
async function passesWithoutPrompt<T>(call: Promise<T>): Promise<T> {
  const result = await Promise.race([call, new Promise<'held'>((r) => setTimeout(() => r('held'), 4_000))]);
  expect(result, 'the call was held for a prompt').not.toBe('held');
  return result as T;
}

/** The call is held: the page says a call is waiting for an answer. */
async function isAskedAgain(): Promise<void> {
  await page.getByTestId('waiting-banner').waitFor({ timeout: 10_000 });
}

describe('revoking a grant on the Policy page', () => {
  it('asks again for a call whose session grant was revoked', async () => {
    const first = write('a.txt', 'one');
    await answer('write_file', 'Allow for this session');
    expect((await first).isError).toBeFalsy();
    // The same call again: the grant answers it, nobody is asked.
    expect((await passesWithoutPrompt(write('a.txt', 'one'))).isError).toBeFalsy();

    await openPage('Policy');
    const row = page.getByTestId('grant-row').filter({ hasText: 'write_file' });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/that client session only[\s\S]*until the client session ends/);
    expect(await row.innerText()).toMatch(/exactly the approved arguments/);
    // The managed rule is shown locked, with the file that sets it.
    const managedRow = page.getByTestId('rule-managed-it-no-moves');
    expect(await managedRow.innerText()).toContain(`managed — set by ${managedFile}, cannot be changed here`);
    // Rules (with the locked managed one) and the grants, in one view.
    await page.locator('#policy-rules').evaluate(scrollIntoView, 'start');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'policy.png') });
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Revoke the grant for write_file on fs' }).click();
    await page.getByText('Revoked 1 grant: write_file on fs is asked about again.').waitFor();
    await page.getByText(/No grants in force/).waitFor();

    const after = write('a.txt', 'two');
    await isAskedAgain();
    await answer('write_file', 'Deny');
    expect((await after).isError).toBe(true);
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('one');
  }, 45_000);

  it('revokes every grant only after the confirmation, and then asks again', async () => {
    const first = write('b.txt', 'b');
    await answer('write_file', 'Always allow', true);
    expect((await first).isError).toBeFalsy();
    const folder = mkdir('d1');
    await answer('create_directory', 'Always allow', true);
    expect((await folder).isError).toBeFalsy();
    expect((await passesWithoutPrompt(write('c.txt', 'c'))).isError).toBeFalsy();

    await openPage('Policy');
    await expect.poll(() => page.getByTestId('grant-row').count()).toBe(2);
    expect(await page.getByTestId('grant-row').first().innerText()).toMatch(/always, until revoked/);
    await button('Revoke all grants').click();
    const dialog = page.getByRole('dialog', { name: 'Revoke all 2 grants?' });
    await dialog.waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByTestId('grant-row').count()).toBe(2);

    await button('Revoke all grants').click();
    await dialog.getByRole('button', { name: 'Revoke all' }).click();
    await page.getByText(/Revoked 2 grants/).waitFor();
    await page.getByText(/No grants in force/).waitFor();

    const again = mkdir('d2');
    await isAskedAgain();
    await answer('create_directory', 'Deny');
    expect((await again).isError).toBe(true);
  }, 45_000);
});
