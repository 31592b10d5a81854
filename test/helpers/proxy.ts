import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawPeer } from './raw-peer.js';
import { cliPath, rawServerPath } from './paths.js';

export function tempDir(prefix = 'mcp-guard-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A guard home of its own, with a user policy (default: allow every call, so tests see plain forwarding). */
export function guardHomeWith(policy: object = ALLOW_ALL): string {
  const home = tempDir('mcp-guard-home-');
  writeFileSync(join(home, 'policy.json'), JSON.stringify(policy));
  return home;
}

export const ALLOW_ALL = { version: 1, defaults: { tools: 'allow' } };

/** The environment a proxy gets in tests: a private guard home, and no managed policy of this machine. */
export function guardEnv(home = guardHomeWith(), extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, MCP_GUARD_HOME: home, MCP_GUARD_MANAGED_POLICY: join(home, 'no-managed-policy.json'), ...extra };
}

/** `mcp-guard run [options] -- command...` as the client would start it. */
export function startProxy(options: string[], command: readonly string[], env: NodeJS.ProcessEnv = guardEnv()): RawPeer {
  return new RawPeer(process.execPath, [cliPath, 'run', ...options, '--', ...command], env);
}

export function rawServer(...args: string[]): string[] {
  return [process.execPath, rawServerPath, ...args];
}

/** True while a process with this pid runs (a zombie waiting for its reaper does not count). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

export async function waitUntil(check: () => boolean, timeoutMs: number, stepMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return check();
}
