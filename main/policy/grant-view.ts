import type { Grant } from '../../shared/grant.js';
import type { GrantView } from '../../shared/policy-page.js';

/**
 * The grants in force as the Policy page lists them: expired ones left out (the service drops them
 * at the next call), newest first; the client session's id and the full argument hash stay in main.
 */
export function grantViews(grants: readonly Grant[], now: number, max: number): GrantView[] {
  return grants
    .filter((g) => g.expiresAt === null || g.expiresAt > now)
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, max)
    .map((g) => ({
      id: g.id,
      server: g.server,
      ...(g.tool !== undefined ? { tool: g.tool } : {}),
      scope: g.scope.kind,
      ...(g.scope.kind === 'tool-exact-args' ? { argsHash: g.scope.argsHash.slice(0, 12) } : {}),
      client: g.client.kind,
      lifetime: g.lifetime,
      createdAt: g.createdAt,
      expiresAt: g.expiresAt,
      source: g.source,
    }));
}
