import { MAX_GRANTS, type GrantRevoke, type GrantView } from '../../shared/policy-page.js';
import { grantViews } from '../policy/grant-view.js';
import type { IpcHandler } from './handle.js';
import type { PageContext } from './page-context.js';

type GrantChannels = 'grants:list' | 'grants:revoke';

/**
 * The grants in force and their revocation, for the Policy page. Revoking only ever takes a
 * permission away, so it needs no revision: a grant already gone counts 0 and the page says so.
 * The service pushes the smaller set to the proxies at once (ServiceGrants.onDidChange).
 */
export function grantsHandlers(ctx: PageContext): { readonly [C in GrantChannels]: IpcHandler<C> } {
  return {
    'grants:list': () => grantsInForce(ctx),
    'grants:revoke': (which) => ({ revoked: revoke(ctx, which) }),
  };
}

function revoke(ctx: PageContext, which: GrantRevoke): number {
  switch (which.kind) {
    case 'one':
      return ctx.service.revokeGrant(which.id);
    case 'server':
      return ctx.service.revokeServerGrants(which.server);
    case 'all':
      return ctx.service.revokeAllGrants();
    default:
      return assertNever(which);
  }
}

function grantsInForce(ctx: PageContext): GrantView[] {
  return grantViews(ctx.service.grants.list(), ctx.now(), MAX_GRANTS);
}

/** `grants:changed`: the whole list again after each grant made, revoked or expired. */
export function grantEvents(ctx: PageContext): { onDidChange(listener: (grants: GrantView[]) => void): () => void } {
  return { onDidChange: (listener) => ctx.service.grants.onDidChange(() => listener(grantsInForce(ctx))) };
}

function assertNever(value: never): never {
  throw new Error(`grants:revoke: unknown selection ${JSON.stringify(value)}`);
}
