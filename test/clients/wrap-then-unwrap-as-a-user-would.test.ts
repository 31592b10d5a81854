/**
 * `mcp-guard wrap` and `unwrap` as a user runs them, in a temp HOME with the real keychain: the
 * clients' files lose their tokens, each wrapped entry, launched exactly as its client would
 * (command, args and env from the file), reaches the real server with the token injected, and
 * unwrap gives back every file byte for byte.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseJsonc } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSdkServer, type RunningServer } from '../fixtures/http-mcp-servers.js';
import { requireKeychain } from '../helpers/keychain.js';
import { cliPath, realServers, repoRoot } from '../helpers/paths.js';
import { tempDir, waitUntil } from '../helpers/proxy.js';

const TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const BEARER = 'Bearer sk-remote-' + 'Zz9Yy8Xx7Ww6Vv5Uu4Tt3';

type Home = { home: string; guardHome: string; env: NodeJS.ProcessEnv };

function userHome(): Home {
  const home = tempDir('mcp-guard-wrap-');
  const guardHome = join(home, 'guard');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    MCP_GUARD_HOME: guardHome,
    MCP_GUARD_MANAGED_POLICY: join(home, 'no-managed-policy.json'),
    MCP_GUARD_LAUNCHER: cliPath,
    XDG_CONFIG_HOME: join(home, '.config'),
    CODEX_HOME: join(home, '.codex'),
  };
  mkdirSync(guardHome, { recursive: true, mode: 0o700 });
  // Calls are allowed, and so are new servers: this test is about launching, not holding.
  writeFileSync(join(guardHome, 'policy.json'), JSON.stringify({ version: 1, defaults: { tools: 'allow', newServers: 'allow' } }));
  return { home, guardHome, env };
}

function guard(h: Home, ...args: string[]) {
  const r = spawnSync(process.execPath, [cliPath, ...args], { env: h.env, encoding: 'utf8', cwd: h.home });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every file under `dir`, as text. */
function allText(dir: string): string {
  let out = '';
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, entry);
    if (statSync(path).isFile()) out += readFileSync(path, 'utf8');
  }
  return out;
}

const VSCODE_TOKEN = 'xoxb-' + '1234567890-0987654321-AbCdEfGhIjKlMnOpQrSt';
const CODEX_TOKEN = 'sk-proj-' + 'Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6';

/** VS Code's mcp.json, JSONC as people write it: comments, a trailing comma, an input the guard must not touch. */
function vscodeJson(): string {
  return `// Servers for this machine; see https://code.visualstudio.com/docs/copilot/chat/mcp-servers
{
  "inputs": [
    { "type": "promptString", "id": "api-key", "description": "API key", "password": true },
  ],
  "servers": {
    /* the everything server, with a token in its env */
    "everything": {
      "type": "stdio",
      "command": "node",
      "args": ${JSON.stringify(realServers.everything.slice(1))},
      "env": { "SLACK_BOT_TOKEN": "${VSCODE_TOKEN}", "API_KEY": "\${input:api-key}" },
    },
  },
}
`;
}

function codexToml(): string {
  return `# Codex configuration
model = "gpt-5-codex"

# MCP servers
[mcp_servers.everything]
command = "node"
args = ${JSON.stringify(realServers.everything.slice(1))}
startup_timeout_sec = 20 # slow disks

[mcp_servers.everything.env]
OPENAI_API_KEY = "${CODEX_TOKEN}"

[tui]
notifications = true
`;
}

function claudeJson(remoteUrl: string, root: string): string {
  return (
    JSON.stringify(
      {
        numStartups: 12,
        mcpServers: {
          filesystem: { type: 'stdio', command: 'node', args: realServers.filesystem(root).slice(1), env: { GITHUB_TOKEN: TOKEN, LOG_LEVEL: 'debug' } },
          remote: { type: 'http', url: remoteUrl, headers: { Authorization: BEARER, 'X-Team': 'platform' } },
        },
        tipsHistory: { 'new-user-warmup': 3 },
      },
      null,
      2,
    ) + '\n'
  );
}

type Entry = { command: string; args: string[]; env: Record<string, string> };

/** Starts the server of one entry as its client does: command, args, and its env over the inherited one. */
async function connectAs(h: Home, entry: Entry, client = 'claude-code'): Promise<Client> {
  const transport = new StdioClientTransport({
    command: entry.command,
    args: entry.args,
    env: { ...(h.env as Record<string, string>), ...entry.env },
    stderr: 'pipe',
  });
  const c = new Client({ name: client, version: '1.0.0' });
  await c.connect(transport);
  clients.push(c);
  return c;
}

const claudeEntry = (h: Home, name: string) =>
  (JSON.parse(readFileSync(join(h.home, '.claude.json'), 'utf8')) as { mcpServers: Record<string, Entry> }).mcpServers[name]!;
const vscodeEntry = (h: Home) =>
  (parseJsonc(readFileSync(join(h.home, '.config', 'Code', 'User', 'mcp.json'), 'utf8')) as { servers: Record<string, Entry> }).servers['everything']!;
const codexEntry = (h: Home) =>
  (parseToml(readFileSync(join(h.home, '.codex', 'config.toml'), 'utf8')) as { mcp_servers: Record<string, Entry> }).mcp_servers['everything']!;

async function envOf(c: Client): Promise<Record<string, string>> {
  const content = (await c.callTool({ name: 'get-env', arguments: {} })).content as { text: string }[];
  return JSON.parse(content[0]!.text) as Record<string, string>;
}

const clients: Client[] = [];
let remote: RunningServer | undefined;
beforeAll(() => requireKeychain());
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await remote?.stop();
  remote = undefined;
});

describe('wrap and unwrap, as a user runs them', () => {
  it('moves the tokens to the keychain, launches each wrapped entry with them injected, and unwrap restores every file byte for byte', async () => {
    const h = userHome();
    remote = await startSdkServer();
    const root = tempDir('mcp-guard-fs-root-');
    writeFileSync(join(root, 'notes.txt'), 'served by server-filesystem');
    const files = {
      [join(h.home, '.claude.json')]: claudeJson(remote.url, root),
      [join(h.home, '.config', 'Code', 'User', 'mcp.json')]: vscodeJson(),
      [join(h.home, '.codex', 'config.toml')]: codexToml(),
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text, { mode: 0o600 });
    }

    const wrapped = guard(h, 'wrap', '--client', 'all');
    expect(wrapped.err).toBe('');
    expect(wrapped.code).toBe(0);
    for (const id of ['claude-code/user/filesystem', 'claude-code/user/remote', 'vscode/user/everything', 'codex/user/everything'])
      expect(wrapped.out).toContain(id);

    const config = JSON.parse(readFileSync(join(h.home, '.claude.json'), 'utf8')) as {
      numStartups: number;
      mcpServers: Record<string, Record<string, unknown>>;
    };
    // One canonical command for every wrapped server; the id in the env; nothing else changed.
    expect(config.mcpServers['filesystem']).toEqual({
      type: 'stdio',
      command: cliPath,
      args: ['run'],
      env: { LOG_LEVEL: 'debug', MCP_GUARD_SERVER_ID: 'claude-code/user/filesystem' },
    });
    expect(config.mcpServers['remote']).toEqual({ type: 'stdio', command: cliPath, args: ['run'], env: { MCP_GUARD_SERVER_ID: 'claude-code/user/remote' } });
    expect(config.numStartups).toBe(12);
    expect(vscodeEntry(h)).toMatchObject({
      command: cliPath,
      args: ['run'],
      env: { API_KEY: '${input:api-key}', MCP_GUARD_SERVER_ID: 'vscode/user/everything' },
    });
    expect(codexEntry(h)).toMatchObject({ command: cliPath, args: ['run'], env: { MCP_GUARD_SERVER_ID: 'codex/user/everything' } });
    const vscodeText = readFileSync(join(h.home, '.config', 'Code', 'User', 'mcp.json'), 'utf8');
    expect(vscodeText).toContain('/* the everything server, with a token in its env */');
    expect(vscodeText).toContain('"password": true },\n  ],');
    expect(readFileSync(join(h.home, '.codex', 'config.toml'), 'utf8')).toContain('startup_timeout_sec = 20 # slow disks');
    for (const path of Object.keys(files)) expect(statSync(path).mode & 0o777).toBe(0o600);
    // No token anywhere the guard wrote: the clients' files, the registry, the backups, the spool, its output.
    const written = [...Object.keys(files).map((p) => readFileSync(p, 'utf8')), allText(h.guardHome), wrapped.out];
    for (const secret of [TOKEN, BEARER, VSCODE_TOKEN, CODEX_TOKEN]) for (const text of written) expect(text).not.toContain(secret);

    // The service runs meanwhile, as it would: its log and the audit log it writes must not see a secret either.
    const serve = spawn(process.execPath, [cliPath, 'serve'], { env: h.env, cwd: h.home, stdio: ['ignore', 'ignore', 'pipe'] });
    let serviceLog = '';
    serve.stderr.on('data', (d: Buffer) => (serviceLog += d.toString()));
    expect(await waitUntil(() => existsSync(join(h.guardHome, 'run', 'token')), 10_000)).toBe(true);

    const fs = await connectAs(h, claudeEntry(h, 'filesystem'));
    const read = (await fs.callTool({ name: 'read_text_file', arguments: { path: join(root, 'notes.txt') } })).content as { text: string }[];
    expect(read[0]!.text).toContain('served by server-filesystem');
    const vscodeEnv = await envOf(await connectAs(h, vscodeEntry(h), 'Visual Studio Code'));
    expect(vscodeEnv['SLACK_BOT_TOKEN']).toBe(VSCODE_TOKEN);
    expect(vscodeEnv['API_KEY']).toBe('${input:api-key}'); // as VS Code would have expanded it: here, no VS Code, so as written
    expect(Object.keys(vscodeEnv).filter((k) => k.startsWith('MCP_GUARD_'))).toEqual([]);
    const codexEnv = await envOf(await connectAs(h, codexEntry(h), 'codex-mcp-client'));
    expect(codexEnv['OPENAI_API_KEY']).toBe(CODEX_TOKEN);

    const far = await connectAs(h, claudeEntry(h, 'remote'));
    expect(JSON.stringify((await far.callTool({ name: 'announce', arguments: {} })).content)).toContain('announcing');
    const posted = remote.hits.filter((hit) => hit.method === 'POST');
    expect(posted.length).toBeGreaterThan(0);
    expect(posted.every((hit) => hit.headers['authorization'] === BEARER && hit.headers['x-team'] === 'platform')).toBe(true);
    for (const c of clients.splice(0)) await c.close();

    const unwrapped = guard(h, 'unwrap');
    expect(unwrapped.err).toBe('');
    expect(unwrapped.code).toBe(0);
    for (const [path, text] of Object.entries(files)) expect(readFileSync(path, 'utf8'), path).toBe(text);
    // The keychain items and records are gone with the wrap.
    expect(guard(h, 'secrets', 'list').out).toBe('');
    const stopped = new Promise((resolve) => serve.once('exit', resolve));
    serve.kill('SIGTERM');
    await stopped;
    expect(readdirSync(join(h.guardHome, 'audit')).length).toBeGreaterThan(0);
    for (const secret of [TOKEN, BEARER, VSCODE_TOKEN, CODEX_TOKEN]) for (const text of [serviceLog, allText(h.guardHome)]) expect(text).not.toContain(secret);
  }, 90_000);

  it('refuses to wrap when the keychain cannot be reached, and changes nothing', () => {
    const h = userHome();
    const original = claudeJson('https://mcp.example.com/mcp', h.home);
    writeFileSync(join(h.home, '.claude.json'), original);
    const r = guard({ ...h, env: { ...h.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(h.home, 'no-bus')}` } }, 'wrap');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/keychain/i);
    expect(r.out + r.err).not.toContain(TOKEN);
    expect(readFileSync(join(h.home, '.claude.json'), 'utf8')).toBe(original);
    expect(readdirSync(h.guardHome).filter((f) => f === 'servers')).toEqual([]);
  });

  it('refuses to wrap when the keychain is locked, and changes nothing', () => {
    const h = userHome();
    const original = claudeJson('https://mcp.example.com/mcp', h.home);
    writeFileSync(join(h.home, '.claude.json'), original);
    // A keyring session of its own, locked once it holds an item (locking the suite's keyring would disturb the other tests).
    const keychain = pathToFileURL(join(repoRoot, 'dist', 'main', 'secrets', 'keychain.js')).href;
    const script = `node --input-type=module -e "const { KeychainSecretStore } = await import('${keychain}'); new KeychainSecretStore().setSync('claude-code/user/unrelated', 'X', 'y');"
      dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null
      exec node "$0" wrap`;
    const r = spawnSync('bash', [join(repoRoot, 'test', 'setup', 'keyring-session.sh'), 'bash', '-c', script, cliPath], {
      env: h.env,
      encoding: 'utf8',
      cwd: h.home,
    });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('the keychain is locked');
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    expect(readFileSync(join(h.home, '.claude.json'), 'utf8')).toBe(original);
    expect(readdirSync(h.guardHome).filter((f) => f === 'servers')).toEqual([]);
  });

  it('refuses to launch an entry whose id the guard has no record of, saying what to do', () => {
    const h = userHome();
    const r = spawnSync(cliPath, ['run'], { env: { ...h.env, MCP_GUARD_SERVER_ID: 'claude-code/user/nobody' }, encoding: 'utf8', input: '' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('unknown server id "claude-code/user/nobody"');
    expect(r.stderr).toContain('mcp-guard wrap');
    const spooled = allText(join(h.guardHome, 'spool'));
    expect(spooled).toContain('"kind":"server-refused"');
  });
});
