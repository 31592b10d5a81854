/**
 * The service is SIGKILLed in the middle of a burst of calls and started again: no call hangs,
 * the agent's session survives, and the audit log ends with every call exactly once, chain intact.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../main/audit/verify.js';
import { guardPaths } from '../../main/store/guard-paths.js';
import { cliPath } from '../helpers/paths.js';
import { guardEnv, guardHomeWith, rawServer } from '../helpers/proxy.js';
import { auditEvents, guardedClient, until } from '../helpers/service.js';

const services: ChildProcess[] = [];
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  for (const s of services.splice(0)) s.kill('SIGKILL');
});

async function serve(home: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cliPath, 'serve'], { env: guardEnv(home), stdio: ['ignore', 'ignore', 'pipe'] });
  services.push(child);
  let log = '';
  child.stderr.on('data', (c: Buffer) => (log += c.toString()));
  await until(() => log.includes('service started') || undefined, 10_000, 'the service to start');
  return child;
}

describe('the service killed with SIGKILL mid-burst', () => {
  it('loses no call and no event, counts none twice, and the chain verifies', async () => {
    const home = guardHomeWith();
    let service = await serve(home);
    client = await guardedClient(home, 'raw', rawServer());
    const CALLS = 300;
    const BATCH = 25;
    const answered: string[] = [];
    for (let start = 0; start < CALLS; start += BATCH) {
      const batch = Array.from({ length: BATCH }, (_, k) => client!.callTool({ name: 'echo', arguments: { i: start + k } }));
      // Killed while a batch of calls (and their audit events) is in flight; back two batches later.
      if (start === 100) service.kill('SIGKILL');
      if (start === 150) service = await serve(home);
      for (const result of await Promise.all(batch)) answered.push(JSON.stringify(result.content));
    }
    expect(answered).toHaveLength(CALLS);
    expect(answered[150]).toContain('"i\\":150');

    await client.close();
    client = undefined;
    const spoolDir = guardPaths(home).spoolDir;
    // The proxy hands everything over before it exits (or leaves a spool the service takes next start).
    service.kill('SIGTERM');
    await new Promise((r) => service.once('exit', r));
    service = await serve(home);
    await until(() => !existsSync(spoolDir) || readdirSync(spoolDir).length === 0 || undefined, 10_000, 'spools to be ingested');

    const calls = (await auditEvents(home)).filter((e) => e.kind === 'call');
    const args = calls.map((e) => (e.arguments as { i: number }).i).sort((a, b) => a - b);
    expect(args).toEqual([...Array(CALLS).keys()]);
    expect(new Set(calls.map((e) => e.id)).size).toBe(CALLS);
    const verified = await verifyAuditLog(guardPaths(home).auditDir);
    expect(verified.ok).toBe(true);
  }, 60_000);
});
