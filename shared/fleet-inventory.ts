import { z } from 'zod';
import { DeviceLabels } from './managed-config.js';
import { ClientName } from './server-registry.js';
import { ServerSecretName, ServerState } from './servers-page.js';

/**
 * The fleet inventory (issue 17): what the device reports at each policy refresh, as the `detail`
 * of an audit event of kind `inventory` in the same stream as the calls, so IT sees every MCP
 * server of every client on the device, wrapped or not ("shadow servers"). Built by
 * main/service/fleet-inventory.ts. Strict and bounded: at most FLEET_LIMITS of each list, every
 * string cut; what did not fit is counted in `omitted`, never silently dropped. No secret values:
 * commands, arguments and URLs are scrubbed, URLs lose their user info, query and fragment, and a
 * server's secrets are listed by name only.
 */

/** The format of `detail`; a reader that sees another refuses or adapts, never guesses. */
export const FLEET_INVENTORY_FORMAT = 1;

export const FLEET_LIMITS = {
  clients: 64,
  configFilesPerClient: 64,
  managedFilesPerClient: 16,
  servers: 2000,
  args: 32,
  secretsPerServer: 32,
  toolsChangedPerServer: 64,
  sinks: 16,
  problems: 20,
  /** The servers' share of the event, in bytes of JSON: past it, the rest are counted in `omitted.servers`. */
  serverBytes: 1_000_000,
} as const;

/** Most lengths of strings (UTF-16 code units); the builder cuts longer ones and ends them with `…`. */
export const FLEET_TEXT = { name: 256, path: 1024, text: 1024, arg: 256, detail: 512, problem: 1024 } as const;

const Name = z.string().min(1).max(FLEET_TEXT.name);
const Path = z.string().max(FLEET_TEXT.path);
const Text = z.string().max(FLEET_TEXT.text);
const Count = z.number().int().nonnegative();
const HexSha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected 64 lowercase hex digits' });

export const FleetDevice = z.strictObject({
  /** The guard's random id of this device (main/store/device-id.ts): the same as the event's `deviceId`. */
  id: Name,
  hostname: Text,
  os: z.strictObject({ platform: Name, release: Text, arch: Name }),
  guardVersion: Name,
  /** The OS user the guard runs for. */
  primaryUser: Text,
  /** The labels IT gave the device in the managed configuration. */
  labels: DeviceLabels,
});
export type FleetDevice = z.infer<typeof FleetDevice>;

/** A client config file that exists on the device. */
export const FleetConfigFile = z.strictObject({
  path: Path,
  scope: z.enum(['user', 'project']),
  projectDir: Path.optional(),
});
export type FleetConfigFile = z.infer<typeof FleetConfigFile>;

export const FleetClient = z.strictObject({
  client: ClientName,
  /** Its config files that exist (those it reads servers from). */
  configFiles: z.array(FleetConfigFile).max(FLEET_LIMITS.configFilesPerClient),
  /** More config files than `configFiles` holds. */
  configFilesOmitted: Count.optional(),
  /**
   * Whether an administrator manages the client's MCP servers on this device: one of its managed or
   * system files exists (`managedFiles`). A client without such a notion (Cursor, Windsurf, Zed),
   * or one managed only through the Windows registry, which the guard does not read, is `false`.
   */
  managed: z.boolean(),
  managedFiles: z.array(Path).max(FLEET_LIMITS.managedFilesPerClient),
});
export type FleetClient = z.infer<typeof FleetClient>;

/** What a server runs, as far as the guard can tell without the network; scrubbed and cut. */
export const FleetIdentity = z.strictObject({
  command: Text.optional(),
  args: z.array(z.string().max(FLEET_TEXT.arg)).max(FLEET_LIMITS.args).optional(),
  /** More arguments than `args` holds. */
  argsOmitted: Count.optional(),
  /** Scheme, host, port and path only. */
  url: Text.optional(),
  /** `npm:@scope/name@1.2.3`, `pypi:name==1.0`, `oci:image@sha256:…`. */
  package: Text.optional(),
  /** The version the package names, or the one found locally (npm cache, lock file). */
  version: Text.optional(),
  /** The package names one exact build. */
  pinned: z.boolean(),
  file: Path.optional(),
  fileSha256: HexSha256.optional(),
});
export type FleetIdentity = z.infer<typeof FleetIdentity>;

export const FleetServer = z.strictObject({
  /** Absent for an ad-hoc server (started with `mcp-guard run --`, in no client file). */
  client: ClientName.optional(),
  scope: z.enum(['user', 'local', 'project', 'elsewhere', 'ad-hoc']),
  name: Name,
  /** The client file (or, for an unguarded server, where it is defined). */
  file: Path,
  projectDir: Path.optional(),
  state: ServerState,
  /** Its calls pass through the guard: wrapped with a sound record, or ad-hoc. Every other server is a shadow server. */
  guarded: z.boolean(),
  transport: z.enum(['stdio', 'http', 'sse']).optional(),
  identity: FleetIdentity.optional(),
  /** SHA-256 of the identity as approvals key it (wrapped servers). */
  identityHash: HexSha256.optional(),
  /** The user approved this identity (wrapped servers). */
  approved: z.boolean().optional(),
  /** SHA-256 over the approved tool pins and instructions pin (tool name → hash): equal on two devices, the same tools were approved. */
  pinHash: z
    .string()
    .regex(/^sha256:[0-9a-f]{64}$/)
    .optional(),
  /** Tools (and `instructions`) whose definitions changed since approval and are held. */
  toolsChanged: z.array(Name).max(FLEET_LIMITS.toolsChangedPerServer),
  toolsChangedOmitted: Count.optional(),
  /** The pin file could not be read: every tool of every server is held. */
  pinsUnreadable: z.boolean().optional(),
  /** Its secrets by name, and where each value is: `in-file` is plaintext in the client's file. */
  secretNames: z.array(ServerSecretName).max(FLEET_LIMITS.secretsPerServer),
  detail: z.string().max(FLEET_TEXT.detail).optional(),
});
export type FleetServer = z.infer<typeof FleetServer>;

const Revision = z.string().regex(/^[0-9a-f]{12}$/, { error: 'expected 12 lowercase hex digits' });

/** The policy in force when the inventory was taken. */
export const FleetPolicy = z.strictObject({
  /** The signed managed bundle's version. */
  bundleVersion: Count.optional(),
  userRevision: Revision.optional(),
  managedRevision: Revision.optional(),
  /** A hash of the effective rules (managed over user over defaults). */
  rulesHash: z.string().regex(/^(?:sha256:)?[0-9a-f]{12,64}$/, { error: 'expected a hex SHA-256, optionally after "sha256:"' }),
});
export type FleetPolicy = z.infer<typeof FleetPolicy>;

/** One sink's queue: events in the local log after its cursor. */
export const FleetSink = z.strictObject({ id: Name, lag: Count });
export type FleetSink = z.infer<typeof FleetSink>;

export const FleetInventory = z.strictObject({
  format: z.literal(FLEET_INVENTORY_FORMAT),
  takenAt: z.iso.datetime({ offset: true }),
  device: FleetDevice,
  clients: z.array(FleetClient).max(FLEET_LIMITS.clients),
  servers: z.array(FleetServer).max(FLEET_LIMITS.servers),
  /** Every server found, by state, before any was left out: the totals IT can trust. */
  counts: z.strictObject({ total: Count, guarded: Count, byState: z.partialRecord(ServerState, Count) }),
  /** What did not fit the limits (shadow servers are kept before guarded ones). */
  omitted: z.strictObject({ clients: Count, servers: Count, problems: Count }),
  policy: FleetPolicy,
  sinks: z.array(FleetSink).max(FLEET_LIMITS.sinks),
  /** Client files that could not be read, and the like. */
  problems: z.array(z.string().max(FLEET_TEXT.problem)).max(FLEET_LIMITS.problems),
});
export type FleetInventory = z.infer<typeof FleetInventory>;
