/**
 * Claude Code rewrites ~/.claude.json constantly while it runs. Wrap must merge with it, never
 * clobber it: a writer that reads, changes and rewrites the file every 10 ms during wrap loses no
 * key, the file is valid JSON at every moment, and the servers end up wrapped.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireKeychain } from '../helpers/keychain.js';
import { cliPath } from '../helpers/paths.js';
import { tempDir } from '../helpers/proxy.js';

/** Read, add key `w<n>`, write to a temp file and rename (as editors and Claude Code do), every 10 ms; on SIGTERM print the last n. */
const WRITER = `
const fs = require('node:fs');
const [file] = process.argv.slice(1);
let n = 0, torn = 0;
const timer = setInterval(() => {
  let config;
  try { config = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { torn++; return; }
  config['w' + n] = n;
  config.numStartups = (config.numStartups || 0) + 1;
  fs.writeFileSync(file + '.tmp', JSON.stringify(config, null, 2));
  fs.renameSync(file + '.tmp', file);
  n++;
}, 10);
process.on('SIGTERM', () => { clearInterval(timer); process.stdout.write(JSON.stringify({ last: n - 1, torn })); process.exit(0); });
`;

beforeAll(() => requireKeychain());

describe('wrap while the client rewrites its file', () => {
  it('loses none of the keys the client wrote, leaves valid JSON, and wraps every server', async () => {
    const home = tempDir('mcp-guard-merge-');
    const guardHome = join(home, 'guard');
    mkdirSync(guardHome, { mode: 0o700 });
    const servers: Record<string, unknown> = {};
    for (let i = 0; i < 30; i++)
      servers[`server-${i}`] = { command: 'node', args: [`/opt/servers/s${i}.js`], env: { API_TOKEN: `tok-${i}-${'x'.repeat(24)}` } };
    const file = join(home, '.claude.json');
    writeFileSync(file, JSON.stringify({ numStartups: 1, mcpServers: servers }, null, 2));

    const writer = spawn(process.execPath, ['-e', WRITER, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    writer.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const env = { ...process.env, HOME: home, MCP_GUARD_HOME: guardHome, MCP_GUARD_LAUNCHER: cliPath };
    const wrap = spawnSync(process.execPath, [cliPath, 'wrap'], { env, encoding: 'utf8', cwd: home });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = new Promise((resolve) => writer.once('exit', resolve));
    writer.kill('SIGTERM');
    await stopped;
    const { last, torn } = JSON.parse(out) as { last: number; torn: number };

    expect(wrap.stderr).toBe('');
    expect(wrap.status).toBe(0);
    // The writer ran all along (it wrote before, during and after wrap) and never read a torn file.
    expect(last).toBeGreaterThan(10);
    expect(torn).toBe(0);
    const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & {
      mcpServers: Record<string, { args: string[]; env: Record<string, string> }>;
    };
    for (let n = 0; n <= last; n++) expect(config[`w${n}`], `key w${n}`).toBe(n);
    expect(Object.values(config.mcpServers).every((s) => s.args.length === 1 && s.args[0] === 'run' && s.env['MCP_GUARD_SERVER_ID'] !== undefined)).toBe(true);
    expect(JSON.stringify(config)).not.toContain('tok-');

    const unwrap = spawnSync(process.execPath, [cliPath, 'unwrap'], { env, encoding: 'utf8', cwd: home });
    expect(unwrap.status).toBe(0);
    const restored = JSON.parse(readFileSync(file, 'utf8')) as { mcpServers: Record<string, unknown> };
    expect(restored.mcpServers).toEqual(servers);
  }, 60_000);
});
