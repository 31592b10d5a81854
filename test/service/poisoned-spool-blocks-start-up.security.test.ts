/**
 * Threat: a spool file (`<pid>-<session>.jsonl` in the guard home's spool dir, ingested at start)
 * holds a line that is JSON but not an audit event. Before the fix `mcp-guard serve` failed its
 * start-up on it every time, with an error naming no file, and kept its socket open, so it looked
 * healthy and asked calls hung. Now bad lines are skipped and reported, and a start-up that fails
 * for any reason closes the endpoint and exits non-zero.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/audit/audit-log.js';
import { guardPaths } from '../../main/store/guard-paths.js';
import { callEvent } from '../audit/sample-events.js';
import { cliPath } from '../helpers/paths.js';
import { guardEnv, guardHomeWith } from '../helpers/proxy.js';
import { auditEvents, until } from '../helpers/service.js';

type Served = { child: ChildProcess; stderr: () => string; exit: Promise<number | null> };
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

function serve(home: string): Served {
  const child = spawn(process.execPath, [cliPath, 'serve'], { env: guardEnv(home), stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exit };
}

/** A spool as a proxy that has ended leaves it: named after a pid that no longer runs. */
function spoolPath(home: string): string {
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
  const dir = guardPaths(home).spoolDir;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return join(dir, `${deadPid}-session-1.jsonl`);
}

const proxyEvent = (id: string, tool: string) => ({
  id,
  kind: 'call',
  client: { name: 'claude-code' },
  server: { name: 'raw' },
  tool,
  arguments: { n: 1 },
  outcome: { kind: 'ok' },
});
const GOOD_1 = '01JAAAAAAAAAAAAAAAAAAAAAA1';
const GOOD_2 = '01JAAAAAAAAAAAAAAAAAAAAAA2';

const socketAnswers = (socket: string): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = connect(socket);
    probe.once('connect', () => (probe.destroy(), resolve(true)));
    probe.once('error', () => resolve(false));
  });

describe('a spool line that is JSON but not an audit event', () => {
  it('is skipped and reported with its file and line; the service starts and ingests the good lines', async () => {
    const home = guardHomeWith();
    const path = spoolPath(home);
    const text = [JSON.stringify(proxyEvent(GOOD_1, 'echo')), 'null', '{}', JSON.stringify(proxyEvent(GOOD_2, 'delete_file'))].join('\n') + '\n';
    // A torn last line (a proxy killed mid-write) stays silently skipped.
    writeFileSync(path, text + '{"id":"01JAAAAAAAAAAAAAAAAAAAAAA3","kind":"ca', { mode: 0o600 });

    const service = serve(home);
    await until(() => service.stderr().includes('service started') || undefined, 15_000, `the service to start; stderr: ${service.stderr()}`);

    const logs = service
      .stderr()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const rejected = logs.filter((l) => l['level'] === 'warn' && l['file'] === path);
    expect(rejected.map((l) => l['line'])).toEqual([2, 3]);
    expect(String(rejected[0]!['problem'])).toMatch(/expected object/);
    expect(logs.some((l) => l['line'] === 5)).toBe(false);

    const ids = (await auditEvents(home)).filter((e) => e.kind === 'call').map((e) => e.id);
    expect(ids).toEqual([GOOD_1, GOOD_2]);
    // The evidence is kept aside, not ingested again, not deleted.
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.rejected`)).toBe(true);
    expect(await socketAnswers(guardPaths(home).socket)).toBe(true);
  }, 30_000);
});

describe('a service whose start-up fails after it began listening', () => {
  it('closes its endpoint and makes `mcp-guard serve` exit non-zero, naming what failed', async () => {
    const home = guardHomeWith();
    const paths = guardPaths(home);
    // An active segment at the rotation size (16 events of over 1 MiB), and a directory where
    // rotation writes its manifest:
    // recording the spooled event fails in the audit log.
    const log = await AuditLog.open(paths.auditDir);
    for (let i = 0; i < 16; i++) await log.append(callEvent({ arguments: { blob: 'x'.repeat(1024 * 1024), i } }));
    await log.close();
    mkdirSync(join(paths.auditDir, 'manifest.json.tmp'));
    writeFileSync(spoolPath(home), JSON.stringify(proxyEvent(GOOD_1, 'echo')) + '\n', { mode: 0o600 });

    const service = serve(home);
    const code = await Promise.race([service.exit, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 15_000))]);
    expect(code, `serve did not exit; stderr: ${service.stderr()}`).not.toBe('hung');
    expect(code).not.toBe(0);
    expect(service.stderr()).toMatch(/mcp-guard serve: .*start-up failed.*spool.*manifest\.json\.tmp/);
    expect(existsSync(paths.socket)).toBe(false);
    expect(await socketAnswers(paths.socket)).toBe(false);
  }, 60_000);
});
