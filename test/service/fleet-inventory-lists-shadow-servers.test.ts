/**
 * The fleet inventory, from real client files in a temp HOME (Claude Code, Cursor, VS Code), one
 * server wrapped by the real Wrapper and the rest left as a user or an agent wrote them: IT sees
 * every server with its state, the shadow servers (not guarded) among them, and no secret value,
 * not even one that looks like nothing; the detail validates, survives the real audit log, and a
 * huge config is bounded. The admin-only folders (/etc/claude-code/…) cannot be written here, so
 * the managed-file check looks under a temp root standing in for `/`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLEET_LIMITS, FLEET_TEXT, FleetInventory } from '../../shared/fleet-inventory.js';
import { AuditLog } from '../../main/audit/audit-log.js';
import { allAdapters } from '../../main/clients/adapters.js';
import { ConfigBackups } from '../../main/clients/config-file.js';
import { unwrappedEntryFacts } from '../../main/clients/entry-facts.js';
import { inventory } from '../../main/clients/inventory.js';
import { thisMachine } from '../../main/clients/machine.js';
import { identityOf, nodeIdentityFs } from '../../main/clients/server-identity.js';
import { Wrapper } from '../../main/clients/wrapper.js';
import { KeychainSecretStore } from '../../main/secrets/keychain.js';
import { collectDeviceFacts, existingConfigFiles, existingManagedFiles } from '../../main/service/device-facts.js';
import { fleetInventory } from '../../main/service/fleet-inventory.js';
import { guardPaths } from '../../main/store/guard-paths.js';
import { PinStore } from '../../main/store/pin-store.js';
import { ServerApprovalStore } from '../../main/store/server-approvals.js';
import { ServerRegistry } from '../../main/store/server-registry.js';
import { CLIENT_NAMES } from '../../shared/server-registry.js';
import { cliPath, realServers } from '../helpers/paths.js';
import { tempDir } from '../helpers/proxy.js';

const GITHUB_TOKEN = 'ghp_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2';
/** Matches no credential pattern: only never reading env values keeps it out. */
const OPAQUE_VALUE = 'opaque-' + '7f3a9c1e5b2d4086';
const URL_PASSWORD = 'hunter2' + '-deploy';
const QUERY_SECRET = 'QUERYSECRET' + '4417';
const BEARER = 'Bearer ' + 'sk-remote-' + 'Aa1Bb2Cc3Dd4Ee5Ff6Gg7';
const SECRETS = [GITHUB_TOKEN, OPAQUE_VALUE, URL_PASSWORD, QUERY_SECRET, BEARER.slice(7)];

type Setup = { home: string; guardHome: string; adminRoot: string; env: NodeJS.ProcessEnv };

function setUp(): Setup {
  const home = tempDir('mcp-guard-fleet-');
  const guardHome = join(home, 'guard');
  mkdirSync(guardHome, { recursive: true, mode: 0o700 });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: home,
    USER: 'dev',
    XDG_CONFIG_HOME: join(home, '.config'),
    CODEX_HOME: join(home, '.codex'),
  };
  return { home, guardHome, adminRoot: tempDir('mcp-guard-fleet-root-'), env };
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, { mode: 0o600 });
}

/** The parts a service has, for this HOME; `wrap` wraps one Claude Code server with the real Wrapper. */
function parts(s: Setup) {
  const paths = guardPaths(s.guardHome);
  const machine = thisMachine(s.env, []);
  const adapters = allAdapters();
  const registry = new ServerRegistry(paths.servers);
  const approvals = new ServerApprovalStore(paths.serverApprovals);
  const pins = new PinStore(paths.pins);
  const identityFs = nodeIdentityFs(s.env);
  const identity = (launch: Parameters<typeof identityOf>[0], entry: { projectDir?: string | undefined }) =>
    identityOf(launch, { home: machine.home, env: s.env, ...(entry.projectDir !== undefined ? { projectDir: entry.projectDir } : {}) }, identityFs);
  const wrap = (server: string) =>
    new Wrapper({
      adapters,
      machine,
      registry,
      secrets: new KeychainSecretStore(),
      backups: new ConfigBackups(paths.backups),
      launcher: cliPath,
      identity,
      now: () => new Date(),
      audit: () => undefined,
    }).wrap({ clients: ['claude-code'], server, dryRun: false });
  /** What the service gathers at a refresh, then the builder. */
  const build = () => {
    const inv = inventory(adapters, machine, registry, approvals);
    const unwrappedFiles = new Set(inv.rows.filter((r) => r.state === 'unwrapped').map((r) => r.file));
    const load = pins.loadSync();
    return fleetInventory({
      takenAt: new Date('2026-03-01T10:00:00Z'),
      device: { ...collectDeviceFacts(s.env), id: '0f5c2a1e-3b4d-4e6f-8a9b-0c1d2e3f4a5b', guardVersion: '0.17.0' },
      deviceLabels: { team: 'platform', site: 'berlin' },
      rows: inv.rows,
      problems: inv.problems,
      entryFacts: unwrappedEntryFacts(adapters, machine, unwrappedFiles, identity),
      pins: load.state === 'ok' ? { file: load.pins, unreadable: false } : { file: load.previous, unreadable: true },
      configFiles: existingConfigFiles(adapters, machine),
      managedFiles: existingManagedFiles(CLIENT_NAMES, machine, (p) => existsSync(join(s.adminRoot, p))),
      policy: { bundleVersion: 42, managedRevision: 'a1b2c3d4e5f6', rulesHash: 'sha256:' + 'ab'.repeat(32) },
      sinks: [
        { id: 'splunk', lag: 17 },
        { id: 'otel', lag: 0 },
      ],
    });
  };
  return { paths, pins, wrap, build };
}

describe('fleet inventory', () => {
  it('lists wrapped and shadow servers of every client with their states, and no secret value anywhere', async () => {
    const s = setUp();
    write(
      join(s.home, '.claude.json'),
      JSON.stringify({
        numStartups: 3,
        mcpServers: {
          memory: { type: 'stdio', command: 'node', args: realServers.memory.slice(1) },
          github: {
            type: 'stdio',
            command: 'npx',
            args: ['-y', '@modelcontextprotocol/server-github@2025.4.8'],
            env: { GITHUB_PERSONAL_ACCESS_TOKEN: GITHUB_TOKEN },
          },
          remote: {
            type: 'http',
            url: `https://deploy:${URL_PASSWORD}@mcp.example.com/mcp?api_key=${QUERY_SECRET}#x`,
            headers: { Authorization: BEARER, 'X-Team': 'platform' },
          },
        },
      }),
    );
    write(
      join(s.home, '.cursor', 'mcp.json'),
      JSON.stringify({ mcpServers: { db: { command: 'uvx', args: ['mcp-server-postgres', '--token', GITHUB_TOKEN], env: { DB_SETTING: OPAQUE_VALUE } } } }),
    );
    write(
      join(s.home, '.config', 'Code', 'User', 'mcp.json'),
      `// VS Code, JSONC\n{ "servers": { "everything": { "type": "stdio", "command": "node", "args": ${JSON.stringify(realServers.everything.slice(1))}, }, }, }\n`,
    );
    write(join(s.adminRoot, 'etc', 'claude-code', 'managed-mcp.json'), JSON.stringify({ mcpServers: {} }));
    const p = parts(s);
    const wrapped = p.wrap('memory');
    expect(wrapped.errors).toEqual([]);
    expect(wrapped.changed).toEqual(['claude-code/user/memory']);
    p.pins.updateServerSync('memory', () => ({
      tools: { create_entities: { hash: 'c'.repeat(64), definition: { name: 'create_entities' } } },
      instructions: { hash: 'd'.repeat(64), text: null },
      pending: { tools: { read_graph: { old: null, new: { hash: 'e'.repeat(64), definition: { name: 'read_graph' } }, seenAt: 1 } }, instructions: null },
    }));

    const detail = p.build();
    expect(FleetInventory.parse(detail)).toEqual(detail);
    const by = (client: string, name: string) => detail.servers.find((x) => x.client === client && x.name === name);

    // The wrapped one: guarded, its identity, approvals hash, pin hash and held tool.
    expect(by('claude-code', 'memory')).toMatchObject({
      scope: 'user',
      state: 'wrapped',
      guarded: true,
      transport: 'stdio',
      approved: false,
      toolsChanged: ['read_graph'],
    });
    expect(by('claude-code', 'memory')?.identityHash).toMatch(/^[0-9a-f]{64}$/);
    expect(by('claude-code', 'memory')?.pinHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The shadow servers: unwrapped, what they run, their secrets by name only.
    expect(by('claude-code', 'github')).toMatchObject({
      state: 'unwrapped',
      guarded: false,
      identity: { command: 'npx', package: 'npm:@modelcontextprotocol/server-github@2025.4.8', version: '2025.4.8', pinned: true },
      secretNames: [{ name: 'GITHUB_PERSONAL_ACCESS_TOKEN', target: 'env', where: 'in-file' }],
      toolsChanged: [],
    });
    expect(by('claude-code', 'remote')).toMatchObject({
      state: 'unwrapped',
      guarded: false,
      transport: 'http',
      identity: { url: 'https://mcp.example.com/mcp' },
    });
    expect(by('claude-code', 'remote')?.secretNames.map((x) => x.name)).toEqual(['Authorization']);
    expect(by('cursor', 'db')).toMatchObject({
      state: 'unwrapped',
      guarded: false,
      identity: { command: 'uvx', args: ['mcp-server-postgres', '--token', '[secret]'] },
    });
    expect(by('vscode', 'everything')).toMatchObject({ state: 'unwrapped', guarded: false, transport: 'stdio' });
    expect(detail.counts).toEqual({ total: 5, guarded: 1, byState: { wrapped: 1, unwrapped: 4 } });
    expect(detail.omitted).toEqual({ clients: 0, servers: 0, problems: 0 });

    // Clients: their files, and Claude Code managed by its admin file.
    expect(detail.clients.map((c) => [c.client, c.managed, c.configFiles.map((f) => f.path)])).toEqual([
      ['claude-code', true, [join(s.home, '.claude.json')]],
      ['cursor', false, [join(s.home, '.cursor', 'mcp.json')]],
      ['vscode', false, [join(s.home, '.config', 'Code', 'User', 'mcp.json')]],
    ]);
    expect(detail.clients[0]?.managedFiles).toEqual(['/etc/claude-code/managed-mcp.json']);
    expect(detail.device).toMatchObject({ guardVersion: '0.17.0', labels: { team: 'platform', site: 'berlin' }, os: { platform: process.platform } });
    expect(detail.policy).toEqual({ bundleVersion: 42, managedRevision: 'a1b2c3d4e5f6', rulesHash: 'sha256:' + 'ab'.repeat(32) });
    expect(detail.sinks).toEqual([
      { id: 'splunk', lag: 17 },
      { id: 'otel', lag: 0 },
    ]);

    // No secret value, in the detail or in the audit log that stores it.
    const json = JSON.stringify(detail);
    for (const secret of SECRETS) expect(json).not.toContain(secret);
    const dir = join(s.home, 'audit');
    const log = await AuditLog.open(dir);
    await log.append({ kind: 'inventory', deviceId: detail.device.id, osUser: detail.device.primaryUser, detail });
    await log.close();
    const stored = readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('');
    for (const secret of SECRETS) expect(stored).not.toContain(secret);
    const event = JSON.parse(stored.trim().split('\n').at(-1)!) as { kind: string; detail: unknown };
    expect(event.kind).toBe('inventory');
    expect(FleetInventory.parse(event.detail)).toEqual(detail);
  });

  it('tells IT when the same tools were approved: the pin hash follows the approved pins', () => {
    const s = setUp();
    write(join(s.home, '.claude.json'), JSON.stringify({ mcpServers: { memory: { command: 'node', args: realServers.memory.slice(1) } } }));
    const p = parts(s);
    expect(p.wrap('memory').errors).toEqual([]);
    const pinsWith = (hash: string) =>
      p.pins.updateServerSync('memory', () => ({
        tools: { create_entities: { hash, definition: { name: 'create_entities' } } },
        instructions: { hash: 'd'.repeat(64), text: null },
        pending: { tools: {}, instructions: null },
      }));
    pinsWith('1'.repeat(64));
    const first = p.build().servers[0]?.pinHash;
    expect(p.build().servers[0]?.pinHash).toBe(first);
    pinsWith('2'.repeat(64));
    expect(p.build().servers[0]?.pinHash).not.toBe(first);
    // A server seen only through `mcp-guard run --` (pinned, in no client file) is listed too, as guarded.
    p.pins.updateServerSync('fetch', () => ({ tools: {}, instructions: { hash: 'd'.repeat(64), text: null }, pending: { tools: {}, instructions: null } }));
    expect(p.build().servers.find((x) => x.name === 'fetch')).toMatchObject({ scope: 'ad-hoc', state: 'ad-hoc', guarded: true });
    expect(p.build().servers.find((x) => x.name === 'fetch')?.client).toBeUndefined();
  });

  it('bounds a huge config: at most the limit of servers, shadow ones kept first, long strings cut, every server counted', () => {
    const s = setUp();
    const servers: Record<string, unknown> = { memory: { command: 'node', args: realServers.memory.slice(1) } };
    servers['x'.repeat(5000)] = { command: 'node', args: Array.from({ length: 200 }, (_, i) => `--flag-${i}=${'v'.repeat(2000)}`) };
    for (let i = 0; i < 3000; i++) servers[`srv-${i}`] = { command: 'node', args: [`/opt/mcp/server-${i}.js`], env: { API_TOKEN: `${GITHUB_TOKEN}${i}` } };
    write(join(s.home, '.claude.json'), JSON.stringify({ mcpServers: servers }));
    const p = parts(s);
    expect(p.wrap('memory').errors).toEqual([]);

    const started = Date.now();
    const detail = p.build();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(FleetInventory.parse(detail)).toEqual(detail);
    expect(detail.servers.length).toBeLessThanOrEqual(FLEET_LIMITS.servers);
    expect(detail.counts.total).toBe(3002);
    expect(detail.counts.guarded).toBe(1);
    expect(detail.omitted.servers).toBe(3002 - detail.servers.length);
    expect(detail.omitted.servers).toBeGreaterThan(0);
    // The wrapped server is what gives way: every server kept is a shadow one.
    expect(detail.servers.every((x) => !x.guarded)).toBe(true);
    const long = detail.servers.find((x) => x.name.startsWith('xxx'));
    expect(long?.name.length).toBe(FLEET_TEXT.name);
    expect(long?.name.endsWith('…')).toBe(true);
    expect(long?.identity?.args).toHaveLength(FLEET_LIMITS.args);
    expect(long?.identity?.argsOmitted).toBe(200 - FLEET_LIMITS.args);
    expect(long?.identity?.args?.every((a) => a.length <= FLEET_TEXT.arg)).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(detail))).toBeLessThan(FLEET_LIMITS.serverBytes + 64 * 1024);
    expect(JSON.stringify(detail)).not.toContain(GITHUB_TOKEN);
  });

  it('bounds the event in bytes: servers with long command lines fill the budget, the rest are counted', () => {
    const s = setUp();
    const servers: Record<string, unknown> = {};
    for (let i = 0; i < 400; i++)
      servers[`wide-${i}`] = { command: 'node', args: Array.from({ length: 40 }, (_, j) => `--opt-${j}=${String(i).padStart(300, 'w')}`) };
    write(join(s.home, '.claude.json'), JSON.stringify({ mcpServers: servers }));
    const detail = parts(s).build();
    expect(FleetInventory.parse(detail)).toEqual(detail);
    expect(detail.counts.total).toBe(400);
    expect(detail.servers.length).toBeLessThan(400);
    expect(detail.omitted.servers).toBe(400 - detail.servers.length);
    expect(Buffer.byteLength(JSON.stringify(detail.servers))).toBeLessThanOrEqual(FLEET_LIMITS.serverBytes);
    // What is kept is the first servers, in the file's order.
    expect(detail.servers.map((x) => x.name)).toEqual(Object.keys(servers).slice(0, detail.servers.length));
  });
});
