/**
 * npm run bench:prompt — how fast a held call reaches the user, in one run on this machine:
 * - from the moment the service receives an ask (the broker's `createdAt`) to the moment its prompt
 *   is in the page's DOM in Debian chromium (a MutationObserver in the page stamps it), median and
 *   p95 over 50 prompts (targets 100 ms / 250 ms); against the direct path in the same run: the
 *   same ask's `approvals:changed` event arriving at a bare WebSocket client of the bridge;
 * - the service's RSS with the UI connected and 20 proxies registered (target 150 MB), measured on
 *   `mcp-guard serve --ui` in a process of its own.
 * Both clocks are Date.now() of this one machine.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallPrompt } from '../../shared/approvals.js';
import { guardUi } from '../../main/ipc/ipc-handlers.js';
import { startUiServer } from '../../main/ipc/ui-server.js';
import { noManagedPolicy, startGuard } from '../../main/service/start-guard.js';
import { launchChromium } from '../helpers/browser.js';
import { startUiService } from '../helpers/ui-service.js';
import { tokenOf, UiClient } from '../helpers/ui-client.js';
import { median, percentile } from './bench-client.js';

const cli = fileURLToPath(new URL('../../main/cli/mcp-guard.cjs', import.meta.url));
const rawServer = fileURLToPath(new URL('../fixtures/raw-server.js', import.meta.url));
const renderer = fileURLToPath(new URL('../../renderer', import.meta.url));
const PROMPTS = 50;
const PROXIES = 20;

function guardHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'mcp-guard-bench-prompt-'));
  writeFileSync(join(home, 'policy.json'), JSON.stringify({ version: 1, defaults: { tools: 'ask', promptTimeoutSeconds: 600 } }));
  return home;
}

function agent(home: string, name: string, command: string[]): Promise<Client> {
  const env = { ...process.env, MCP_GUARD_HOME: home, MCP_GUARD_MANAGED_POLICY: join(home, 'none.json') } as Record<string, string>;
  const client = new Client({ name: 'bench-agent', version: '1.0.0' }, { capabilities: {} });
  return client
    .connect(new StdioClientTransport({ command: process.execPath, args: [cli, 'run', '--name', name, '--', ...command], env, stderr: 'ignore' }))
    .then(() => client);
}

async function promptLatency() {
  const home = guardHome();
  const guard = await startGuard({ home, log: { log: () => undefined }, managedPolicy: noManagedPolicy(home) });
  const { service } = guard;
  const ui = await startUiServer({
    port: 0,
    rendererDir: renderer,
    ...guardUi(guard, { version: 'bench', log: { log: () => undefined }, env: { HOME: home }, launcher: undefined }),
    log: { log: () => undefined },
  });
  const direct = await UiClient.connect({ port: ui.port, token: tokenOf(ui.url) });
  const own = await launchChromium();
  const page = await own.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(ui.url);
  await page.getByText(/No calls are waiting for you/).waitFor();
  // Stamps the first moment each bench marker is in the page's text.
  await page.evaluate(() => {
    const g = globalThis as unknown as {
      document: { body: { innerText: string } };
      MutationObserver: new (cb: () => void) => { observe(n: unknown, o: unknown): void };
      seen: Record<string, number>;
    };
    g.seen = {};
    new g.MutationObserver(() => {
      for (const m of g.document.body.innerText.match(/bench-mark-\d+/g) ?? []) g.seen[m] ??= Date.now();
    }).observe(g.document.body, { childList: true, subtree: true, characterData: true });
  });
  const client = await agent(home, 'everything', ['node', join(process.cwd(), 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio']);
  const toPage: number[] = [];
  const toSocket: number[] = [];
  for (let i = 0; i < PROMPTS; i++) {
    const mark = `bench-mark-${i}`;
    const held = client.callTool({ name: 'echo', arguments: { message: mark } });
    let prompt: CallPrompt | undefined;
    while (!(prompt = service.desk.list().find((p): p is CallPrompt => p.kind === 'call' && JSON.stringify(p.arguments).includes(`"${mark}"`))))
      await new Promise((r) => setTimeout(r, 1));
    const seen = await page
      .waitForFunction((m) => (globalThis as unknown as { seen: Record<string, number> }).seen[m], mark)
      .then((h) => h.jsonValue() as Promise<number>);
    const event = direct.events.find((e) => JSON.stringify(e['payload']).includes(`"${mark}"`));
    toPage.push(seen - prompt.createdAt);
    if (event) toSocket.push((event['receivedAt'] as number) - prompt.createdAt);
    service.answer(prompt.id, { kind: 'deny' }, 'bench');
    await held;
  }
  await client.close();
  direct.close();
  await own.close();
  await ui.close();
  await guard.stop();
  return { toPage: toPage.sort((a, b) => a - b), toSocket: toSocket.sort((a, b) => a - b) };
}

async function serviceMemory() {
  const home = guardHome();
  const ui = await startUiService(home, [], cli);
  const own = await launchChromium();
  const page = await own.browser.newPage();
  await page.goto(ui.url);
  await page.getByText(/No calls are waiting for you/).waitFor();
  const clients = await Promise.all(Array.from({ length: PROXIES }, (_, i) => agent(home, `server-${i}`, [process.execPath, rawServer])));
  await page.getByText(new RegExp(`${PROXIES} prox`)).waitFor({ timeout: 30_000 });
  await new Promise((r) => setTimeout(r, 1000));
  const rssMb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${ui.child.pid}/status`, 'utf8'))?.[1]) / 1024;
  await Promise.all(clients.map((c) => c.close()));
  await own.close();
  await ui.stop();
  return rssMb;
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const { toPage, toSocket } = await promptLatency();
const rss = await serviceMemory();
console.log(`bench:prompt — ${PROMPTS} prompts, ask received by the service → visible in the page (Debian chromium)`);
console.log(`  prompt in the page:            median ${ms(median(toPage))}, p95 ${ms(percentile(toPage, 95))}  (targets ≤ 100 ms / ≤ 250 ms)`);
console.log(`  direct: event at a bare socket: median ${ms(median(toSocket))}, p95 ${ms(percentile(toSocket, 95))}`);
console.log(`  service RSS, UI connected, ${PROXIES} proxies registered: ${rss.toFixed(1)} MB  (target ≤ 150 MB)`);
