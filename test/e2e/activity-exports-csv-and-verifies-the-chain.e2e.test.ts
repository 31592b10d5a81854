/**
 * Export and "verify chain" on the Activity page, all real (`mcp-guard serve --ui`, Debian
 * chromium, a proxy wrapping server-everything): the CSV the page saves is, byte for byte, what
 * `mcp-guard audit export --format csv` writes, and its rows are the calls; a filter exports only
 * what it shows; the chain verifies, and after the log file is edited by hand the page says where
 * it breaks and opens that event, which no longer matches its hash.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvHeader } from '../../main/audit/export.js';
import { guardPaths } from '../../main/store/guard-paths.js';
import type { AuditEvent } from '../../shared/audit.js';
import { launchChromium, seriousAxeViolations, type OwnBrowser } from '../helpers/browser.js';
import { cliPath, realServers } from '../helpers/paths.js';
import { guardEnv, guardHomeWith } from '../helpers/proxy.js';
import { auditEvents, guardedClient } from '../helpers/service.js';
import { startUiService, type UiService } from '../helpers/ui-service.js';

const POLICY = {
  version: 1,
  defaults: { tools: 'allow' },
  rules: [{ id: 'no-env', tool: 'mcp__everything__get-env', action: 'deny', reason: 'the environment may hold secrets' }],
};

let home: string;
let ui: UiService;
let own: OwnBrowser;
let page: Page;
let agent: Client;

beforeAll(async () => {
  home = guardHomeWith(POLICY);
  ui = await startUiService(home);
  own = await launchChromium();
  page = await own.browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  await page.goto(ui.url);
  await page.getByRole('link', { name: /^Activity/ }).click();
  await page.getByText('Nothing is recorded yet.').waitFor();
  agent = await guardedClient(home, 'everything', realServers.everything);
  // Quotes, commas, a line break and a would-be spreadsheet formula: what CSV must escape.
  for (const message of ['mark-1', 'mark-2, with a comma', 'mark-3 "quoted"', 'mark-4\nsecond line', '=HYPERLINK("http://x")'])
    await agent.callTool({ name: 'echo', arguments: { message } });
  await agent.callTool({ name: 'get-env', arguments: {} });
  await agent.callTool({ name: 'get-sum', arguments: { a: 1, b: 2 } });
  // A call's event reaches the log just after its answer reaches the client (the proxy reports it in the background).
  const total = (await eventsOnceLogged(7)).length;
  await page.locator(`[data-testid="activity-count"][data-total="${total}"]`).waitFor({ timeout: 10_000 });
}, 60_000);

afterAll(async () => {
  await agent?.close();
  await own?.close();
  await ui?.stop();
});

async function eventsOnceLogged(calls: number): Promise<AuditEvent[]> {
  for (let i = 0; i < 200; i++) {
    const events = await auditEvents(home);
    if (events.filter((e) => e.kind === 'call').length >= calls) return events;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the log did not get ${calls} calls within 10 s`);
}

/** RFC 4180: quoted cells may hold commas, quotes (doubled) and line breaks; rows end in CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  expect(cell === '' && row.length === 0, 'the export ends with a whole row').toBe(true);
  return rows;
}

async function exportFrom(button: string): Promise<string> {
  const [download]: [Download, void] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  expect(download.suggestedFilename()).toMatch(/^mcp-guard-audit-.+\.(csv|jsonl)$/);
  await page
    .getByTestId('export-status')
    .getByText(/^Saved /)
    .waitFor();
  return readFileSync(await download.path(), 'utf8');
}

function cliExport(...args: string[]): string {
  const run = spawnSync(process.execPath, [cliPath, 'audit', 'export', ...args], { env: guardEnv(home), encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

describe('exporting and verifying on the Activity page', () => {
  it('saves a CSV that is what mcp-guard audit export writes, one row per call, quotes, commas and line breaks intact', async () => {
    const csv = await exportFrom('Export CSV');
    // The export holds the log as it was when it started; the CLI, run after, may see a later event (a server's own).
    const cli = cliExport('--format', 'csv');
    expect(cli.startsWith(csv)).toBe(true);
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual(csvHeader().split(','));
    const events = (await auditEvents(home)).slice(0, rows.length);
    expect(rows).toHaveLength(events.length);
    const column = (name: string) => header!.indexOf(name);
    const calls = rows.filter((r) => r[column('kind')] === 'call');
    // In the log's order, which is the order the service received the proxy's reports (not always the order of the calls).
    expect(calls.map((r) => [r[column('tool')], r[column('decision_effect')], r[column('outcome')]].join(' ')).sort()).toEqual(
      [...Array.from({ length: 5 }, () => 'echo allow ok'), 'get-env deny denied', 'get-sum allow ok'].sort(),
    );
    expect(rows.map((r) => r[column('id')])).toEqual(events.map((e) => e.id));
    const messages = calls.filter((r) => r[column('tool')] === 'echo').map((r) => (JSON.parse(r[column('arguments')]!) as { message: string }).message);
    expect(messages.sort()).toEqual(['mark-1', 'mark-2, with a comma', 'mark-3 "quoted"', 'mark-4\nsecond line', '=HYPERLINK("http://x")'].sort());
    expect(rows.map((r) => r[column('hash')])).toEqual(events.map((e) => e.hash));
  });

  it('exports only what the filters show, and JSONL as the stored lines', async () => {
    await page.getByLabel('Decision').selectOption('deny');
    await expect.poll(() => page.getByTestId('activity-count').getAttribute('data-total')).toBe('1');
    const [, ...rows] = parseCsv(await exportFrom('Export CSV'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('get-env');
    expect(await exportFrom('Export JSONL')).toBe(cliExport('--format', 'jsonl', '--decision', 'deny'));
    await page.getByLabel('Decision').selectOption('');
    const jsonl = await exportFrom('Export JSONL');
    expect(jsonl.endsWith('\n')).toBe(true);
    expect(readFileSync(join(guardPaths(home).auditDir, 'audit-000001.jsonl'), 'utf8').startsWith(jsonl)).toBe(true);
  });

  it('verifies the chain, then says where it breaks once the log file is edited, and opens that event', async () => {
    const events = await auditEvents(home);
    await page.getByRole('button', { name: 'Verify chain' }).click();
    const verdict = page.getByTestId('verify-result');
    await verdict.getByText('Chain intact').waitFor();
    expect(await verdict.innerText()).toContain(`${events.length} events in 1 file verified`);

    // An edit of the same length: the line still parses, and only its hash can tell.
    const segment = join(guardPaths(home).auditDir, 'audit-000001.jsonl');
    const lines = readFileSync(segment, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('"mark-1"'));
    lines[at] = lines[at]!.replace('"mark-1"', '"mark-X"');
    writeFileSync(segment, lines.join('\n'));

    await page.getByRole('button', { name: 'Verify chain' }).click();
    await verdict.getByText('Chain broken').waitFor();
    const broken = await verdict.innerText();
    expect(broken).toContain(`audit-000001.jsonl line ${at + 1}: content does not match its hash`);
    expect(await seriousAxeViolations(page), 'a broken chain').toEqual([]);

    await verdict.getByRole('button', { name: `Open event #${at + 1}, where it breaks` }).click();
    const dialog = page.getByTestId('event-dialog');
    await dialog.getByText('No: the stored event was edited').waitFor();
    expect(await dialog.innerText()).toContain('mark-X');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Focus goes back to where the user was: the row's button, or the button that opened it.
    expect(await page.evaluate<string>('document.activeElement?.textContent ?? ""')).toMatch(/Open event #\d+, where it breaks|\d{2}:\d{2}/);
  });
});
