/**
 * What the UI's pages (Servers, Activity, Policy, Secrets, Settings) work on, made once per running
 * guard: the service and its stores, the client adapters of this machine, the registry, the keychain,
 * and a wrapper whose audit events go straight to the service. Every page's handlers file
 * (main/ipc/<page>-handlers.ts) takes this; nothing here trusts the renderer.
 */
import { ConfigBackups } from '../clients/config-file.js';
import { allAdapters } from '../clients/adapters.js';
import type { ClientAdapter, ClientEnvironment } from '../clients/client-adapter.js';
import { thisMachine } from '../clients/machine.js';
import { identityOf, nodeIdentityFs } from '../clients/server-identity.js';
import { wrapAuditEvent, Wrapper } from '../clients/wrapper.js';
import type { Logger } from '../common/logger.js';
import { KeychainSecretStore } from '../secrets/keychain.js';
import type { RunningGuard } from '../service/start-guard.js';
import { ServerApprovalStore } from '../store/server-approvals.js';
import { ServerRegistry } from '../store/server-registry.js';
import { ActivityIndex } from '../audit/activity-index.js';
import type { LoginItemPort } from '../store/guard-settings.js';
import type { DriftMode } from '../../shared/settings.js';

export type PageContext = RunningGuard & {
  readonly log: Logger;
  readonly env: NodeJS.ProcessEnv;
  readonly adapters: readonly ClientAdapter[];
  readonly machine: ClientEnvironment;
  readonly registry: ServerRegistry;
  readonly approvals: ServerApprovalStore;
  readonly secrets: KeychainSecretStore;
  /** The command wrapped entries run; undefined where this process cannot name one (then wrap is refused with why). */
  readonly launcher: string | undefined;
  readonly wrapper: (launcher: string) => Wrapper;
  readonly now: () => number;
  /** The Activity page's index of the audit log: cheap until first used (main/audit/activity-index.ts). */
  readonly activity: ActivityIndex;
  /** The OS login item where this process can set it (the desktop app); undefined in the browser mode. */
  readonly loginItem: LoginItemPort | undefined;
  /** The --drift the running service was started with, if it was. */
  readonly driftFlag: DriftMode | undefined;
};

export function pageContext(
  guard: RunningGuard,
  o: { log: Logger; env: NodeJS.ProcessEnv; launcher: string | undefined; projects?: readonly string[]; loginItem?: LoginItemPort; driftFlag?: DriftMode },
): PageContext {
  const { env, log } = o;
  const machine = thisMachine(env, [process.cwd(), ...(o.projects ?? [])]);
  const registry = new ServerRegistry(guard.paths.servers);
  const secrets = new KeychainSecretStore();
  const adapters = allAdapters();
  const identityFs = nodeIdentityFs(env);
  const wrapper = (launcher: string) =>
    new Wrapper({
      adapters,
      machine,
      registry,
      secrets,
      backups: new ConfigBackups(guard.paths.backups),
      launcher,
      identity: (launch, entry) =>
        identityOf(launch, { home: machine.home, env, ...(entry.projectDir !== undefined ? { projectDir: entry.projectDir } : {}) }, identityFs),
      now: () => new Date(),
      audit: (kind, record) =>
        void guard.service.note(wrapAuditEvent(kind, record)).catch((error: unknown) => log.log('error', `could not record ${kind}: ${String(error)}`)),
    });
  return {
    ...guard,
    log,
    env,
    adapters,
    machine,
    registry,
    approvals: new ServerApprovalStore(guard.paths.serverApprovals),
    secrets,
    launcher: o.launcher,
    wrapper,
    now: () => Date.now(),
    activity: new ActivityIndex({
      dir: guard.audit.dir,
      onDidAppend: guard.audit.onDidAppend,
      onError: (error) => log.log('error', `activity: could not read the audit log on: ${error instanceof Error ? error.message : String(error)}`),
    }),
    loginItem: o.loginItem,
    driftFlag: o.driftFlag,
  };
}
