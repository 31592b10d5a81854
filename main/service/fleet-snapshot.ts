/**
 * The reads behind one fleet inventory (./fleet-inventory.ts builds it from them): the clients'
 * files through main/clients, the registry, approvals and pins in the guard's home, the device's
 * facts, and the policy in force. The service records it as an `inventory` audit event after each
 * managed policy refresh (./start-guard.ts), so IT sees every server on the device, wrapped or not,
 * in the stream it already receives.
 */
import type { FleetInventory } from '../../shared/fleet-inventory.js';
import { CLIENT_NAMES, type RegisteredLaunch, type ServerIdentity } from '../../shared/server-registry.js';
import type { ClientAdapter, ClientEntry, ClientEnvironment } from '../clients/client-adapter.js';
import { unwrappedEntryFacts } from '../clients/entry-facts.js';
import { inventory } from '../clients/inventory.js';
import { canonicalJson, sha256 } from '../common/canonical-json.js';
import type { GuardPaths } from '../store/guard-paths.js';
import { PinStore } from '../store/pin-store.js';
import type { PolicyStore } from '../store/policy-store.js';
import { ServerApprovalStore } from '../store/server-approvals.js';
import { ServerRegistry } from '../store/server-registry.js';
import { collectDeviceFacts, existingConfigFiles, existingManagedFiles } from './device-facts.js';
import { fleetInventory } from './fleet-inventory.js';

/** Where the clients' files are, and how an unwrapped entry's identity is worked out (main/clients/server-identity.ts). */
export type FleetSources = {
  adapters: readonly ClientAdapter[];
  machine: ClientEnvironment;
  env: NodeJS.ProcessEnv;
  identity: (launch: RegisteredLaunch, entry: ClientEntry) => ServerIdentity;
  guardVersion: string;
};

export type FleetSnapshotInput = {
  paths: GuardPaths;
  deviceId: string;
  policy: PolicyStore;
  deviceLabels: Readonly<Record<string, string>> | undefined;
  now: Date;
  /** Each audit sink's queue (events not yet delivered). */
  sinks: readonly { id: string; lag: number }[];
};

export function takeFleetInventory(s: FleetSources, o: FleetSnapshotInput): FleetInventory {
  const inv = inventory(s.adapters, s.machine, new ServerRegistry(o.paths.servers), new ServerApprovalStore(o.paths.serverApprovals));
  const unwrappedFiles = new Set(inv.rows.filter((r) => r.state === 'unwrapped').map((r) => r.file));
  const pins = new PinStore(o.paths.pins).loadSync();
  const versions = o.policy.current().versions;
  return fleetInventory({
    takenAt: o.now,
    device: { ...collectDeviceFacts(s.env), id: o.deviceId, guardVersion: s.guardVersion },
    deviceLabels: o.deviceLabels,
    rows: inv.rows,
    problems: inv.problems,
    entryFacts: unwrappedEntryFacts(s.adapters, s.machine, unwrappedFiles, s.identity),
    pins: pins.state === 'ok' ? { file: pins.pins, unreadable: false } : { file: pins.previous, unreadable: true },
    configFiles: existingConfigFiles(s.adapters, s.machine),
    managedFiles: existingManagedFiles(CLIENT_NAMES, s.machine),
    policy: {
      bundleVersion: versions.managedVersion,
      userRevision: versions.userRevision,
      managedRevision: versions.managedRevision,
      rulesHash: sha256(canonicalJson({ managed: o.policy.managed ?? null, user: o.policy.userInForce ?? null })),
    },
    sinks: o.sinks,
  });
}
