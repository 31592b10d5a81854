/**
 * The composition root of the guard service: the one place its parts are made and handed to each
 * other. `mcp-guard serve`, the desktop app's main process (main/index.ts) and the tests all start
 * the guard here, so they run the same thing.
 */
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../common/logger.js';
import { formatFileProblem } from '../store/atomic-file.js';
import { deviceIdSync } from '../store/device-id.js';
import { GrantStore } from '../store/grant-store.js';
import { guardPaths, type GuardPaths } from '../store/guard-paths.js';
import { managedPolicyPathSync } from '../store/managed-policy-path.js';
import { PolicyStore } from '../store/policy-store.js';
import type { ManagedConfigReaderOptions } from '../sync/managed-config.js';
import { ManagedPolicyLoader } from '../sync/managed-policy-loader.js';
import { ManagedSync, syncResultOf } from '../sync/managed-sync.js';
import type { DocumentFetcher } from '../sync/policy-sync.js';
import { ensurePrivateDirSync } from '../store/private-dir.js';
import type { ClientAdapter, ClientEnvironment } from '../clients/client-adapter.js';
import { DriftWatch, type Drift } from '../clients/drift-watch.js';
import type { Clock } from './approval-broker.js';
import { GuardService } from './guard-service.js';
import { takeFleetInventory, type FleetSources } from './fleet-snapshot.js';
import { startShipping, type Shipping } from '../sync/ship/start-shipping.js';
import { KeychainSecretStore } from '../secrets/keychain.js';

export type GuardOptions = {
  /** The guard's home ($MCP_GUARD_HOME, or the OS default). */
  home: string;
  log: Logger;
  /**
   * A plain managed policy file, for tests. Without it: IT's managed configuration (issue 17, the OS
   * location or MCP_GUARD_MANAGED_CONFIG in `env`) with its signed policy; with none, the plain file
   * of main/store/managed-policy-path.ts.
   */
  managedPolicy?: string;
  /** The environment the managed configuration and policy paths are read from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** For tests: the managed configuration's OS location and admin checks, and the fetcher of signed policy. */
  managedReader?: Omit<ManagedConfigReaderOptions, 'env'>;
  fetcher?: DocumentFetcher;
  /** For tests: the device id and clock to use instead of the stored id and real time. */
  deviceId?: string;
  clock?: Clock;
  /** Watch the clients' config files for drift (main/clients/drift-watch.ts); absent: not watched. */
  drift?: DriftOptions;
  /** Where the fleet inventory reads the clients' files; with a managed configuration, one is recorded after each policy refresh. */
  fleet?: FleetSources;
};

export type DriftOptions = {
  adapters: readonly ClientAdapter[];
  machine: ClientEnvironment;
  /**
   * `flag`: record and log it; `rewrap`: also wrap the new or unwrapped entry again (its server is
   * then held until approved). A function is asked at each drift (the setting, which the Settings page changes).
   */
  mode: 'flag' | 'rewrap' | (() => 'flag' | 'rewrap');
  /** Wraps one entry again; resolves with what happened, for the log and audit event. */
  rewrap?: (drift: Drift) => Promise<string>;
  intervalMs?: number;
};

/** The running service, and the stores it runs on (the UI's pages read and change them through main/ipc). */
export type RunningGuard = {
  service: GuardService;
  policy: PolicyStore;
  audit: AuditLog;
  paths: GuardPaths;
  /** The signed managed policy's refresh (`mcp-guard sync now`), when a managed configuration is in place. */
  managed: ManagedSync | undefined;
  /** Audit shipping to the managed configuration's collectors, when it names any. */
  shipping: Shipping | undefined;
  stop(): Promise<void>;
};

/** Opens the guard's files and starts the service; throws, with nothing left open, when it cannot. */
export async function startGuard(o: GuardOptions): Promise<RunningGuard> {
  const { log } = o;
  const paths = guardPaths(o.home);
  ensurePrivateDirSync(paths.home);
  const audit = await AuditLog.open(paths.auditDir, { onWarning: (m) => log.log('warn', m) });
  try {
    reportAuditOpen(audit, paths.auditDir, log);
    const env = o.env ?? process.env;
    const loader = new ManagedPolicyLoader({ env, home: paths.home, ...(o.managedReader ? { reader: o.managedReader } : {}) });
    const managedConfig = o.managedPolicy === undefined ? loader.readConfigSync() : undefined;
    const external = managedConfig !== undefined && managedConfig.state !== 'absent';
    const policy = new PolicyStore({
      userPolicy: paths.userPolicy,
      managedPolicy: o.managedPolicy ?? (external ? managedConfig.source.file : managedPolicyPathSync(env)),
      managedExternal: external,
    });
    policy.reloadSync();
    // The service records what the offline start refused once it runs; until then its notes wait.
    let started: (service: GuardService) => void = () => undefined;
    const running = new Promise<GuardService>((resolve) => (started = resolve));
    const deviceId = o.deviceId ?? deviceIdSync(paths.deviceId);
    let shipping: Shipping | undefined;
    const managed: ManagedSync | undefined = external
      ? new ManagedSync({
          policy,
          loader,
          log,
          record: async (event) => (await running).note(event),
          ...(o.fetcher ? { fetcher: o.fetcher } : {}),
          ...(o.fleet
            ? {
                onRefreshed: () =>
                  void recordInventory(o.fleet!, running, {
                    paths,
                    deviceId,
                    policy,
                    labels: () => managed?.deviceLabels,
                    sinks: () => shipping?.statuses() ?? [],
                    log,
                  }),
              }
            : {}),
        })
      : undefined;
    await managed?.loadOffline();
    for (const p of policy.problems) log.log('error', formatFileProblem(p));
    const service = await GuardService.start({
      paths,
      log,
      audit,
      policy,
      grants: new GrantStore(paths.grants, (problem) => log.log('error', problem)),
      deviceId,
      osUser: userInfo().username,
      ...(o.clock ? { clock: o.clock } : {}),
      ...(managed ? { syncNow: () => managed.refresh().then(syncResultOf) } : {}),
    });
    started(service);
    if (managedConfig?.state === 'ok' && managedConfig.config.collectors?.length)
      shipping = startShipping({
        config: managedConfig.config,
        home: paths.home,
        auditDir: paths.auditDir,
        log,
        record: (event) => service.note(event),
        onAppend: audit.onDidAppend,
        keychain: () => new KeychainSecretStore(),
        guardVersion: o.fleet?.guardVersion ?? 'unknown',
      });
    managed?.startRefreshing();
    const watch = o.drift ? watchDrift(o.drift, service, policy, log) : undefined;
    return {
      service,
      policy,
      audit,
      paths,
      managed,
      shipping,
      stop: async () => {
        managed?.stop();
        watch?.stop();
        await shipping?.stop();
        await service.stop();
      },
    };
  } catch (error) {
    await audit.close().catch(() => undefined);
    throw error;
  }
}

/** The fleet inventory as an audit event; a failure to gather it is logged, and the next refresh tries again. */
async function recordInventory(
  fleet: FleetSources,
  running: Promise<GuardService>,
  o: {
    paths: GuardPaths;
    deviceId: string;
    policy: PolicyStore;
    labels: () => Readonly<Record<string, string>> | undefined;
    sinks: () => readonly { id: string; lag: number }[];
    log: Logger;
  },
): Promise<void> {
  try {
    const service = await running;
    const detail = takeFleetInventory(fleet, {
      paths: o.paths,
      deviceId: o.deviceId,
      policy: o.policy,
      deviceLabels: o.labels(),
      sinks: o.sinks(),
      now: new Date(),
    });
    await service.note({ kind: 'inventory', detail });
  } catch (error) {
    o.log.log('error', `fleet inventory: not recorded: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Every drift is an audit event and a warning; with `rewrap`, the entry is wrapped again and that is recorded too. */
function watchDrift(o: DriftOptions, service: GuardService, policy: PolicyStore, log: Logger): DriftWatch {
  const watch = new DriftWatch({
    adapters: o.adapters,
    machine: o.machine,
    ...(o.intervalMs !== undefined ? { intervalMs: o.intervalMs } : {}),
    onProblem: (message) => log.log('warn', `client config: ${message}`),
    onDrift: (drift) => {
      // Policy that requires wrapping (managed, typically) makes every drift a re-wrap, whatever the service was started with.
      const required = policy.current().engine.defaults.requireWrapping;
      const mode = required.value ? 'rewrap' : typeof o.mode === 'function' ? o.mode() : o.mode;
      const what = drift.kind === 'new-unwrapped' ? 'a new server that is not wrapped' : `a wrapped server was unwrapped (it was ${drift.id})`;
      const why = required.value ? ` (${required.source} policy requires wrapping)` : '';
      log.log('warn', `${drift.file}: ${what}: "${drift.name}"${mode === 'rewrap' ? `; wrapping it again${why}` : '; wrap it with mcp-guard wrap'}`);
      const record = (outcome: string) =>
        service
          .note({
            kind: 'server-drift',
            server: { name: drift.name },
            detail: { ...drift, mode, ...(required.value ? { requiredBy: required.source } : {}), outcome },
          })
          .catch((error: unknown) => log.log('error', `could not record drift: ${String(error)}`));
      if (mode !== 'rewrap' || !o.rewrap) return void record(mode === 'rewrap' ? 'could not wrap it again: nothing here can wrap' : 'flagged');
      o.rewrap(drift).then(
        (outcome) => record(outcome),
        (error: unknown) => record(`could not wrap it again: ${error instanceof Error ? error.message : String(error)}`),
      );
    },
  });
  watch.start();
  return watch;
}

/** What opening the audit log found and mended, said once in the service's log. */
function reportAuditOpen(audit: AuditLog, dir: string, log: Logger): void {
  const { repaired, tailProblem, anchored } = audit.openReport;
  if (repaired) log.log('warn', `audit log: repaired a torn last line left by a crash`, { file: repaired.file });
  if (tailProblem) {
    const at = `${tailProblem.file}${tailProblem.line !== undefined ? `:${tailProblem.line}` : ''}`;
    log.log('error', `audit log: does not verify at ${at}: ${tailProblem.problem}; continuing in a new segment (run mcp-guard audit verify)`);
  }
  if (anchored) {
    const why =
      anchored.reason === 'missing'
        ? 'it had none (written before MCP Guard anchored the head, or deleted)'
        : 'it was unreadable (torn by a power loss, or edited)';
    log.log('warn', `audit log: wrote the head anchor, since ${why}; events cut from the end before now cannot be seen`, { dir, head: anchored.head });
  }
}

/** A managed-policy path inside `home` that never exists: for tests that must not read this machine's managed policy. */
export function noManagedPolicy(home: string): string {
  return join(home, 'no-managed-policy.json');
}
