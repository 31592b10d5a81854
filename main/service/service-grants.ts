import type { Decision } from '../../shared/decision.js';
import { Emitter, type Event } from '../common/emitter.js';
import type { Grant } from '../../shared/grant.js';
import { decisionOf, type PolicyEngine } from '../policy/policy-engine.js';
import { reconcileGrants } from '../policy/grant-reconcile.js';
import type { ApprovalRequest, GrantKeeper } from './approval-broker.js';

export interface GrantPersistence {
  load(): Grant[];
  save(grants: readonly Grant[]): void;
}

export type GrantChange = { kind: 'grant-created' | 'grant-revoked'; grant: Grant; reason: string };

/**
 * The grants the service holds: checked through the policy engine (so a managed rule that forbids
 * grants, or a managed maximum, still wins), persisted, and reconciled when policy changes.
 * Session grants live only in memory: they end with the service or the client session.
 */
export class ServiceGrants implements GrantKeeper {
  private grants: Grant[];
  private readonly changes: Emitter<GrantChange>;
  /** A grant was created or revoked (expired, reconciled away, its session ended): one event per grant. */
  readonly onDidChange: Event<GrantChange>;

  constructor(
    private readonly persistence: GrantPersistence,
    private engine: () => PolicyEngine,
    onListenerError: (error: unknown) => void = () => undefined,
  ) {
    this.grants = persistence.load();
    this.changes = new Emitter(onListenerError);
    this.onDidChange = this.changes.event;
  }

  list(): readonly Grant[] {
    return this.grants;
  }

  covering(request: ApprovalRequest, now: number): Decision | undefined {
    this.dropExpired(now);
    if (this.grants.length === 0) return undefined;
    const evaluation = this.engine().evaluate({
      server: { name: request.server },
      tool: request.call.tool,
      arguments: request.call.arguments,
      client: { ...(request.client.name ? { name: request.client.name } : {}), sessionId: request.sessionId },
      grants: this.grants,
      now,
    });
    if (evaluation.effect !== 'allow' || evaluation.layer !== 'grant') return undefined;
    return decisionOf(evaluation);
  }

  add(grant: Grant): void {
    this.grants = [...this.grants, grant];
    this.persist();
    this.changes.fire({ kind: 'grant-created', grant, reason: 'answered an approval prompt' });
  }

  /** Revokes the grants `which` selects; returns how many. */
  revoke(which: (g: Grant) => boolean, reason: string): number {
    const gone = this.grants.filter(which);
    if (gone.length === 0) return 0;
    this.grants = this.grants.filter((g) => !which(g));
    this.persist();
    for (const grant of gone) this.changes.fire({ kind: 'grant-revoked', grant, reason });
    return gone.length;
  }

  /** After a policy change: grants that now exceed the managed maximum or meet a managed deny go. */
  reconcile(now: number): void {
    const { revoked } = reconcileGrants(this.grants, this.engine(), now);
    for (const { grant, reason } of revoked) this.revoke((g) => g.id === grant.id, reason);
  }

  /** A client session ended: its session grants end with it. */
  endSession(sessionId: string): void {
    this.revoke((g) => g.client.kind === 'session' && g.client.sessionId === sessionId, 'the client session ended');
  }

  private dropExpired(now: number): void {
    if (this.grants.some((g) => g.expiresAt !== null && g.expiresAt <= now)) {
      this.revoke((g) => g.expiresAt !== null && g.expiresAt <= now, 'expired');
    }
  }

  private persist(): void {
    this.persistence.save(this.grants.filter((g) => g.lifetime.kind !== 'session'));
  }
}
