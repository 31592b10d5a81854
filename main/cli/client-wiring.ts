/**
 * What `wrap`, `unwrap`, `status`, `servers` and `secrets` share: the adapters, this machine, the
 * registry, the keychain, the launcher path, and audit events spooled for the service.
 */
import { randomUUID } from 'node:crypto';
import { accessSync, constants, realpathSync } from 'node:fs';
import type { RegisteredLaunch, ServerRecord } from '../../shared/server-registry.js';
import type { ClientEntry } from '../clients/client-adapter.js';
import { Spool } from '../audit/spool.js';
import { AuditIdGenerator } from '../audit/ids.js';
import { allAdapters } from '../clients/adapters.js';
import { ConfigBackups } from '../clients/config-file.js';
import { thisMachine } from '../clients/machine.js';
import { identityOf, nodeIdentityFs } from '../clients/server-identity.js';
import { wrapAuditEvent, Wrapper } from '../clients/wrapper.js';
import { KeychainSecretStore } from '../secrets/keychain.js';
import { guardHome, guardPaths } from '../store/guard-paths.js';
import { PinStore } from '../store/pin-store.js';
import { ServerApprovalStore } from '../store/server-approvals.js';
import { ServerRegistry } from '../store/server-registry.js';

export function clientWiring(o: { projects: readonly string[]; env?: NodeJS.ProcessEnv }) {
  const env = o.env ?? process.env;
  const paths = guardPaths(guardHome(env));
  const machine = thisMachine(env, [process.cwd(), ...o.projects]);
  const registry = new ServerRegistry(paths.servers);
  const approvals = new ServerApprovalStore(paths.serverApprovals);
  const secrets = new KeychainSecretStore();
  const ids = new AuditIdGenerator();
  const spool = new Spool(paths.spoolDir, `${process.pid}-${randomUUID()}`);
  const adapters = allAdapters();
  const identityFs = nodeIdentityFs(env);
  const identity = (launch: RegisteredLaunch, entry: ClientEntry) =>
    identityOf(launch, { home: machine.home, env, ...(entry.projectDir !== undefined ? { projectDir: entry.projectDir } : {}) }, identityFs);
  const wrapper = (launcher: string) =>
    new Wrapper({
      adapters,
      machine,
      registry,
      secrets,
      backups: new ConfigBackups(paths.backups),
      launcher,
      identity,
      now: () => new Date(),
      audit: (kind, record) => audit(kind, record),
    });
  const audit = (kind: 'server-wrapped' | 'server-unwrapped', record: ServerRecord) =>
    spool.append([{ id: ids.next(), time: new Date().toISOString(), ...wrapAuditEvent(kind, record) }]);
  /** The tools of a server (by name) held since their definitions changed; everything when the pin file is unreadable. */
  let pins: ReturnType<PinStore['loadSync']> | undefined;
  const pinChanges = (server: string): string[] | undefined => {
    // Read once per command: a listing asks for every server.
    const load = (pins ??= new PinStore(paths.pins).loadSync());
    if (load.state !== 'ok') return ['(the pin file is unreadable: every tool is held; mcp-guard pins list)'];
    const pending = load.pins.servers[server]?.pending;
    return pending ? [...Object.keys(pending.tools), ...(pending.instructions ? ['instructions'] : [])] : undefined;
  };
  return { paths, machine, registry, approvals, secrets, adapters, identity, wrapper, audit, pinChanges, flush: () => spool.flush() };
}

/**
 * The command every wrapped entry runs: this launcher's absolute path (MCP_GUARD_LAUNCHER
 * overrides it, for a packaged app's own launcher). It must be an executable file.
 */
export function launcherPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = realpathSync(env['MCP_GUARD_LAUNCHER'] || process.argv[1] || '');
  accessSync(path, constants.X_OK);
  return path;
}
