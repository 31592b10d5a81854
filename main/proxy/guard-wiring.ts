/**
 * Everything the proxy needs beyond forwarding: the policy in force, the tool pins, the link to
 * the guard service and the audit reporter. Loaded after the server has been started, so that
 * schema validation (zod) and file reads do not add to the client's connect time.
 */
import { unwatchFile, watchFile } from 'node:fs';
import type { ServerPins } from '../../shared/pins.js';
import type { RedactionRule } from '../../shared/redaction.js';
import type { ProxyServerIdentity } from '../../shared/proxy-protocol.js';
import type { GuardPaths } from '../store/guard-paths.js';
import type { Logger } from '../common/logger.js';
import type { PolicyEngine } from '../policy/policy-engine.js';
import { packageFromLaunch } from '../policy/package-spec.js';
import type { ServerIdentity } from '../policy/server-match.js';
import { PinStore } from '../store/pin-store.js';
import { currentIdentitySync, ServerApprovalStore } from '../store/server-approvals.js';
import type { ServerIdentity as RegisteredIdentity, ServerRecord } from '../../shared/server-registry.js';
import { formatFileProblem } from '../store/atomic-file.js';
import { ManagedPolicyStore } from '../sync/managed-policy-store.js';
import { AuditReporter } from './audit-reporter.js';
import type { Decider } from './decider.js';
import type { ClientIdentity } from '../../shared/proxy-protocol.js';
import { PolicyDecider, type PinBook } from './policy-decider.js';
import { ServiceLink } from './service-link.js';
import { Spool } from '../audit/spool.js';
import type { LaunchSpec } from '../../shared/launch-spec.js';
import { fileStampSync } from '../store/file-stamp.js';

export type GuardWiring = {
  decider: Decider;
  reporter: AuditReporter;
  link: ServiceLink;
  stop(): Promise<void>;
};

/**
 * `o.localId` names this proxy run locally (its spool file); it is not the client session, which
 * the service issues in `welcome` and the decider learns from the link.
 */
export async function wireGuard(o: {
  spec: LaunchSpec;
  /** The registry record, when a wrapped entry started this proxy. */
  registered?: ServerRecord;
  paths: GuardPaths;
  localId: string;
  client: () => ClientIdentity;
  log: Logger;
  onDisable: (reason: string) => void;
}): Promise<GuardWiring> {
  const { spec, paths, log } = o;
  // The managed layer is verified (signed bundle) before the first call is decided: the proxy waits for this.
  const managed = await ManagedPolicyStore.open({ env: process.env, home: paths.home, userPolicy: paths.userPolicy });
  const policy = managed.policy;
  let engine: PolicyEngine;
  let redaction: readonly RedactionRule[];
  const takePolicy = () => {
    engine = policy.current().engine;
    redaction = engine.documents.flatMap((l) => l.doc.redaction ?? []);
    policy.problems.forEach((p) => log.log('error', formatFileProblem(p)));
  };
  takePolicy();
  const reloadPolicy = () => {
    managed.reload().then(takePolicy, (error: unknown) => log.log('error', `could not load the policy again: ${String(error)}`));
  };
  const stopPolicyWatch = managed.watch(() => {
    takePolicy();
    log.log('info', 'policy reloaded');
  });

  const pins = new FilePinBook(new PinStore(paths.pins), log);
  const approval = o.registered ? new ApprovalWatch(new ServerApprovalStore(paths.serverApprovals), o.registered, log) : undefined;
  const server = serverIdentity(spec, approval?.identity);
  const auditServer: ProxyServerIdentity =
    spec.kind === 'stdio' ? { name: spec.name, command: [spec.command, ...spec.args] } : { name: spec.name, url: redactUrl(spec.url) };
  const link = new ServiceLink({
    socketPath: paths.socket,
    tokenPath: paths.token,
    server: auditServer,
    client: o.client,
    spool: new Spool(paths.spoolDir, `${process.pid}-${o.localId}`),
    log,
    onChanged: (what) => (what === 'policy' ? reloadPolicy() : pins.reload()),
    onGrants: (grants) => {
      decider.grants = grants;
    },
    onSession: (sessionId) => {
      decider.sessionId = sessionId;
    },
    onDisable: o.onDisable,
  });
  const reporter = new AuditReporter(
    link,
    { ...auditServer, ...(server.package ? { package: server.package } : {}) },
    () => redaction,
    o.client,
    process.cwd(),
  );
  const decider = new PolicyDecider({
    server,
    projectDir: process.cwd(),
    engine: () => engine,
    pins,
    approver: link,
    ...(approval && o.registered ? { serverApproved: () => approval.approved, grantsSince: () => approval.approvedAt, serverId: o.registered.id } : {}),
    onPinChange: (change) => {
      log.log('warn', `tool definitions of "${spec.name}" changed since approval; held until approved (mcp-guard pins diff ${spec.name})`, {
        new: change.new.join(','),
        changed: change.changed.join(','),
        removed: change.removed.join(','),
        instructionsChanged: change.instructionsChanged,
      });
      reporter.note('pin-change', { ...change });
    },
  });
  link.start();
  reporter.note(
    'server-start',
    o.registered && approval
      ? {
          serverId: o.registered.id,
          approved: approval.approved,
          identity: approval.identity,
          ...(approval.identity.fileSha256 !== o.registered.identity.fileSha256 ? { wrappedIdentity: o.registered.identity } : {}),
          ...(approval.approvedBefore ? { approvedIdentity: approval.approvedBefore } : {}),
        }
      : {},
  );
  return {
    decider,
    reporter,
    link,
    stop: async () => {
      stopPolicyWatch();
      pins.close();
      approval?.close();
      reporter.note('server-stop', {});
      await link.close();
    },
  };
}

/** pins.json as the decider sees it: re-read when it changes on disk (an approval in the prompt), written through on updates. */
class FilePinBook implements PinBook {
  private servers: Record<string, ServerPins> = {};
  /** The file's stamp when this proxy last read or wrote it. */
  private seen: string | undefined;
  private readonly listener = () => this.reload();

  constructor(
    private readonly store: PinStore,
    private readonly log: Logger,
  ) {
    this.reload();
    watchFile(store.file, { interval: 400, persistent: false }, this.listener);
  }

  get(server: string): ServerPins | undefined {
    return this.servers[server];
  }

  set(server: string, pins: ServerPins): void {
    try {
      this.servers = this.store.updateServerSync(server, () => pins).servers;
      this.seen = fileStampSync(this.store.file);
    } catch (error) {
      this.log.log('error', error instanceof Error ? error.message : String(error));
    }
  }

  /** Reads the file again when it changed since this proxy last read or wrote it (the watch polls only every 400 ms). */
  refresh(): void {
    if (fileStampSync(this.store.file) !== this.seen) this.reload();
  }

  reload(): void {
    this.seen = fileStampSync(this.store.file);
    const loaded = this.store.loadSync();
    if (loaded.state === 'ok') {
      this.servers = loaded.pins.servers;
      return;
    }
    // An unreadable pin file holds every tool: trusting the lists anew would undo pinning.
    loaded.problems.forEach((p) => this.log.log('error', `${formatFileProblem(p)}; holding every tool until it is fixed (mcp-guard pins reset)`));
    this.servers = new Proxy<Record<string, ServerPins>>({}, { get: () => HOLD_ALL });
  }

  close(): void {
    unwatchFile(this.store.file, this.listener);
  }
}

const HOLD_ALL: ServerPins = {
  tools: {},
  instructions: { hash: '0'.repeat(64), text: null },
  pending: { tools: {}, instructions: { old: { hash: '0'.repeat(64), text: null }, new: { hash: '1'.repeat(64), text: null }, seenAt: 0 } },
};

/**
 * Whether the user approved the wrapped server's identity as it is now: the record's, with the
 * SHA-256 of its local file taken again at this launch (a replaced binary or script is a changed
 * server). Re-read when server-approvals.json changes, so an approval takes effect in the session.
 */
class ApprovalWatch {
  approved = false;
  /** When the identity in force was approved (ms): grants given before that were given to another identity, and do not count. */
  approvedAt: number | undefined;
  /** Not approved now, but approved as another identity before: that one (the audit event shows both). */
  approvedBefore: RegisteredIdentity | undefined;
  /** The identity at this launch; differs from the record's when the file changed since wrap. */
  readonly identity: RegisteredIdentity;
  private readonly listener = () => this.reload();

  constructor(
    private readonly store: ServerApprovalStore,
    private readonly record: ServerRecord,
    private readonly log: Logger,
  ) {
    this.identity = currentIdentitySync(record.identity);
    this.reload();
    if (!this.approved) this.approvedBefore = store.approvedIdentitySync(record.id);
    watchFile(store.file, { interval: 400, persistent: false }, this.listener);
  }

  private reload(): void {
    const was = this.approved;
    this.approved = this.store.isApprovedSync(this.record.id, this.identity);
    this.approvedAt = this.approved ? this.store.approvedAtSync(this.record.id) : undefined;
    if (!this.approved && (was || !this.warned)) {
      this.warned = true;
      const changed = this.identity.fileSha256 !== this.record.identity.fileSha256 ? ` (its file ${this.identity.file} changed since it was wrapped)` : '';
      this.log.log(
        'warn',
        `server "${this.record.name}" (${this.record.id}) is new or changed${changed} and not approved; its calls follow defaults.newServers until it is (mcp-guard servers approve ${this.record.id})`,
      );
    }
  }

  private warned = false;

  close(): void {
    unwatchFile(this.store.file, this.listener);
  }
}

function serverIdentity(spec: LaunchSpec, registered: RegisteredIdentity | undefined): ServerIdentity {
  if (spec.kind === 'http') return { name: spec.name, url: spec.url };
  const pkg = registered?.package ?? packageFromLaunch(spec.command, spec.args);
  if (registered?.fileSha256)
    return { name: spec.name, command: spec.command, args: spec.args, sha256: registered.fileSha256, ...(pkg ? { package: pkg } : {}) };
  return { name: spec.name, command: spec.command, args: spec.args, ...(pkg ? { package: pkg } : {}) };
}

/** A URL as audit events show it: no credentials, no query (tokens live there). */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}
