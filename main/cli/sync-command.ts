import type { ManagedConfig } from '../../shared/managed-config.js';
import { formatFileProblem } from '../store/atomic-file.js';
import { cliIo, type CliIo } from './cli-options.js';
import { MANAGED_CONFIG_ENV, ManagedConfigReader, type ManagedConfigRead, type ManagedConfigReaderOptions } from '../sync/managed-config.js';

export const SYNC_USAGE = `usage: mcp-guard sync status [--json]

Shows the managed configuration in force: which file (the OS location, or ${MANAGED_CONFIG_ENV}
and whether it was ignored, and why), and whether it is valid or every problem with it. Exit 0
when there is none or it is valid, 1 when it is refused, 2 on usage errors.`;

/** `mcp-guard sync …`. `reader` is injected by tests that stand in for the OS location or the admin uid. */
export function syncCommand(argv: string[], io: CliIo = cliIo(), reader?: Omit<ManagedConfigReaderOptions, 'env'>): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === undefined) {
    io.stdout.write(SYNC_USAGE + '\n');
    return Promise.resolve(sub === undefined ? 2 : 0);
  }
  if (sub !== 'status') return Promise.resolve(usageError(io, `unknown subcommand "${sub}"`));
  const unknown = rest.find((a) => a !== '--json');
  if (unknown !== undefined) return Promise.resolve(usageError(io, `unknown option "${unknown}"`));
  const read = new ManagedConfigReader({ ...reader, env: io.env }).readSync();
  if (rest.includes('--json')) io.stdout.write(JSON.stringify({ managedConfig: read }, null, 2) + '\n');
  else io.stdout.write(statusText(read));
  if (read.state === 'refused') for (const p of read.problems) io.stderr.write(`mcp-guard: managed configuration ${formatFileProblem(p)}\n`);
  return Promise.resolve(read.state === 'refused' ? 1 : 0);
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
