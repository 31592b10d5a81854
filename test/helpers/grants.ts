import type { Grant } from '../../shared/grant.js';

/** A lasting grant for any arguments and any client: the shape a user's "Always allow" answer gives. */
export function alwaysGrant(server: string, tool: string, source: Grant['source'] = 'user'): Grant {
  return {
    id: 'g1',
    scope: { kind: 'tool-any-args' },
    client: { kind: 'any' },
    server,
    tool,
    createdAt: 1,
    expiresAt: null,
    lifetime: { kind: 'always' },
    source,
  };
}
