import type { Grant } from '../../shared/grant.js';
import { grantInvalidReason } from './grant-match.js';
import type { PolicyEngine } from './policy-engine.js';

export type Reconciled = { kept: Grant[]; revoked: { grant: Grant; reason: string }[] };

/**
 * After a policy change: revokes grants that are expired, exceed the longest grant policy allows
 * (or are "always" grants where policy forbids them), or conflict with a managed deny or a managed
 * ask that allows no grants.
 */
export function reconcileGrants(grants: readonly Grant[], engine: PolicyEngine, now: number): Reconciled {
  const limits = { maxGrantMs: engine.defaults.maxGrantMs.value, allowAlways: engine.defaults.allowAlways.value };
  const out: Reconciled = { kept: [], revoked: [] };
  for (const grant of grants) {
    const reason = grantInvalidReason(grant, now, limits) ?? engine.managedGrantConflict(grant.server, grant.tool);
    if (reason) out.revoked.push({ grant, reason });
    else out.kept.push(grant);
  }
  return out;
}
