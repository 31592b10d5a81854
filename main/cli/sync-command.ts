import type { ManagedConfig } from '../../shared/managed-config.js';
import { formatFileProblem } from '../store/atomic-file.js';
import { cliIo, type CliIo } from './cli-options.js';
import type { ManagedPolicyStatus } from '../../shared/managed-status.js';
import type { ServiceStatus, SyncResult } from '../../shared/proxy-protocol.js';
import { guardHome, guardPaths, type GuardPaths } from '../store/guard-paths.js';
import { SyncStatusStore } from '../store/sync-status-store.js';
import { MANAGED_CONFIG_ENV, ManagedConfigReader, type ManagedConfigRead, type ManagedConfigReaderOptions } from '../sync/managed-config.js';
import { ManagedPolicyStore } from '../sync/managed-policy-store.js';
import { askService } from './service-query.js';

export const SYNC_USAGE = `usage:
  mcp-guard sync status [--json]
  mcp-guard sync now [--json]

status: the managed configuration in force (the OS location, or ${MANAGED_CONFIG_ENV} and whether
it was ignored, and why), whether it is valid or every problem with it, and the signed managed
policy in force: its URL, version, issued and expiry times, the last fetch and its result, the next
fetch, and whether it is stale or locked down. Asks the running service; without one, says what
its last good store verifies. Exit 0 when there is no managed configuration or it is valid and its
policy is in force, 1 when it is refused, stale or locked down, 2 on usage errors.

now: asks the running service to fetch the signed policy at once and prints what came of it. Exit
0 when a bundle was applied or is unchanged, 1 otherwise (refused, unreachable, no service).`;

/** `mcp-guard sync …`. `reader` is injected by tests that stand in for the OS location or the admin uid. */
export async function syncCommand(argv: string[], io: CliIo = cliIo(), reader?: Omit<ManagedConfigReaderOptions, 'env'>): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === undefined) {
    io.stdout.write(SYNC_USAGE + '\n');
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'status' && sub !== 'now') return usageError(io, `unknown subcommand "${sub}"`);
  const unknown = rest.find((a) => a !== '--json');
  if (unknown !== undefined) return usageError(io, `unknown option "${unknown}"`);
  const json = rest.includes('--json');
  const paths = guardPaths(guardHome(io.env));
  return sub === 'now' ? now(io, paths, json) : status(io, paths, json, reader);
}

async function status(io: CliIo, paths: GuardPaths, json: boolean, reader?: Omit<ManagedConfigReaderOptions, 'env'>): Promise<number> {
  const read = new ManagedConfigReader({ ...reader, env: io.env }).readSync();
  const service = await askService(paths, { type: 'status' }).then(
    (s) => ({ running: true as const, managed: s.policy.managed }),
    (error: unknown) => ({ running: false as const, reason: (error as Error).message }),
  );
  // Without a service: what a proxy starting now would put in force (the last good store, verified again).
  const managed = service.running
    ? service.managed
    : (await ManagedPolicyStore.open({ env: io.env, home: paths.home, userPolicy: paths.userPolicy, ...(reader ? { reader } : {}) })).policy.managedStatus;
  const file = read.state === 'absent' ? undefined : new SyncStatusStore(paths.home).readSync();
  if (json) {
    io.stdout.write(JSON.stringify({ managedConfig: read, service, managedPolicy: managed ?? null, nextFetchAt: file?.nextFetchAt ?? null }, null, 2) + '\n');
  } else {
    io.stdout.write(statusText(read));
    if (read.state !== 'absent') {
      io.stdout.write(`service: ${service.running ? 'running' : `not running (${service.reason}); shown: what the last good store verifies`}\n`);
      io.stdout.write(managedText(managed, file?.nextFetchAt));
    }
  }
  if (read.state === 'refused') for (const p of read.problems) io.stderr.write(`mcp-guard: managed configuration ${formatFileProblem(p)}\n`);
  if (managed?.lockedDown) io.stderr.write(`mcp-guard: managed policy is locked down, every call is denied: ${managed.lockedDown}\n`);
  else if (managed?.stale) io.stderr.write(`mcp-guard: managed policy is stale: ${managed.stale}\n`);
  return read.state === 'refused' || managed?.lockedDown || managed?.stale ? 1 : 0;
}

async function now(io: CliIo, paths: GuardPaths, json: boolean): Promise<number> {
  let answer: { result: SyncResult; status: ServiceStatus };
  try {
    // A fetch tries each URL in turn, each bounded by its own timeout: give it room.
    answer = await askService(paths, { type: 'sync-now' }, 120_000);
  } catch (error) {
    io.stderr.write(`mcp-guard sync: ${(error as Error).message}; only the service fetches managed policy: start it with the app or \`mcp-guard serve\`\n`);
    return 1;
  }
  const { result, status } = answer;
  if (json) io.stdout.write(JSON.stringify({ result, managedPolicy: status.policy.managed ?? null }, null, 2) + '\n');
  else {
    io.stdout.write(`fetch: ${result.outcome}${result.message ? ` (${result.message})` : ''}\n`);
    if (status.policy.managed) io.stdout.write(managedText(status.policy.managed, undefined));
  }
  if (result.outcome === 'not-configured') io.stderr.write('mcp-guard sync: no managed configuration with a policy URL; nothing to fetch\n');
  return result.outcome === 'applied' || result.outcome === 'unchanged' ? 0 : 1;
}

/** The managed policy in force, like a browser's policy page. */
function managedText(m: ManagedPolicyStatus | undefined, nextFetchAt: string | undefined): string {
  if (!m) return 'managed policy: none in force\n';
  const lines = ['managed policy:'];
  if (m.urls) lines.push(`  source: ${m.urls.join(', ')}`);
  if (m.bundle) {
    lines.push(
      `  version: ${m.bundle.version}${m.bundle.url ? ` (from ${m.bundle.url})` : ''}`,
      `  issued: ${m.bundle.issuedAt}`,
      `  expires: ${m.bundle.expiresAt}`,
    );
  } else lines.push('  version: none (no signed bundle verified)');
  if (m.rootVersion !== undefined) lines.push(`  trust root: version ${m.rootVersion}`);
  if (m.lastFetch) lines.push(`  last fetch: ${m.lastFetch.at}: ${m.lastFetch.outcome}${m.lastFetch.message ? ` (${m.lastFetch.message})` : ''}`);
  else lines.push('  last fetch: never');
  if (nextFetchAt) lines.push(`  next fetch: ${nextFetchAt}`);
  if (m.whenUnavailable) lines.push(`  when unavailable or expired: ${m.whenUnavailable}`);
  lines.push(`  state: ${m.lockedDown ? `LOCKED DOWN, every call is denied (${m.lockedDown})` : m.stale ? `STALE (${m.stale})` : 'current'}`);
  for (const p of m.configProblems ?? []) lines.push(`  configuration problem: ${p}`);
  return lines.join('\n') + '\n';
}

function usageError(io: CliIo, message: string): number {
  io.stderr.write(`mcp-guard sync: ${message}\n${SYNC_USAGE}\n`);
  return 2;
}

function statusText(read: ManagedConfigRead): string {
  const { source } = read;
  const lines = [`managed configuration: ${source.file} (${source.from === 'os-location' ? 'the OS location' : `from ${MANAGED_CONFIG_ENV}`})`];
  if (source.overrideIgnored) lines.push(`  ${MANAGED_CONFIG_ENV}=${source.overrideIgnored.path} is ignored: ${source.overrideIgnored.reason}`);
  switch (read.state) {
    case 'absent':
      lines.push('  state: absent (no managed configuration; nothing is managed centrally)');
      break;
    case 'ok':
      lines.push('  state: valid', ...summary(read.config).map((l) => `  ${l}`));
      break;
    case 'refused':
      // The problems themselves go to stderr, one line each (syncCommand), as every command reports a file's problems.
      lines.push(`  state: refused, nothing in it is in force (${read.problems.length} problem${read.problems.length === 1 ? '' : 's'}, on stderr)`);
      break;
  }
  for (const note of source.notes) lines.push(`  note: ${note}`);
  return lines.join('\n') + '\n';
}

function summary(c: ManagedConfig): string[] {
  const lines: string[] = [];
  if (c.policy) lines.push(`policy: ${c.policy.urls.join(', ')} every ${c.policy.refreshSeconds} s; trust root ${c.trustRoot ?? '(none)'}`);
  else lines.push('policy: not managed');
  lines.push(`when policy is unavailable: ${c.whenUnavailable}`);
  if (c.tls?.caBundle) lines.push(`TLS CA bundle: ${c.tls.caBundle}`);
  if (c.tls?.pinnedSha256) lines.push(`TLS pins: ${c.tls.pinnedSha256.length}`);
  for (const k of c.collectors ?? []) {
    const where = k.kind === 'syslog-tls' ? `${k.host}:${k.port}` : k.url;
    lines.push(`collector ${k.id}: ${k.kind} ${where}${k.credentialName ? ` (credential: keychain "${k.credentialName}")` : ''}`);
  }
  const labels = Object.entries(c.deviceLabels ?? {});
  if (labels.length > 0) lines.push(`device labels: ${labels.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  const locked = Object.entries(c.locked ?? {});
  if (locked.length > 0) lines.push(`locked: ${locked.map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
  if (c.lockEnvironmentOverrides) lines.push(`${MANAGED_CONFIG_ENV} is ignored while this file is at the OS location (lockEnvironmentOverrides)`);
  return lines;
}
