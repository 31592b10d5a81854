import type { Grant } from '../../shared/grant.js';
import { canonicalJson, sha256Hex, type HashFn } from '../common/canonical-json.js';

/** What a grant is checked against for one call. */
export type GrantCall = {
  server: string;
  tool: string;
  arguments: unknown;
  sessionId: string | undefined;
  now: number;
};

/** The limits policy puts on grants: the longest a user may give, and whether "always" is allowed. */
export type GrantLimits = { maxGrantMs: number | undefined; allowAlways: boolean };

/** The hash a `tool-exact-args` grant stores: SHA-256 of the arguments' canonical JSON (`{}` when absent). */
export function argumentsHash(args: unknown, hash: HashFn = sha256Hex): string {
  return hash(canonicalJson(args ?? {}));
}

/**
 * Why a grant is not honoured now, or undefined when it is live: expired, longer than policy
 * allows, an "always" grant where policy forbids them. Matching (scope, client) is separate.
 */
export function grantInvalidReason(grant: Grant, now: number, limits: GrantLimits): string | undefined {
  if (grant.expiresAt !== null && now >= grant.expiresAt) return 'expired';
  if (grant.lifetime.kind === 'always') {
    if (!limits.allowAlways) return 'policy no longer allows "always" grants';
    if (limits.maxGrantMs !== undefined) return 'policy limits grants to a maximum duration; "always" exceeds it';
  }
  if (limits.maxGrantMs !== undefined) {
    if (grant.expiresAt !== null && grant.expiresAt - grant.createdAt > limits.maxGrantMs) return 'longer than the longest grant policy allows';
    if (now - grant.createdAt > limits.maxGrantMs) return 'older than the longest grant policy allows';
  }
  return undefined;
}

/** Whether the grant covers this call: server, scope (tool / exact arguments / server) and client session. */
export function grantCovers(grant: Grant, call: GrantCall, hash: HashFn = sha256Hex): boolean {
  if (grant.server !== call.server) return false;
  if (grant.client.kind === 'session' && grant.client.sessionId !== call.sessionId) return false;
  switch (grant.scope.kind) {
    case 'server':
      return true;
    case 'tool-any-args':
      return grant.tool === call.tool;
    case 'tool-exact-args':
      return grant.tool === call.tool && grant.scope.argsHash === argumentsHash(call.arguments, hash);
  }
}

/** The first live grant covering the call, if any. */
export function findGrant(grants: readonly Grant[], call: GrantCall, limits: GrantLimits, hash: HashFn = sha256Hex): Grant | undefined {
  for (const grant of grants) {
    if (grantCovers(grant, call, hash) && grantInvalidReason(grant, call.now, limits) === undefined) return grant;
  }
  return undefined;
}
