import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { queryAuditLog } from '../../main/audit/query.js';
import { guardPaths } from '../../main/store/guard-paths.js';
import type { GuardService } from '../../main/service/guard-service.js';
import { noManagedPolicy, startGuard, type RunningGuard } from '../../main/service/start-guard.js';
import { systemClock, type Clock } from '../../main/service/approval-broker.js';
import type { AuditEvent } from '../../shared/audit.js';
import { cliPath } from './paths.js';
import { guardEnv } from './proxy.js';

/** Real time for timers, with a skew the test can add to `now()` (to let grants expire). */
export class SkewedClock implements Clock {
  skewMs = 0;
  now = () => Date.now() + this.skewMs;
  setTimeout = (fn: () => void, ms: number) => systemClock.setTimeout(fn, ms);
  clearTimeout = (handle: unknown) => systemClock.clearTimeout(handle);
}

/** The guard service in this test process, started as serve and the app start it (start-guard.ts): real socket, audit log and policy files. */
export async function startService(home: string, clock: Clock = systemClock): Promise<GuardService> {
  return (await startTestGuard(home, clock)).service;
}

/** The running guard with its stores, for tests that serve the UI's handlers (main/ipc/ipc-handlers.ts guardIpcHandlers). */
export function startTestGuard(home: string, clock: Clock = systemClock): Promise<RunningGuard> {
  return startGuard({ home, log: { log: () => undefined }, managedPolicy: noManagedPolicy(home), deviceId: 'test-device', clock });
}

/** An SDK client (as Claude Code would be) on `mcp-guard run` wrapping a real server, with a given guard home. */
export async function guardedClient(home: string, name: string, command: readonly string[]): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cliPath, 'run', '--name', name, '--', ...command],
    env: guardEnv(home) as Record<string, string>,
    stderr: 'ignore',
  });
  const client = new Client({ name: 'claude-code', version: '2.1.0' }, { capabilities: {} });
  await client.connect(transport);
  return client;
}

export async function auditEvents(home: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const e of queryAuditLog(guardPaths(home).auditDir)) events.push(e);
  return events;
}

export async function until<T>(probe: () => T | undefined, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
