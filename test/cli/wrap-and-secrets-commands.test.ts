/**
 * The commands around wrapping as a user meets them: `wrap --dry-run` shows the exact diff with
 * secrets masked and writes nothing; a file that does not parse is left untouched with its line and
 * column; `secrets` sets a value from stdin, lists names (never values) and removes it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KeychainSecretStore } from '../../main/secrets/keychain.js';
import { requireKeychain } from '../helpers/keychain.js';
import { cliPath } from '../helpers/paths.js';
import { tempDir } from '../helpers/proxy.js';

const TOKEN = 'ghp_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2';

function home() {
  const dir = tempDir('mcp-guard-cli-wrap-');
  const guardHome = join(dir, 'guard');
  mkdirSync(guardHome, { mode: 0o700 });
  const env = {
    ...process.env,
    HOME: dir,
    MCP_GUARD_HOME: guardHome,
    MCP_GUARD_LAUNCHER: cliPath,
    XDG_CONFIG_HOME: join(dir, '.config'),
    CODEX_HOME: join(dir, '.codex'),
  };
  const run = (args: string[], input?: string) => {
    const r = spawnSync(process.execPath, [cliPath, ...args], { env, encoding: 'utf8', cwd: dir, ...(input !== undefined ? { input } : {}) });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  return { dir, guardHome, run };
}

beforeAll(() => requireKeychain());

describe('mcp-guard wrap --dry-run', () => {
  it('prints the diff of each file it would change, with secret values masked, and changes nothing', () => {
    const h = home();
    const original = JSON.stringify(
      { mcpServers: { github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], env: { GITHUB_TOKEN: TOKEN } } } },
      null,
      2,
    );
    writeFileSync(join(h.dir, '.claude.json'), original);
    const r = h.run(['wrap', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`--- ${join(h.dir, '.claude.json')}`);
    expect(r.out).toContain('-       "command": "npx",');
    expect(r.out).toContain(`+       "command": "${cliPath}",`);
    // Removed lines before added ones, as diffs are read.
    expect(r.out.indexOf('-       "command": "npx",')).toBeLessThan(r.out.indexOf(`+       "command": "${cliPath}",`));
    expect(r.out).toContain('"GITHUB_TOKEN": "«secret»"');
    expect(r.out).toContain('dry run: 1 file(s) would change; nothing was written');
    expect(r.out + r.err).not.toContain(TOKEN);
    expect(readFileSync(join(h.dir, '.claude.json'), 'utf8')).toBe(original);
    expect(existsSync(join(h.guardHome, 'servers'))).toBe(false);
  });
});

describe('a client file that does not parse', () => {
  it('is left untouched, and the error names the file, line and column; other files are still wrapped', () => {
    const h = home();
    const broken = '{\n  "mcpServers": {\n    "a": { "command": "node" },,\n  }\n}\n';
    writeFileSync(join(h.dir, '.claude.json'), broken);
    mkdirSync(join(h.dir, '.cursor'));
    writeFileSync(join(h.dir, '.cursor', 'mcp.json'), JSON.stringify({ mcpServers: { b: { command: 'node', args: ['/opt/b.js'] } } }));
    const r = h.run(['wrap']);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`error: ${join(h.dir, '.claude.json')}:3:32: not valid JSON`);
    expect(r.out).toContain('the file was left untouched');
    expect(r.out).toContain('cursor/user/b');
    expect(readFileSync(join(h.dir, '.claude.json'), 'utf8')).toBe(broken);
  });
});

describe('mcp-guard secrets', () => {
  it('sets a value from stdin into the keychain, lists names and state but never values, and removes it', () => {
    const h = home();
    writeFileSync(join(h.dir, '.claude.json'), JSON.stringify({ mcpServers: { notes: { command: 'node', args: ['/opt/notes.js'] } } }));
    expect(h.run(['wrap']).code).toBe(0);

    const set = h.run(['secrets', 'set', 'notes', 'NOTES_TOKEN'], `${TOKEN}\n`);
    expect(set.err).toBe('');
    expect(set.code).toBe(0);
    expect(new KeychainSecretStore().getSync('claude-code/user/notes', 'NOTES_TOKEN')).toBe(TOKEN);
    const list = h.run(['secrets', 'list']);
    expect(list.out).toContain('NOTES_TOKEN (environment variable): set');
    expect(list.out + set.out).not.toContain(TOKEN);
    expect(readFileSync(join(h.guardHome, 'servers', 'claude-code', 'user', 'notes.json'), 'utf8')).not.toContain(TOKEN);

    // A value on the command line is refused: argv is visible to every process.
    expect(h.run(['secrets', 'set', 'notes', 'OTHER', TOKEN]).code).toBe(2);

    expect(h.run(['secrets', 'rm', 'notes', 'NOTES_TOKEN']).code).toBe(0);
    expect(new KeychainSecretStore().getSync('claude-code/user/notes', 'NOTES_TOKEN')).toBeUndefined();
    expect(h.run(['secrets', 'list']).out).toContain('(no secrets)');
    expect(h.run(['unwrap']).code).toBe(0);
  });
});
