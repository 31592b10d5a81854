/**
 * The fleet inventory event's `detail` (shared/fleet-inventory.ts), built from values: the rows of
 * main/clients/inventory.ts, what unwrapped entries run (main/clients/entry-facts.ts), the pin file,
 * the device's facts (./device-facts.ts), the policy in force and the sinks' queues. Pure: no I/O.
 *
 * No secret value leaves here: commands, arguments and URLs go through the SecretScrubber the
 * Servers page uses (main/audit/redaction.ts), URLs keep only scheme, host, port and path, and
 * environment variables and headers are never read from the rows at all: a server's secrets appear
 * by name only. Every list is bounded and every string cut (FLEET_LIMITS, FLEET_TEXT); when the
 * servers do not fit, shadow servers (not guarded) are kept before guarded ones, and the totals in
 * `counts` still count every server.
 */
import {
  FLEET_INVENTORY_FORMAT,
  FLEET_LIMITS,
  FLEET_TEXT,
  FleetInventory,
  type FleetClient,
  type FleetIdentity,
  type FleetServer,
} from '../../shared/fleet-inventory.js';
import { DeviceLabels } from '../../shared/managed-config.js';
import type { PinFile, ServerPins } from '../../shared/pins.js';
import { CLIENT_NAMES, type ClientName, type ServerIdentity } from '../../shared/server-registry.js';
import type { ServerSecretName, ServerState } from '../../shared/servers-page.js';
import { SecretScrubber } from '../audit/redaction.js';
import { entryKeyOf, type EntryFacts } from '../clients/entry-facts.js';
import type { InventoryRow } from '../clients/inventory.js';
import { canonicalJson, sha256 } from '../common/canonical-json.js';
import { parsePackageSpec } from '../policy/package-spec.js';
import { identityHash } from '../store/server-approvals.js';
import type { ExistingConfigFile, HostFacts } from './device-facts.js';

export type FleetInventoryInput = {
  takenAt: Date;
  device: HostFacts & { id: string; guardVersion: string };
  /** The managed configuration's `deviceLabels`. */
  deviceLabels?: Readonly<Record<string, string>> | undefined;
  /** inventory(adapters, machine, registry, approvals, pinChanges) of main/clients/inventory.ts. */
  rows: readonly InventoryRow[];
  problems?: readonly string[];
  /** unwrappedEntryFacts(…) of main/clients/entry-facts.ts: what each unwrapped entry runs, by entryKeyOf. */
  entryFacts?: ReadonlyMap<string, EntryFacts>;
  /** The pin file (or the last good one when it is unreadable); without it, tools changed come from the rows. */
  pins?: { file: PinFile | undefined; unreadable: boolean };
  configFiles: readonly ExistingConfigFile[];
  managedFiles: ReadonlyMap<ClientName, readonly string[]>;
  policy: { bundleVersion?: number | undefined; userRevision?: string | undefined; managedRevision?: string | undefined; rulesHash: string };
  sinks: readonly { id: string; lag: number }[];
};

const AD_HOC_FILE = '(started with mcp-guard run --)';

/** The inventory's detail; throws only when the policy or device given is malformed (a caller's bug), naming the field. */
export function fleetInventory(input: FleetInventoryInput): FleetInventory {
  const scrubber = new SecretScrubber();
  const text = (value: string, max: number) => cut(scrubber.scrubString(value), max);
  const problems = [...(input.problems ?? [])];
  if (input.pins?.unreadable) problems.unshift('the pin file is unreadable: every tool is held');

  const all: FleetServer[] = input.rows.map((row) => serverOf(row, input, scrubber));
  const seen = new Set(input.rows.map((r) => r.name));
  for (const name of Object.keys(input.pins?.file?.servers ?? {})) {
    if (seen.has(name)) continue;
    const pins = pinFacts(name, input, undefined, scrubber);
    all.push({ scope: 'ad-hoc', name: nameOf(text(name, FLEET_TEXT.name)), file: AD_HOC_FILE, state: 'ad-hoc', guarded: true, secretNames: [], ...pins });
  }
  const servers = fitServers(all);

  const byState: Partial<Record<ServerState, number>> = {};
  for (const s of all) byState[s.state] = (byState[s.state] ?? 0) + 1;

  const clients = clientsOf(input, (p) => text(p, FLEET_TEXT.path));
  const labels = DeviceLabels.safeParse(input.deviceLabels ?? {});
  if (!labels.success) problems.push('the device labels of the managed configuration do not validate; left out');
  const detail = {
    format: FLEET_INVENTORY_FORMAT,
    takenAt: input.takenAt.toISOString(),
    device: {
      id: nameOf(cut(input.device.id, FLEET_TEXT.name)),
      hostname: cut(input.device.hostname, FLEET_TEXT.text),
      os: {
        platform: nameOf(cut(input.device.os.platform, FLEET_TEXT.name)),
        release: cut(input.device.os.release, FLEET_TEXT.text),
        arch: nameOf(cut(input.device.os.arch, FLEET_TEXT.name)),
      },
      guardVersion: nameOf(cut(input.device.guardVersion, FLEET_TEXT.name)),
      primaryUser: cut(input.device.primaryUser, FLEET_TEXT.text),
      labels: labels.success ? labels.data : {},
    },
    clients: clients.slice(0, FLEET_LIMITS.clients),
    servers,
    counts: { total: all.length, guarded: all.filter((s) => s.guarded).length, byState },
    omitted: {
      clients: Math.max(0, clients.length - FLEET_LIMITS.clients),
      servers: all.length - servers.length,
      problems: Math.max(0, problems.length - FLEET_LIMITS.problems),
    },
    policy: {
      ...(input.policy.bundleVersion !== undefined ? { bundleVersion: input.policy.bundleVersion } : {}),
      ...(input.policy.userRevision !== undefined ? { userRevision: input.policy.userRevision } : {}),
      ...(input.policy.managedRevision !== undefined ? { managedRevision: input.policy.managedRevision } : {}),
      rulesHash: input.policy.rulesHash,
    },
    sinks: input.sinks.slice(0, FLEET_LIMITS.sinks).map((s) => ({ id: nameOf(cut(s.id, FLEET_TEXT.name)), lag: Math.max(0, Math.floor(s.lag) || 0) })),
    problems: problems.slice(0, FLEET_LIMITS.problems).map((p) => text(p, FLEET_TEXT.problem)),
  };
  const parsed = FleetInventory.safeParse(detail);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`fleet inventory: ${issue?.path.join('.') || '(detail)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

function serverOf(row: InventoryRow, input: FleetInventoryInput, scrubber: SecretScrubber): FleetServer {
  const facts = row.state === 'unwrapped' ? input.entryFacts?.get(entryKeyOf(row)) : undefined;
  const identity = row.record?.identity ?? facts?.identity;
  const secrets: ServerSecretName[] = row.record
    ? row.record.secrets.map((s) => ({ name: s.name, target: s.target, where: s.source.kind }))
    : (facts?.secrets ?? []).map((s) => ({ ...s, where: 'in-file' as const }));
  return {
    client: row.client,
    scope: row.scope,
    name: nameOf(cut(scrubber.scrubString(row.name), FLEET_TEXT.name)),
    file: cut(scrubber.scrubString(row.file), FLEET_TEXT.path),
    ...(row.projectDir !== undefined ? { projectDir: cut(scrubber.scrubString(row.projectDir), FLEET_TEXT.path) } : {}),
    state: row.state,
    guarded: row.state === 'wrapped' && row.record !== undefined,
    ...(identity ? { transport: identity.transport, identity: identityOf(identity, scrubber) } : {}),
    ...(row.state === 'wrapped' && row.record ? { identityHash: identityHash(row.record.identity), approved: row.approved === true } : {}),
    ...pinFacts(row.name, input, row.changedTools, scrubber),
    secretNames: secrets.slice(0, FLEET_LIMITS.secretsPerServer).map((s) => ({ ...s, name: nameOf(cut(s.name, FLEET_TEXT.name)) })),
    ...(row.detail !== undefined ? { detail: cut(scrubber.scrubString(row.detail), FLEET_TEXT.detail) } : {}),
  };
}

/** What the pin file says of a server: the hash of its approved pins, and what changed since. */
function pinFacts(
  name: string,
  input: FleetInventoryInput,
  fromRow: readonly string[] | undefined,
  scrubber: SecretScrubber,
): Pick<FleetServer, 'pinHash' | 'toolsChanged' | 'toolsChangedOmitted' | 'pinsUnreadable'> {
  const pins: ServerPins | undefined = input.pins?.file?.servers[name];
  const changed = input.pins
    ? pins
      ? [...Object.keys(pins.pending.tools), ...(pins.pending.instructions ? ['instructions'] : [])]
      : []
    : [...(fromRow ?? [])];
  const kept = changed.slice(0, FLEET_LIMITS.toolsChangedPerServer);
  return {
    ...(pins ? { pinHash: pinHash(pins) } : {}),
    toolsChanged: kept.map((t) => nameOf(cut(scrubber.scrubString(t), FLEET_TEXT.name))),
    ...(changed.length > kept.length ? { toolsChangedOmitted: changed.length - kept.length } : {}),
    ...(input.pins?.unreadable ? { pinsUnreadable: true } : {}),
  };
}

/** SHA-256 over the approved pins (tool name → hash, instructions hash): what IT compares across devices. */
function pinHash(pins: ServerPins): string {
  const tools = Object.fromEntries(Object.entries(pins.tools).map(([tool, pin]) => [tool, pin.hash]));
  return sha256(canonicalJson({ tools, instructions: pins.instructions.hash }));
}

function identityOf(identity: ServerIdentity, scrubber: SecretScrubber): FleetIdentity {
  const version = (identity.package !== undefined ? parsePackageSpec(identity.package)?.version : undefined) ?? identity.resolved?.version;
  const args = identity.args !== undefined ? (scrubber.scrub(identity.args) as unknown[]).map(String) : undefined;
  const keptArgs = args?.slice(0, FLEET_LIMITS.args).map((a) => cut(a, FLEET_TEXT.arg));
  return {
    ...(identity.command !== undefined ? { command: cut(scrubber.scrubString(identity.command), FLEET_TEXT.text) } : {}),
    ...(keptArgs !== undefined ? { args: keptArgs } : {}),
    ...(args !== undefined && args.length > FLEET_LIMITS.args ? { argsOmitted: args.length - FLEET_LIMITS.args } : {}),
    ...(identity.url !== undefined ? { url: cut(scrubber.scrubString(urlWithoutCredentials(identity.url)), FLEET_TEXT.text) } : {}),
    ...(identity.package !== undefined ? { package: cut(scrubber.scrubString(identity.package), FLEET_TEXT.text) } : {}),
    ...(version !== undefined ? { version: cut(scrubber.scrubString(version), FLEET_TEXT.text) } : {}),
    pinned: identity.pinned,
    ...(identity.file !== undefined ? { file: cut(scrubber.scrubString(identity.file), FLEET_TEXT.path) } : {}),
    ...(identity.fileSha256 !== undefined ? { fileSha256: identity.fileSha256 } : {}),
  };
}

/** Scheme, host, port and path: no user name or password, no query (where tokens ride), no fragment. */
export function urlWithoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    // Not a URL yet (`${BASE_URL}/mcp`, expanded by the client): cut the same parts by their syntax.
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1').replace(/[?#][\s\S]*$/, '');
  }
}

/**
 * The servers that fit FLEET_LIMITS (count and bytes), in their order: shadow servers first claim
 * the room, then guarded ones, so what IT most needs to see is never what is left out.
 */
function fitServers(all: readonly FleetServer[]): FleetServer[] {
  const order = all.map((s, i) => ({ s, i })).sort((a, b) => Number(a.s.guarded) - Number(b.s.guarded) || a.i - b.i);
  const kept = new Set<number>();
  let bytes = 0;
  for (const { s, i } of order) {
    if (kept.size >= FLEET_LIMITS.servers) break;
    const size = Buffer.byteLength(JSON.stringify(s)) + 1;
    if (bytes + size > FLEET_LIMITS.serverBytes) continue;
    bytes += size;
    kept.add(i);
  }
  return all.filter((_, i) => kept.has(i));
}

/** Each client with a config file, a managed file or a server, in the order `status` lists clients. */
function clientsOf(input: FleetInventoryInput, path: (p: string) => string): FleetClient[] {
  const present = new Set<ClientName>([...input.configFiles.map((f) => f.client), ...input.managedFiles.keys(), ...input.rows.map((r) => r.client)]);
  return CLIENT_NAMES.filter((c) => present.has(c)).map((client) => {
    const files = input.configFiles.filter((f) => f.client === client);
    const managed = [...(input.managedFiles.get(client) ?? [])];
    return {
      client,
      configFiles: files
        .slice(0, FLEET_LIMITS.configFilesPerClient)
        .map((f) => ({ path: path(f.path), scope: f.scope, ...(f.projectDir !== undefined ? { projectDir: path(f.projectDir) } : {}) })),
      ...(files.length > FLEET_LIMITS.configFilesPerClient ? { configFilesOmitted: files.length - FLEET_LIMITS.configFilesPerClient } : {}),
      managed: managed.length > 0,
      managedFiles: managed.slice(0, FLEET_LIMITS.managedFilesPerClient).map(path),
    };
  });
}

/** `text` in at most `max` UTF-16 units, ending in `…` when cut (never inside a surrogate pair). */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** A name never empty (a config may hold an entry named ""). */
function nameOf(text: string): string {
  return text === '' ? '(no name)' : text;
}
