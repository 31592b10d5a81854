/**
 * The guard service: the long-running part of MCP Guard. In the desktop app it runs in Electron's
 * main process; headless it is `mcp-guard serve`. It never imports electron. It holds the pending
 * approvals and the grants, writes the audit log, and answers the proxies on the local endpoint.
 */
import type { ServiceStatus, SyncResult } from '../../shared/proxy-protocol.js';
import type { GuardPaths } from '../store/guard-paths.js';
import type { Logger } from '../common/logger.js';
import { AuditIntake } from '../audit/audit-intake.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { ServiceEvent } from '../audit/audit-intake.js';
import { ingestOrphanSpools } from '../audit/orphan-spools.js';
import { ApprovalBroker, systemClock, type Clock, type PendingApproval, type UserAnswer } from './approval-broker.js';
import { ProxyEndpoint, type EndpointHandler, type Hello, type ProxyConnection } from './proxy-endpoint.js';
import { ProxySessions } from './proxy-sessions.js';
import type { PolicySource } from '../store/policy-source.js';
import { ServiceGrants, type GrantChange, type GrantPersistence } from './service-grants.js';
import type { GuardStatus } from '../../shared/approvals.js';
import { Emitter } from '../common/emitter.js';
import { PinStore } from '../store/pin-store.js';
import { ServerApprovalStore } from '../store/server-approvals.js';
import { ServerRegistry } from '../store/server-registry.js';
import { ApprovalDesk } from './approval-desk.js';
import { ServerFacts } from './server-facts.js';
import { ToolChanges } from './tool-changes.js';

export type GuardServiceDeps = {
  paths: GuardPaths;
  log: Logger;
  audit: AuditLog;
  policy: PolicySource;
  grants: GrantPersistence;
  deviceId: string;
  osUser: string;
  clock?: Clock;
  /** Fetches the signed managed policy at once (`mcp-guard sync now`); absent without a managed configuration. */
  syncNow?: () => Promise<SyncResult>;
};

export class GuardService {
  readonly broker: ApprovalBroker;
  readonly grants: ServiceGrants;
  /** What the UI shows of the pending approvals and the only way its answers reach them. */
  readonly desk: ApprovalDesk;
  private readonly toolChanges: ToolChanges;
  private readonly statusChanges: Emitter<GuardStatus>;
  private readonly endpoint: ProxyEndpoint;
  private readonly sessions: ProxySessions;
  private readonly intake: AuditIntake;
  private readonly disabled = new Map<string, string>();
  private readonly started = new Date();
  private readonly clients = new Map<ProxyConnection, Hello['client']>();
  private stopWatching: () => void = () => undefined;

  private constructor(private readonly d: GuardServiceDeps) {
    const clock = d.clock ?? systemClock;
    this.intake = new AuditIntake(d.audit, { deviceId: d.deviceId, osUser: d.osUser });
    this.grants = new ServiceGrants(
      d.grants,
      () => d.policy.current().engine,
      (error) => d.log.log('error', `a grant change listener failed: ${String(error)}`),
    );
    // One event per grant change; the audit record and the push to proxies each listen to it.
    this.grants.onDidChange((change) => this.auditGrant(change));
    this.grants.onDidChange(() => this.pushGrantsToAll());
    this.broker = new ApprovalBroker(this.grants, () => this.limits(), clock);
    this.toolChanges = new ToolChanges(
      new PinStore(d.paths.pins),
      d.log,
      () => clock.now(),
      (approved) =>
        this.record('a pin approval', {
          kind: 'pin-approved',
          server: { name: approved.server },
          ...(approved.tool ? { tool: approved.tool } : {}),
          detail: { hash: approved.hash, approver: d.osUser, via: 'prompt' },
        }),
    );
    const servers = new ServerFacts(new ServerRegistry(d.paths.servers), new ServerApprovalStore(d.paths.serverApprovals), (approved) =>
      this.record('a server approval', {
        kind: 'server-approved',
        server: { name: approved.name },
        detail: { serverId: approved.id, identityHash: approved.identityHash, identity: approved.identity, approver: d.osUser, via: 'prompt' },
      }),
    );
    this.desk = new ApprovalDesk({ broker: this.broker, toolChanges: this.toolChanges, servers, clock, approver: d.osUser });
    this.statusChanges = new Emitter<GuardStatus>((error) => d.log.log('error', `a status listener failed: ${String(error)}`));
    this.broker.onDidChange(() => this.statusChanged());
    this.sessions = new ProxySessions((id) => this.grants.endSession(id), clock);
    this.endpoint = new ProxyEndpoint(d.paths, this.handler(), d.log, this.sessions);
  }

  static async start(deps: GuardServiceDeps): Promise<GuardService> {
    const service = new GuardService(deps);
    await service.intake.rememberRecent();
    await service.endpoint.listen();
    try {
      await service.ingestOrphanSpools();
      const stopPolicy = deps.policy.watch(() => service.policyChanged());
      service.toolChanges.start();
      service.stopWatching = () => {
        stopPolicy();
        service.toolChanges.stop();
      };
    } catch (error) {
      // Not a service that looks alive (socket open, status answering) and records nothing.
      service.stopWatching();
      await service.endpoint.close();
      throw new Error(
        `the service's start-up failed, so it closed its endpoint ${deps.paths.socket} again: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    deps.log.log('info', 'MCP Guard service started', { socket: deps.paths.socket, pid: process.pid });
    return service;
  }

  // ── the in-process API (the app UI and tests; never reachable from a proxy or the CLI) ──

  pendingApprovals(): PendingApproval[] {
    return this.broker.pending();
  }

  answer(id: string, answer: UserAnswer, approver = this.d.osUser): void {
    this.broker.answer(id, answer, approver);
  }

  setInteracting(id: string, interacting: boolean): void {
    this.broker.setInteracting(id, interacting);
  }

  revokeGrant(id: string): number {
    return this.grants.revoke((g) => g.id === id, 'revoked by the user');
  }

  revokeServerGrants(server: string): number {
    return this.grants.revoke((g) => g.server === server, `revoked all grants of server "${server}"`);
  }

  revokeAllGrants(): number {
    return this.grants.revoke(() => true, 'revoked all grants');
  }

  /** Denies the server's calls from now on and ends its running upstream processes. */
  disableServer(server: string, reason = `server "${server}" was disabled in MCP Guard`): void {
    this.disabled.set(server, reason);
    this.broker.withdraw(reason, server);
    // After the withdrawn calls' denials have gone out, so each held call gets its own answer.
    setImmediate(() => {
      for (const peer of this.endpoint.peers) if (peer.hello.server?.name === server) peer.send({ type: 'disable', reason });
    });
  }

  enableServer(server: string): void {
    this.disabled.delete(server);
  }

  /** An event of the service's own (drift seen, a server re-wrapped) into the audit log; resolves when it is durable. */
  note(event: ServiceEvent): Promise<void> {
    return this.intake.note(event);
  }

  status(): ServiceStatus {
    const policy = this.d.policy.current();
    return {
      pid: process.pid,
      since: this.started.toISOString(),
      proxies: this.endpoint.peers
        .filter((p) => p.session !== undefined)
        .map((p) => ({
          sessionId: p.session!,
          pid: p.hello.pid,
          server: p.hello.server?.name ?? '?',
          ...(this.clients.get(p)?.name ? { client: this.clients.get(p)!.name! } : {}),
          since: p.since.toISOString(),
        })),
      pendingApprovals: this.broker.pending().length,
      policy: { ...policy.versions, problems: policy.problems, ...(policy.managed ? { managed: policy.managed } : {}) },
    };
  }

  /** The status line of the app: what `status()` says, in the UI's terms. */
  uiStatus(): GuardStatus {
    const s = this.status();
    return { pendingApprovals: s.pendingApprovals, proxies: s.proxies.length, policy: s.policy };
  }

  /** Proxies came or went, the pending count or the policy changed. */
  get onDidChangeStatus() {
    return this.statusChanges.event;
  }

  private statusChanged(): void {
    this.statusChanges.fire(this.uiStatus());
  }

  async stop(): Promise<void> {
    this.stopWatching();
    this.broker.withdraw('MCP Guard is shutting down');
    await this.endpoint.close();
    this.sessions.close();
    await this.d.audit.close();
  }

  // ── proxies ────────────────────────────────────────────────────────────────────────────

  private handler(): EndpointHandler {
    return {
      connected: (c) => {
        this.clients.set(c, c.hello.client);
        this.pushGrants(c);
        this.statusChanged();
        const server = c.hello.server?.name;
        const reason = server === undefined ? undefined : this.disabled.get(server);
        if (reason) c.send({ type: 'disable', reason });
      },
      // The session (and its grants) outlives a dropped connection briefly: see ProxySessions.
      disconnected: (c) => {
        this.clients.delete(c);
        this.statusChanged();
      },
      message: (c, m) => {
        switch (m.type) {
          case 'client':
            this.clients.set(c, m.client);
            return;
          case 'status':
            return c.send({ type: 'status', status: this.status() });
          case 'sync-now':
            return this.syncNow(c);
          case 'decide':
            return this.decide(c, m.corr, m.call);
          case 'bye':
            if (c.session) this.sessions.end(c.session);
            return c.close();
          case 'events':
            this.intake.record(m.events, { pid: c.hello.pid, cwd: c.hello.cwd }).then(
              () => c.send({ type: 'recorded', corr: m.corr }),
              (error: unknown) => this.d.log.log('error', `could not record audit events: ${String(error)}`),
            );
            return;
        }
      },
    };
  }

  private decide(c: ProxyConnection, corr: number, call: Parameters<ApprovalBroker['request']>[0]['call']): void {
    const server = c.hello.server?.name ?? '?';
    const disabled = this.disabled.get(server);
    if (disabled) return c.send({ type: 'decision', corr, decision: { ...call.decision, effect: 'deny', reason: disabled } });
    const client = this.clients.get(c) ?? {};
    const sessionId = c.session;
    if (sessionId === undefined) return; // only proxies may decide (MESSAGES_BY_ROLE), and every proxy has a session
    void this.broker
      .request({
        sessionId,
        client: { ...client, pid: c.hello.pid, ...(c.hello.cwd ? { cwd: c.hello.cwd } : {}) },
        server,
        launch: launchOf(c.hello.server),
        call,
      })
      .then((v) => c.send({ type: 'decision', corr, decision: v.decision, ...(v.approval ? { approval: v.approval } : {}) }));
  }

  private syncNow(c: ProxyConnection): void {
    const sync = this.d.syncNow ?? (() => Promise.resolve<SyncResult>({ outcome: 'not-configured' }));
    sync().then(
      (result) => c.send({ type: 'synced', result, status: this.status() }),
      (error: unknown) => c.send({ type: 'synced', result: { outcome: 'unreachable', message: String(error) }, status: this.status() }),
    );
  }

  /** Spools left by proxies that ended while the service was away (see orphan-spools.ts). */
  private async ingestOrphanSpools(): Promise<void> {
    await ingestOrphanSpools({ spoolDir: this.d.paths.spoolDir, log: this.d.log, record: (events) => this.intake.record(events), processRuns });
  }

  private policyChanged(): void {
    const policy = this.d.policy.current();
    this.grants.reconcile(Date.now());
    this.endpoint.broadcast({ type: 'changed', what: 'policy' });
    this.pushGrantsToAll();
    this.statusChanged();
    this.record('a policy change', { kind: 'policy-change', detail: { ...policy.versions, problems: policy.problems } });
  }

  /** An event of the service's own into the audit log, in the background; a failure is logged. */
  private record(what: string, event: ServiceEvent): void {
    this.intake.note(event).catch((error: unknown) => this.d.log.log('error', `could not record ${what}: ${String(error)}`));
  }

  private auditGrant(change: GrantChange): void {
    const { grant } = change;
    this.record('a grant change', {
      kind: change.kind,
      server: { name: grant.server },
      ...(grant.tool ? { tool: grant.tool } : {}),
      detail: { grantId: grant.id, scope: grant.scope.kind, lifetime: grant.lifetime.kind, expiresAt: grant.expiresAt, reason: change.reason },
    });
  }

  private pushGrantsToAll(): void {
    for (const peer of this.endpoint.peers) this.pushGrants(peer);
  }

  /** A proxy gets the grants of its server that are for any client or for its own session. */
  private pushGrants(c: ProxyConnection): void {
    if (c.hello.role !== 'proxy') return;
    const server = c.hello.server?.name;
    const grants = this.grants.list().filter((g) => g.server === server && (g.client.kind === 'any' || g.client.sessionId === c.session));
    c.send({ type: 'grants', grants });
  }

  private limits() {
    const defaults = this.d.policy.current().engine.defaults;
    return {
      timeoutMs: defaults.promptTimeoutSeconds.value * 1000,
      allowAlways: defaults.allowAlways.value,
      maxGrantMs: defaults.maxGrantMs.value,
    };
  }
}

function launchOf(server: Hello['server']): { command?: string[]; url?: string } {
  return { ...(server?.command ? { command: server.command } : {}), ...(server?.url !== undefined ? { url: server.url } : {}) };
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
