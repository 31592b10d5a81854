/**
 * npm run bench:wrap — what wrapping costs, in one run on this machine (inside a private
 * gnome-keyring, test/setup/keyring-session.sh):
 * - `mcp-guard wrap` and `unwrap` of 200 servers across every adapter's user file, a quarter of
 *   them with a token that moves to the keychain (targets: 2 s each);
 * - the connect time of a wrapped entry whose record has 2 keychain secrets, against the same
 *   server through `mcp-guard run --` (target: +30 ms), and against the server alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchClient, median } from './bench-client.js';

const cli = fileURLToPath(new URL('../../main/cli/mcp-guard.cjs', import.meta.url));
const server = fileURLToPath(new URL('../fixtures/raw-server.js', import.meta.url));
const SERVERS = 200;
const ROUNDS = 3;
const CONNECTS = 15;

if (!process.env['DBUS_SESSION_BUS_ADDRESS'])
  throw new Error('bench:wrap needs a keychain: run it with npm run bench:wrap (it starts a private gnome-keyring)');

const home = mkdtempSync(join(tmpdir(), 'mcp-guard-bench-wrap-'));
const guardHome = join(home, 'guard');
const env: NodeJS.ProcessEnv = {
  ...process.env,
  HOME: home,
  XDG_CONFIG_HOME: join(home, '.config'),
  CODEX_HOME: join(home, '.codex'),
  MCP_GUARD_HOME: guardHome,
  MCP_GUARD_MANAGED_POLICY: join(home, 'none.json'),
  MCP_GUARD_LAUNCHER: cli,
};
mkdirSync(guardHome, { recursive: true, mode: 0o700 });
writeFileSync(join(guardHome, 'policy.json'), JSON.stringify({ version: 1, defaults: { tools: 'allow', newServers: 'allow' } }));

/** The user file of each adapter, with its share of the servers. */
function writeConfigs(): Record<string, string> {
  const perFile = Math.ceil(SERVERS / 8);
  const entries = (offset: number) => {
    const out: Record<string, unknown> = {};
    for (let i = offset; i < Math.min(offset + perFile, SERVERS); i++) {
      out[`server-${i}`] = {
        command: 'node',
        args: [`/opt/mcp/server-${i}.js`, '--port', String(9000 + i)],
        env: i % 4 === 0 ? { API_TOKEN: `tok_${i}_${'k'.repeat(32)}`, MODE: 'prod' } : { MODE: 'prod' },
      };
    }
    return out;
  };
  const toml = (offset: number) => {
    let text = '# Codex\nmodel = "gpt-5-codex"\n';
    for (const [name, e] of Object.entries(entries(offset)) as [string, { args: string[]; env: Record<string, string> }][]) {
      text += `\n[mcp_servers.${name}]\ncommand = "node"\nargs = ${JSON.stringify(e.args)}\n\n[mcp_servers.${name}.env]\n`;
      for (const [k, v] of Object.entries(e.env)) text += `${k} = ${JSON.stringify(v)}\n`;
    }
    return text;
  };
  const files: Record<string, string> = {
    [join(home, '.claude.json')]: JSON.stringify({ numStartups: 3, mcpServers: entries(0) }, null, 2),
    [join(home, '.config', 'Claude', 'claude_desktop_config.json')]: JSON.stringify({ mcpServers: entries(perFile) }, null, 2),
    [join(home, '.cursor', 'mcp.json')]: JSON.stringify({ mcpServers: entries(2 * perFile) }, null, 2),
    [join(home, '.config', 'Code', 'User', 'mcp.json')]: '// VS Code\n' + JSON.stringify({ servers: entries(3 * perFile) }, null, 2),
    [join(home, '.codeium', 'windsurf', 'mcp_config.json')]: JSON.stringify({ mcpServers: entries(4 * perFile) }, null, 2),
    [join(home, '.codex', 'config.toml')]: toml(5 * perFile),
    [join(home, '.gemini', 'settings.json')]: JSON.stringify({ mcpServers: entries(6 * perFile) }, null, 2),
    [join(home, '.config', 'zed', 'settings.json')]: JSON.stringify({ context_servers: entries(7 * perFile) }, null, 2),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return files;
}

function timed(...args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8', cwd: home });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`mcp-guard ${args.join(' ')} failed: ${r.stdout}${r.stderr}`);
  return ms;
}

const wraps: number[] = [];
const unwraps: number[] = [];
let wrappedCount = 0;
for (let round = 0; round < ROUNDS; round++) {
  const files = writeConfigs();
  wraps.push(timed('wrap', '--client', 'all'));
  const out = spawnSync(process.execPath, [cli, 'servers', '--json'], { env, encoding: 'utf8', cwd: home });
  wrappedCount = (JSON.parse(out.stdout) as { servers: { state: string }[] }).servers.filter((s) => s.state === 'wrapped').length;
  unwraps.push(timed('unwrap'));
  for (const [path, text] of Object.entries(files)) if (readFileSync(path, 'utf8') !== text) throw new Error(`unwrap did not restore ${path}`);
}

// Connect: the raw fixture server, alone; through `run --`; as a wrapped entry with 2 keychain secrets.
writeFileSync(
  join(home, '.claude.json'),
  JSON.stringify(
    {
      mcpServers: { bench: { command: process.execPath, args: [server], env: { API_TOKEN: 'tok_' + 'a'.repeat(40), DB_PASSWORD: 'p@ss-' + 'b'.repeat(20) } } },
    },
    null,
    2,
  ),
);
timed('wrap', '--client', 'claude-code');
const wrapped = (
  JSON.parse(readFileSync(join(home, '.claude.json'), 'utf8')) as { mcpServers: { bench: { command: string; args: string[]; env: Record<string, string> } } }
).mcpServers.bench;
const record = JSON.parse(readFileSync(join(guardHome, 'servers', 'claude-code', 'user', 'bench.json'), 'utf8')) as { secrets: unknown[] };
if (record.secrets.length !== 2) throw new Error(`expected 2 secrets in the record, found ${record.secrets.length}`);

type Route = { name: string; start: () => BenchClient };
const routes: Route[] = [
  { name: 'server alone', start: () => new BenchClient(process.execPath, [server], env) },
  { name: 'mcp-guard run --', start: () => new BenchClient(process.execPath, [cli, 'run', '--name', 'bench', '--', process.execPath, server], env) },
  { name: 'wrapped entry, 2 keychain secrets', start: () => new BenchClient(wrapped.command, wrapped.args, { ...env, ...wrapped.env }) },
];
const connects = new Map<string, number[]>();
for (let i = 0; i < CONNECTS; i++) {
  for (const route of routes) {
    const t = performance.now();
    const client = route.start();
    const answer = await client.initialize();
    const ms = performance.now() - t;
    if (!answer.result) throw new Error(`${route.name}: initialize failed: ${JSON.stringify(answer)}`);
    await client.close();
    connects.set(route.name, [...(connects.get(route.name) ?? []), ms]);
  }
}
timed('unwrap');
rmSync(home, { recursive: true, force: true });

const fmt = (n: number) => n.toFixed(1);
const c = (name: string) => median(connects.get(name)!);
const lines = [
  `bench:wrap — ${SERVERS} servers across 8 client files (${SERVERS / 4} with a token for the keychain), ${ROUNDS} rounds, medians; ${CONNECTS} connects of each route, taking turns; node ${process.version}`,
  '',
  '| what | median | target |',
  '|---|---|---|',
  `| wrap ${wrappedCount} servers (incl. ${SERVERS / 4} keychain writes) | ${fmt(median(wraps))} ms | <= 2000 ms |`,
  `| unwrap ${wrappedCount} servers (incl. keychain reads and deletes) | ${fmt(median(unwraps))} ms | <= 2000 ms |`,
  `| connect, server alone | ${fmt(c('server alone'))} ms | |`,
  `| connect, mcp-guard run -- | ${fmt(c('mcp-guard run --'))} ms | |`,
  `| connect, wrapped entry with 2 keychain secrets | ${fmt(c('wrapped entry, 2 keychain secrets'))} ms | |`,
  '',
  `added connect time of the wrapped entry over run --: ${fmt(c('wrapped entry, 2 keychain secrets') - c('mcp-guard run --'))} ms (target <= 30)`,
];
process.stdout.write(lines.join('\n') + '\n');
if (wrappedCount !== SERVERS) throw new Error(`wrapped ${wrappedCount} of ${SERVERS} servers`);
