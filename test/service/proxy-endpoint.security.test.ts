/** Threat: a local process that is not a proxy of ours (or not of this user) talks to the service. */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { guardPaths } from '../../main/store/guard-paths.js';
import { PROXY_PROTOCOL_VERSION } from '../../shared/proxy-protocol.js';
import type { GuardService } from '../../main/service/guard-service.js';
import { guardHomeWith } from '../helpers/proxy.js';
import { startService } from '../helpers/service.js';

let service: GuardService | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

/** Sends lines on a fresh connection and collects what comes back until the service closes it. */
function converse(socket: string, lines: object[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const s = createConnection(socket);
    let data = '';
    s.on('connect', () => lines.forEach((l) => s.write(JSON.stringify(l) + '\n')));
    s.on('data', (c: Buffer) => (data += c.toString()));
    s.on('error', reject);
    s.on('close', () => resolve(data.split('\n').filter(Boolean)));
    setTimeout(() => s.end(), 1000);
  });
}

const hello = (token: string, extra: object = {}) => ({ type: 'hello', protocol: PROXY_PROTOCOL_VERSION, token, role: 'proxy', pid: process.pid, ...extra });

describe('the proxy endpoint', () => {
  it('keeps its socket and token where only this user can reach them', async () => {
    const home = guardHomeWith();
    service = await startService(home);
    const paths = guardPaths(home);
    expect(statSync(paths.runDir).mode & 0o777).toBe(0o700);
    expect(statSync(paths.token).mode & 0o777).toBe(0o600);
  });

  it('refuses a peer without the token, and one with a wrong token', async () => {
    const home = guardHomeWith();
    service = await startService(home);
    const { socket } = guardPaths(home);
    expect(await converse(socket, [{ type: 'status' }])).toEqual([JSON.stringify({ type: 'refused', reason: 'the first message must be hello' })]);
    const wrong = await converse(socket, [hello('not-the-token'), { type: 'status' }]);
    expect(wrong).toEqual([JSON.stringify({ type: 'refused', reason: 'wrong token' })]);
  });

  it('refuses a hello that names a process of another user or none', async () => {
    const home = guardHomeWith();
    service = await startService(home);
    const paths = guardPaths(home);
    const token = readFileSync(paths.token, 'utf8');
    const [answer] = await converse(paths.socket, [hello(token, { pid: 1 })]);
    if (process.getuid!() !== 0) expect(answer).toMatch(/belongs to another user/);
    const [none] = await converse(paths.socket, [hello(token, { pid: 2 ** 30 })]);
    expect(none).toMatch(/is not running/);
  });

  it('offers no message that approves a call, creates a grant or changes policy', async () => {
    const home = guardHomeWith();
    service = await startService(home);
    const paths = guardPaths(home);
    const token = readFileSync(paths.token, 'utf8');
    const answers = await converse(paths.socket, [hello(token), { type: 'approve', id: 'x' }]);
    expect(JSON.parse(answers[0]!)).toMatchObject({ type: 'welcome', protocol: PROXY_PROTOCOL_VERSION });
    expect(answers.at(-1)).toMatch(/"refused".*invalid message: type/);
  });

  it('is out of reach for a second OS user (the 0700 directory)', async (ctx) => {
    if (
      process.getuid!() !== 0 ||
      (spawnSync('id', ['mcpguardpeer']).status !== 0 && spawnSync('useradd', ['--no-create-home', 'mcpguardpeer']).status !== 0)
    ) {
      ctx.skip(); // needs root to create and become a second user; said so in the test name's suite
      return;
    }
    const home = guardHomeWith();
    service = await startService(home);
    const { socket } = guardPaths(home);
    const probe = `require('net').createConnection(${JSON.stringify(socket)}).on('connect',()=>{console.log('connected');process.exit(0)}).on('error',e=>{console.log(e.code);process.exit(0)})`;
    const out = execFileSync('runuser', ['-u', 'mcpguardpeer', '--', process.execPath, '-e', probe], { encoding: 'utf8' }).trim();
    expect(out).toMatch(/^(EACCES|ENOENT)$/);
  });
});
