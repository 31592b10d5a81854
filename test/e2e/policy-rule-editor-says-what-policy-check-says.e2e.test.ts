/**
 * The rule editor on the Policy page, all real (`mcp-guard serve --ui` with a managed policy, Debian
 * chromium, the built CLI): an invalid rule shows, as you type, exactly the messages `mcp-guard
 * policy check` prints for the same document; a valid one is saved into the file on disk, edited
 * and deleted; a managed rule is shown locked and offers no way to change it. Light and dark, 360 px.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousAxeViolations, type OwnBrowser } from '../helpers/browser.js';
import { cliPath, repoRoot } from '../helpers/paths.js';
import { guardEnv, guardHomeWith, tempDir } from '../helpers/proxy.js';
import { startUiService, type UiService } from '../helpers/ui-service.js';

const SCREENSHOTS = join(repoRoot, 'docs', 'screenshots');

/** Scrolls an element into view (runs in the page, so it uses only its arguments; DOM types are not in this Node project). */
const scrollIntoView = (e: unknown, block: string) => (e as { scrollIntoView(o: object): void }).scrollIntoView({ block });
const USER = {
  version: 1,
  defaults: { tools: 'allow' },
  rules: [{ id: 'fs-writes', tool: 'mcp__fs__write_file', action: 'ask', reason: 'writes need a look' }],
};
const MANAGED = {
  version: 1,
  defaults: { promptTimeoutSeconds: 45 },
  rules: [{ id: 'it-no-deletes', tool: 'mcp__*__delete_*', action: 'deny', reason: 'IT: nothing deletes', allowGrants: false }],
  servers: [{ id: 'it-no-unpinned', match: { package: 'npm:*', pinned: false }, action: 'ask', reason: 'IT: unpinned packages are asked about' }],
};
const INVALID = '{\n  "id": "gh-issues",\n  "tool": "github_create_issue",\n  "action": "sometimes"\n}';

let home: string;
let managedFile: string;
let ui: UiService;
let own: OwnBrowser;
let page: Page;

beforeAll(async () => {
  home = guardHomeWith(USER);
  managedFile = join(tempDir('mcp-guard-managed-'), 'managed.json');
  writeFileSync(managedFile, JSON.stringify(MANAGED));
  ui = await startUiService(home, [], undefined, { MCP_GUARD_MANAGED_POLICY: managedFile, HOME: tempDir('mcp-guard-e2e-home-') });
  own = await launchChromium();
  page = await own.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(ui.url);
  await page.getByRole('link', { name: /^Policy/ }).click();
  await page.getByTestId('tool-rules').waitFor();
}, 60_000);

afterAll(async () => {
  await own?.close();
  await ui?.stop();
});

const userFile = () => join(home, 'policy.json');
const onDisk = () => JSON.parse(readFileSync(userFile(), 'utf8')) as typeof USER;
const editor = () => page.getByTestId('rule-editor');
const ruleText = () => editor().getByLabel('Rule as JSON');

/** What `mcp-guard policy check` prints for a document, each line without its "mcp-guard: policy file F: " lead. */
function cliCheck(doc: object): string[] {
  const file = join(tempDir(), 'candidate.json');
  writeFileSync(file, JSON.stringify(doc, null, 2));
  const run = spawnSync(process.execPath, [cliPath, 'policy', 'check', file], { env: guardEnv(home), encoding: 'utf8' });
  expect(run.status).toBe(1);
  return run.stderr
    .trim()
    .split('\n')
    .map((line) => line.replace(`mcp-guard: policy file ${file}: `, ''));
}

async function noAxeViolations(): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await seriousAxeViolations(page), colorScheme).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('the rule editor', () => {
  it('shows a managed rule locked, with its file, and nothing to change it with', async () => {
    const managed = page.getByTestId('rule-managed-it-no-deletes');
    expect(await managed.innerText()).toContain(`managed — set by ${managedFile}, cannot be changed here`);
    expect(await managed.getByRole('button').count()).toBe(0);
    expect(await page.getByTestId('server-rule-managed-it-no-unpinned').getByRole('button').count()).toBe(0);
    await expect(page.getByRole('button', { name: 'Edit rule fs-writes' }).isVisible()).resolves.toBe(true);
    expect(await page.getByTestId('defaults').innerText()).toMatch(/45 seconds\s+managed — set by/);
    await noAxeViolations();
  });

  it('says, as you type, exactly what mcp-guard policy check says of the same document', async () => {
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await ruleText().fill(INVALID);
    const problems = editor().getByTestId('problems').getByTestId('problem');
    await expect.poll(() => problems.count()).toBeGreaterThan(0);
    const shown = await problems.allInnerTexts();
    expect(shown).toEqual(cliCheck({ ...USER, rules: [...USER.rules, JSON.parse(INVALID)] }));
    expect(shown).toEqual([
      'rules[1].tool: expected a string like "mcp__github__*" (Claude Code tool syntax)',
      'rules[1].action: expected one of "allow", "ask", "deny"',
    ]);
    await expect(editor().getByRole('button', { name: 'Save rule' }).isDisabled()).resolves.toBe(true);
    await editor().evaluate(scrollIntoView, 'center');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'policy-editor.png') });
    await noAxeViolations();

    // A duplicate id is the CLI's semantic check, after the schema: the same message too.
    await ruleText().fill(JSON.stringify({ id: 'fs-writes', tool: 'mcp__fs__read_file', action: 'allow' }));
    await expect
      .poll(() => problems.allInnerTexts())
      .toEqual(cliCheck({ ...USER, rules: [...USER.rules, { id: 'fs-writes', tool: 'mcp__fs__read_file', action: 'allow' }] }));
  });

  it('saves a valid rule into the file on disk, then edits and deletes it', async () => {
    const rule = { id: 'gh-read', tool: 'mcp__github__get_*', action: 'allow', reason: 'reading is fine' };
    await ruleText().fill(JSON.stringify(rule, null, 2));
    await editor().getByTestId('rule-valid').waitFor();
    await editor().getByRole('button', { name: 'Save rule' }).click();
    await page.getByText(/Saved rule to .*policy\.json/).waitFor();
    expect(onDisk().rules).toEqual([...USER.rules, rule]);
    await page.getByTestId('rule-user-gh-read').waitFor();

    await page.getByRole('button', { name: 'Edit rule gh-read' }).click();
    await ruleText().fill(JSON.stringify({ ...rule, action: 'ask' }, null, 2));
    await editor().getByTestId('rule-valid').waitFor();
    await editor().getByRole('button', { name: 'Save rule' }).click();
    await expect.poll(() => onDisk().rules.find((r) => r.id === 'gh-read')?.action).toBe('ask');

    await page.getByRole('button', { name: 'Delete rule gh-read' }).click();
    await page.getByRole('dialog', { name: 'Delete rule gh-read?' }).getByRole('button', { name: 'Delete rule' }).click();
    await page.getByTestId('rule-user-gh-read').waitFor({ state: 'detached' });
    expect(onDisk().rules).toEqual(USER.rules);
  });

  it('never loses a change made by hand while the editor is open: refused if the page had not seen it, else saved on top of it', async () => {
    await page.getByRole('button', { name: 'Edit rule fs-writes' }).click();
    await ruleText().fill(JSON.stringify({ ...USER.rules[0], action: 'deny' }));
    await editor().getByTestId('rule-valid').waitFor();
    // Meanwhile someone edits the file by hand; the page has not reloaded yet when Save is pressed.
    const byHand = { ...USER, rules: [...USER.rules, { id: 'by-hand', tool: 'mcp__x__y', action: 'deny' }] };
    writeFileSync(userFile(), JSON.stringify(byHand));
    await editor().getByRole('button', { name: 'Save rule' }).click({ timeout: 10_000 });
    const refused = editor().getByTestId('save-refused');
    const shownAgain = page.getByTestId('rule-user-by-hand');
    // Either the page heard of the change first (then the save, from the new revision, succeeds) or it is refused.
    await Promise.race([refused.waitFor({ timeout: 10_000 }), page.getByText(/Saved rule to/).waitFor({ timeout: 10_000 })]);
    await shownAgain.waitFor({ timeout: 10_000 });
    if (await refused.isVisible()) {
      expect(await refused.innerText()).toMatch(/changed since this page loaded it/);
      expect(onDisk()).toEqual(byHand);
    } else
      expect(onDisk().rules.map((r) => [r.id, r.action])).toEqual([
        ['fs-writes', 'deny'],
        ['by-hand', 'deny'],
      ]);
  });

  it('fits 360 px with the editor open, without sideways scrolling', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    if (!(await editor().isVisible())) await page.getByRole('button', { name: 'Add a rule' }).click();
    await ruleText().fill(INVALID);
    await editor().getByTestId('problem').first().waitFor();
    const overflow = await page.evaluate(() => {
      const w = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
      return w.document.documentElement.scrollWidth - w.innerWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await noAxeViolations();
    await page.screenshot({ path: join(SCREENSHOTS, 'policy-360px.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
