/**
 * "Explain" and the Claude Code import on the Policy page, all real (`mcp-guard serve --ui` with a
 * managed policy and a HOME holding Claude Code settings, Debian chromium, the built CLI): the page
 * explains a call exactly as `mcp-guard policy explain --json` does, and its import, previewed and
 * then applied, writes what `mcp-guard policy import-claude` writes.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  rules: [
    { id: 'fs-writes', tool: 'mcp__fs__write_file', action: 'ask', reason: 'writes need a look' },
    { id: 'fs-tmp', tool: 'mcp__fs__write_file', action: 'allow', arguments: { properties: { path: { pattern: '^/tmp/' } } }, reason: 'scratch files' },
  ],
};
const MANAGED = {
  version: 1,
  rules: [
    { id: 'it-no-secrets', tool: 'mcp__fs__*', arguments: { properties: { path: { pattern: '\\.env$' } } }, action: 'deny', reason: 'IT: no .env files' },
  ],
};
const PERMISSIONS = { allow: ['mcp__github__get_issue', 'Bash(git status)'], ask: ['mcp__github__create_issue'], deny: ['mcp__github__delete_*'] };

let home: string;
let userHome: string;
let managedFile: string;
let ui: UiService;
let own: OwnBrowser;
let page: Page;

beforeAll(async () => {
  home = guardHomeWith(USER);
  userHome = tempDir('mcp-guard-e2e-home-');
  mkdirSync(join(userHome, '.claude'), { recursive: true });
  writeFileSync(join(userHome, '.claude', 'settings.json'), JSON.stringify({ permissions: PERMISSIONS }));
  managedFile = join(tempDir('mcp-guard-managed-'), 'managed.json');
  writeFileSync(managedFile, JSON.stringify(MANAGED));
  ui = await startUiService(home, [], undefined, { MCP_GUARD_MANAGED_POLICY: managedFile, HOME: userHome });
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

const cliEnv = (guardHome = home) => guardEnv(guardHome, { MCP_GUARD_MANAGED_POLICY: managedFile, HOME: userHome });
const explainForm = () => page.locator('#policy-explain');

async function noAxeViolations(): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await seriousAxeViolations(page), colorScheme).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('explain and import on the Policy page', () => {
  it.each([
    {
      what: 'a managed deny that beats your rules',
      server: 'fs',
      tool: 'write_file',
      args: '{"path": "/tmp/app/.env", "content": "x"}',
      client: 'claude-code',
    },
    { what: 'an argument condition that allows', server: 'fs', tool: 'mcp__fs__write_file', args: '{"path": "/tmp/notes.txt", "content": "x"}', client: '' },
    { what: 'the defaults', server: 'github', tool: 'get_issue', args: '', client: '' },
  ])('explains $what exactly as mcp-guard policy explain --json does', async ({ server, tool, args, client }) => {
    await explainForm().getByLabel('Server').fill(server);
    await explainForm().getByLabel('Tool', { exact: true }).fill(tool);
    await explainForm().getByLabel('Client (optional)').fill(client);
    await explainForm().getByLabel('Arguments as JSON (optional)').fill(args);
    await explainForm().getByRole('button', { name: 'Explain' }).click();
    // The answer to this request (the page drops the previous one when it asks again).
    await expect.poll(() => page.getByTestId('explain-json').textContent()).toContain(`"tool": "${tool.replace(`mcp__${server}__`, '')}"`);

    const cliArgs = [
      'policy',
      'explain',
      '--server',
      server,
      '--tool',
      tool,
      '--json',
      ...(args ? ['--args', args] : []),
      ...(client ? ['--client', client] : []),
    ];
    const printed = JSON.parse(execFileSync(process.execPath, [cliPath, ...cliArgs], { env: cliEnv(), encoding: 'utf8' })) as {
      effect: string;
      lost: unknown[];
    };
    expect(JSON.parse((await page.getByTestId('explain-json').textContent()) ?? '')).toEqual(printed);
    expect(await page.getByTestId('explain-effect').innerText()).toBe(printed.effect.toUpperCase());
    expect(await page.getByTestId('explain-lost').count()).toBe(printed.lost.length > 0 ? 1 : 0);
  });

  it('has no serious axe violation with an explanation shown', async () => {
    await explainForm().evaluate(scrollIntoView, 'start');
    await page.screenshot({ path: join(SCREENSHOTS, 'policy-explain.png') });
    await noAxeViolations();
  });

  it('previews the import of Claude Code permissions, then writes exactly what import-claude writes', async () => {
    const section = page.locator('#policy-import');
    const settings = join(userHome, '.claude', 'settings.json');
    await expect(section.getByRole('radio', { name: new RegExp(`Claude Code user settings: ${settings.replaceAll('.', '\\.')}`) }).isChecked()).resolves.toBe(
      true,
    );
    await section.getByRole('button', { name: 'Preview the import' }).click();
    const preview = page.getByTestId('import-preview');
    await preview.waitFor();
    expect(await preview.getByTestId('import-rule').allInnerTexts()).toEqual([
      expect.stringMatching(/claude:deny:mcp__github__delete_\.all\s+mcp__github__delete_\*\s+deny\s+new/),
      expect.stringMatching(/claude:ask:mcp__github__create_issue\s+mcp__github__create_issue\s+ask\s+new/),
      expect.stringMatching(/claude:allow:mcp__github__get_issue\s+mcp__github__get_issue\s+allow\s+new/),
    ]);
    expect(await preview.getByTestId('import-skipped').innerText()).toBe('Bash(git status): not an MCP tool');
    // Previewing writes nothing.
    expect(JSON.parse(readFileSync(join(home, 'policy.json'), 'utf8'))).toEqual(USER);
    await preview.evaluate(scrollIntoView, 'center');
    await page.screenshot({ path: join(SCREENSHOTS, 'policy-import.png') });
    await noAxeViolations();

    const copy = tempDir('mcp-guard-import-copy-');
    cpSync(join(home, 'policy.json'), join(copy, 'policy.json'));
    execFileSync(process.execPath, [cliPath, 'policy', 'import-claude'], { env: cliEnv(copy) });
    await preview.getByRole('button', { name: 'Import 3 rules' }).click();
    await section.getByText(/Imported 3 rules into .*policy\.json/).waitFor();
    expect(JSON.parse(readFileSync(join(home, 'policy.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(join(copy, 'policy.json'), 'utf8')));
    // The rules table shows them, as yours.
    await page.getByTestId('rule-user-claude:ask:mcp__github__create_issue').waitFor();
  });

  it('refuses to apply a preview once the settings changed, and says to preview again', async () => {
    const section = page.locator('#policy-import');
    const settings = join(userHome, '.claude', 'settings.json');
    await section.getByRole('button', { name: 'Preview the import' }).click();
    const preview = page.getByTestId('import-preview');
    await preview.waitFor();
    expect(await preview.getByTestId('import-rule').allInnerTexts()).toEqual(Array(3).fill(expect.stringMatching(/replaces the rule imported before/)));
    writeFileSync(settings, JSON.stringify({ permissions: { allow: ['mcp__github__*'] } }));
    const before = readFileSync(join(home, 'policy.json'), 'utf8');
    await preview.getByRole('button', { name: 'Import 3 rules' }).click();
    await expect
      .poll(() => section.getByTestId('import-error').textContent())
      .toMatch(/settings changed since the preview, so nothing was imported; preview again/);
    expect(readFileSync(join(home, 'policy.json'), 'utf8')).toBe(before);
  });
});
