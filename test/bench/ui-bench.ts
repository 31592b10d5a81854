/**
 * npm run bench:ui — the Activity page on a log of 100,000 events, in one run on this machine:
 * - first rows visible: from `page.goto` (app load, bridge, index) and from a click on Activity
 *   (target ≤ 1 s), with the index still building (cold) and built (warm);
 * - a filter applied, from the input event to the rows updated (target ≤ 200 ms), median and worst
 *   of a few; against the direct path in the same run: the same `activity:query` on a bare
 *   WebSocket client of the bridge, and in process on an ActivityIndex;
 * - the renderer's JS heap after scrolling through the table (CDP JSHeapUsedSize; target ≤ 150 MB);
 * - the service's RSS with the 100k-row index against the same service on an empty log;
 * - a burst of 1,000 real calls in 10 s through a proxy (server-everything's echo): the total the
 *   page shows must reach the log's count with no row dropped, and how long after the last call.
 * The service is `mcp-guard serve --ui` in a process of its own; chromium is Debian's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Page } from 'playwright-core';
import { ActivityIndex } from '../../main/audit/activity-index.js';
import { AuditLog } from '../../main/audit/audit-log.js';
import { queryAuditLog } from '../../main/audit/query.js';
import { guardPaths } from '../../main/store/guard-paths.js';
import { random, realisticEvent, realisticTimes } from '../audit/activity-events.js';
import { launchChromium } from '../helpers/browser.js';
import { startUiService, type UiService } from '../helpers/ui-service.js';
import { tokenOf, UiClient } from '../helpers/ui-client.js';
import { median } from './bench-client.js';

const cli = fileURLToPath(new URL('../../main/cli/mcp-guard.cjs', import.meta.url));
const everything = fileURLToPath(new URL('../../../node_modules/@modelcontextprotocol/server-everything/dist/index.js', import.meta.url));
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 100_000);
const BURST = 1000;
const BURST_MS = 10_000;

function guardHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'mcp-guard-bench-ui-'));
  writeFileSync(join(home, 'policy.json'), JSON.stringify({ version: 1, defaults: { tools: 'allow' } }));
  return home;
}

async function writeLog(home: string): Promise<void> {
  const log = await AuditLog.open(guardPaths(home).auditDir);
  const next = random(2024);
  const times = realisticTimes(next, EVENTS, Date.now() - 60_000, 24);
  for (let i = 0; i < times.length; i += 1000) await Promise.all(times.slice(i, i + 1000).map((t) => log.append(realisticEvent(next, t))));
  await log.close();
}

/**
 * The index's own cost in a process that does nothing else: RSS after startGuard on the log, then
 * after the index's first scan (a child process, so this bench's own allocations do not count).
 */
function serviceMemory(home: string): { guard: number; indexed: number } {
  const url = (path: string) => new URL(path, import.meta.url).href;
  const script = `
    const { startGuard, noManagedPolicy } = await import(${JSON.stringify(url('../../main/service/start-guard.js'))});
    const { ActivityIndex } = await import(${JSON.stringify(url('../../main/audit/activity-index.js'))});
    const home = ${JSON.stringify(home)};
    const rss = () => process.memoryUsage().rss / 1048576;
    const guard = await startGuard({ home, log: { log() {} }, managedPolicy: noManagedPolicy(home) });
    await new Promise((r) => setTimeout(r, 500));
    const before = rss();
    await new ActivityIndex({ dir: guard.paths.auditDir, onDidAppend: guard.audit.onDidAppend }).ready();
    await new Promise((r) => setTimeout(r, 500));
    console.log(JSON.stringify({ guard: before, indexed: rss() }));
    await guard.stop();`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the memory probe failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { guard: number; indexed: number };
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
const total = (page: Page) => page.getByTestId('activity-count').getAttribute('data-total').then(Number);

/** From `page.goto` (and from the click on Activity) to the first row in the table, in the page's own clock. */
async function firstRows(page: Page, url: string): Promise<{ fromGoto: number; fromClick: number }> {
  await page.goto('about:blank');
  const started = Date.now();
  await page.goto(url);
  const link = page.getByRole('link', { name: /^Activity/ });
  await link.waitFor();
  const clicked = Date.now();
  await link.click();
  await page.locator('[role="row"][data-seq]').first().waitFor({ timeout: 30_000 });
  const shown = Date.now();
  return { fromGoto: shown - started, fromClick: shown - clicked };
}

/** From the input event (stamped in the page) to the count and the first row showing the filter's result. */
async function filterLatency(page: Page, apply: () => Promise<unknown>, expect: string): Promise<number> {
  await page.evaluate(() => {
    const g = globalThis as unknown as { document: { addEventListener(t: string, f: () => void, c: boolean): void }; inputAt: number };
    g.inputAt = 0;
    const stamp = () => (g.inputAt ||= performance.now());
    g.document.addEventListener('input', stamp, true);
    g.document.addEventListener('change', stamp, true);
  });
  const before = await total(page);
  await apply();
  const done = await page
    .waitForFunction(
      ([was, text]) => {
        const d = (
          globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null; textContent: string | null } | null } }
        ).document;
        const count = d.querySelector('[data-testid="activity-count"]')?.getAttribute('data-total');
        const row = d.querySelector('[role="row"][data-seq]')?.textContent ?? '';
        return count !== String(was) && row.includes(text) ? performance.now() : false;
      },
      [before, expect] as const,
      { polling: 'raf', timeout: 10_000 },
    )
    .catch(async (error: unknown) => {
      const count = await page
        .getByTestId('activity-count')
        .getAttribute('data-total')
        .catch(() => '?');
      const first = await page
        .locator('[role="row"][data-seq]')
        .first()
        .textContent()
        .catch(() => '?');
      throw new Error(`filter "${expect}": the rows did not update (count ${count}, was ${before}; first row "${first}"): ${String(error)}`);
    });
  const shownAt = (await done.jsonValue()) as number;
  return shownAt - (await page.evaluate(() => (globalThis as unknown as { inputAt: number }).inputAt));
}

function agent(home: string): Promise<Client> {
  const env = { ...process.env, MCP_GUARD_HOME: home, MCP_GUARD_MANAGED_POLICY: join(home, 'none.json') } as Record<string, string>;
  const client = new Client({ name: 'bench-agent', version: '1.0.0' }, { capabilities: {} });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, 'run', '--name', 'everything', '--', 'node', everything, 'stdio'],
    env,
    stderr: 'ignore',
  });
  return client.connect(transport).then(() => client);
}

async function logCount(home: string): Promise<number> {
  let n = 0;
  for await (const _ of queryAuditLog(guardPaths(home).auditDir)) n++;
  return n;
}

async function run() {
  const home = guardHome();
  const wrote = Date.now();
  await writeLog(home);
  console.log(`bench:ui — wrote ${EVENTS.toLocaleString()} events in ${((Date.now() - wrote) / 1000).toFixed(1)} s`);

  // The direct path, in process: the index's first scan and a query on it.
  const index = new ActivityIndex({ dir: guardPaths(home).auditDir, onDidAppend: () => () => undefined });
  const scanStarted = performance.now();
  await index.ready();
  const scanMs = performance.now() - scanStarted;
  const direct: number[] = [];
  for (const text of ['create_pull_request', 'acme/web', 'drop_table', 'login']) {
    const t = performance.now();
    await index.query({ filter: { text }, offset: 0, limit: 100 });
    direct.push(performance.now() - t);
  }
  const memory = serviceMemory(home);

  const own = await launchChromium();
  const page = await own.browser.newPage({ viewport: { width: 1280, height: 800 } });
  // Opened as soon as the service prints its URL: the index is still being built.
  const ui: UiService = await startUiService(home, [], cli);
  const empty = await startUiService(guardHome(), [], cli);
  try {
    const cold = await firstRows(page, ui.url);
    const warm = await firstRows(page, ui.url);

    const filters = page.getByRole('search', { name: 'Filter the audit events' });
    const latencies = [
      await filterLatency(page, () => filters.getByLabel('Search').fill('create_pull_request'), 'create_pull_request'),
      await filterLatency(page, () => filters.getByLabel('Search').fill(''), ''),
      await filterLatency(page, () => filters.getByLabel('Decision').selectOption('deny'), 'Denied'),
      await filterLatency(page, () => filters.getByLabel('Server').fill('postgres'), 'postgres'),
      await filterLatency(page, () => filters.getByLabel('Decision').selectOption(''), 'postgres'),
    ];
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page
      .locator('[data-testid="activity-count"]')
      .getByText(/newest first/)
      .waitFor();

    // The same queries on a bare socket of the bridge (what the page pays on top is rendering).
    const socket = await UiClient.connect({ port: ui.port, token: tokenOf(ui.url) });
    const bridged: number[] = [];
    for (const text of ['create_pull_request', 'acme/web', 'drop_table', 'login']) {
      const t = performance.now();
      await socket.invoke('activity:query', { filter: { text }, offset: 0, limit: 100 });
      bridged.push(performance.now() - t);
    }
    socket.close();

    // Scroll through the table as a reader would, far and back, then read the heap.
    for (const fraction of [0.1, 0.3, 0.5, 0.8, 1, 0.6, 0.2, 0]) {
      await page.locator('.activity-scroll').evaluate((el, f) => {
        const s = el as unknown as { scrollTop: number; scrollHeight: number };
        s.scrollTop = s.scrollHeight * f;
      }, fraction);
      await page.waitForTimeout(150);
    }
    await page.locator('[role="row"][data-seq]').first().waitFor();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const metrics = await cdp.send('Performance.getMetrics');
    const heapMb = (metrics.metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN) / 1024 / 1024;

    const emptyPage = await own.browser.newPage();
    await emptyPage.goto(empty.url);
    await emptyPage.getByRole('link', { name: /^Activity/ }).click();
    await emptyPage.getByText('Nothing is recorded yet.').waitFor();
    const rss = { full: rssMb(ui.child.pid!), empty: rssMb(empty.child.pid!) };

    // A burst of real calls at the top of the table: every one must be counted.
    const client = await agent(home);
    await client.listTools();
    await page.locator('.activity-scroll').evaluate((el) => ((el as unknown as { scrollTop: number }).scrollTop = 0));
    await page.waitForTimeout(1500);
    const before = await logCount(home);
    const burstStarted = Date.now();
    await Promise.all(
      Array.from({ length: 10 }, async (_, lane) => {
        for (let i = 0; i < BURST / 10; i++) {
          const due = burstStarted + ((i * 10 + lane) * BURST_MS) / BURST;
          await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
          await client.callTool({ name: 'echo', arguments: { message: `burst-${lane}-${i}` } });
        }
      }),
    );
    const burstEnded = Date.now();
    await page.waitForFunction(
      (least) =>
        Number(
          (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document
            .querySelector('[data-testid="activity-count"]')
            ?.getAttribute('data-total'),
        ) >= least,
      before + BURST,
      { polling: 'raf', timeout: 30_000 },
    );
    const caughtUp = Date.now() - burstEnded;
    const after = await logCount(home);
    await page.locator(`[data-testid="activity-count"][data-total="${after}"]`).waitFor({ timeout: 30_000 });
    const shown = await total(page);
    const topRow = await page.locator('[role="row"][data-seq]').first().getAttribute('data-seq');
    await client.close();

    const ms = (v: number) => `${v.toFixed(0)} ms`;
    const row = (what: string, value: string, target = '', versus = '') =>
      console.log(`  ${what.padEnd(64)} ${value.padStart(15)}  ${target.padEnd(10)} ${versus}`);
    console.log(`bench:ui — Activity on ${EVENTS.toLocaleString()} events, Debian chromium, mcp-guard serve --ui`);
    row('measure', 'value', 'target', 'direct path, same run');
    row('first rows, service just started (index building): from goto', ms(cold.fromGoto), '', `in-process first scan ${ms(scanMs)}`);
    row('first rows, service just started: from click on Activity', ms(cold.fromClick), '≤ 1000 ms');
    row('first rows, index built: from goto', ms(warm.fromGoto));
    row('first rows, index built: from click on Activity', ms(warm.fromClick), '≤ 1000 ms');
    row(
      `filter applied, input → rows (median of ${latencies.length})`,
      ms(median([...latencies].sort((a, b) => a - b))),
      '≤ 200 ms',
      `bridge median ${ms(median([...bridged].sort((a, b) => a - b)))}, in process ${ms(median([...direct].sort((a, b) => a - b)))}`,
    );
    row(
      'filter applied, input → rows (worst)',
      ms(Math.max(...latencies)),
      '≤ 200 ms',
      `bridge worst ${ms(Math.max(...bridged))}, in process ${ms(Math.max(...direct))}`,
    );
    row('renderer JS heap after scrolling the table', `${heapMb.toFixed(1)} MB`, '≤ 150 MB');
    row('service RSS, serve --ui on this log, page used', `${rss.full.toFixed(1)} MB`, '', `on an empty log ${rss.empty.toFixed(1)} MB`);
    const { guard, indexed } = memory;
    row('RSS of startGuard on this log, without the index', `${guard.toFixed(1)} MB`, '', 'a process of its own');
    row('… and with the index built (100k rows)', `${indexed.toFixed(1)} MB`, '', `the index: +${(indexed - guard).toFixed(1)} MB`);
    row(`burst: ${BURST} calls in ${((burstEnded - burstStarted) / 1000).toFixed(1)} s, log grew by`, String(after - before), `${BURST}`);
    row('burst: total the page shows = events in the log', `${shown} = ${after}`, 'no drop', shown === after ? 'ok' : 'ROWS DROPPED');
    row('burst: the page showed every call, after the last one answered', ms(caughtUp), '', `top row #${topRow}`);
  } finally {
    await own.close();
    await ui.stop();
    await empty.stop();
  }
}

await run();
