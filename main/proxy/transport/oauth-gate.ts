/**
 * OAuth for remote MCP servers that ask for it (MCP authorization: a 401 whose WWW-Authenticate is
 * a Bearer challenge, pointing at RFC 9728 metadata). The upstream asks the gate about each 401; the
 * gate loads the part built on the MCP SDK (./oauth-session.ts) on the first one that asks, so a
 * server that never does costs nothing: no SDK, no keychain read. Afterwards the gate is also the
 * upstream's source of the Authorization header.
 */
import { createHash } from 'node:crypto';
import { HeaderSourceError, type HeaderSource, type HeaderValues } from './header-source.js';
import type { OAuthOptions } from './oauth-options.js';
import type { OAuthSession } from './oauth-session.js';

/** A 401 the upstream may be able to get past; see HttpUpstream's `post`. */
export interface UnauthorizedHandler {
  /** Whether the 401 asks for something this handler can get. */
  wants(response: Response): boolean;
  /**
   * Gets credentials for sending the request again; throws a HeaderSourceError saying what to do
   * when it cannot. `sent`: the Authorization header of the refused request. `mayAsk`: whether the
   * user may be asked to sign in (false once this request had its sign-in). Resolves whether the user was asked.
   */
  challenged(response: Response, sent: string | null, mayAsk: boolean): Promise<boolean>;
  /** The upstream is closing: any sign-in waiting is abandoned. */
  close(): void;
}

const BEARER = /^\s*bearer(?:\s|$)/i;
const NONE: HeaderValues = Object.freeze({});

/**
 * The keychain id of a server started with `run --url` (no registry record): stable across launches,
 * derived from origin and path only (the query may hold secrets and change). It has the server id
 * shape main/secrets/keychain.ts requires of every account, in a client slot no client has ("url").
 */
export function keychainIdOfUrl(url: URL): string {
  return `url/user/${createHash('sha256')
    .update(url.origin + url.pathname)
    .digest('hex')
    .slice(0, 32)}`;
}

export class OAuthGate implements UnauthorizedHandler, HeaderSource {
  private session: OAuthSession | undefined;
  private loading: Promise<OAuthSession> | undefined;
  private closed = false;

  constructor(private readonly o: OAuthOptions) {}

  wants(response: Response): boolean {
    return !this.closed && BEARER.test(response.headers.get('www-authenticate') ?? '');
  }

  headers(): HeaderValues | Promise<HeaderValues> {
    return this.session ? this.session.headers() : NONE;
  }

  async challenged(response: Response, sent: string | null, mayAsk: boolean): Promise<boolean> {
    const session = await (this.loading ??= this.load());
    return session.challenged(response, sent, mayAsk);
  }

  close(): void {
    this.closed = true;
    this.session?.close();
  }

  private async load(): Promise<OAuthSession> {
    const module = await import('./oauth-session.js').catch((error: unknown) => {
      this.loading = undefined;
      const why = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : String(error);
      throw new HeaderSourceError(
        `MCP server "${this.o.server}" at ${this.o.where} asks you to sign in (OAuth), but MCP Guard could not load its OAuth support (${why}); reinstall MCP Guard`,
      );
    });
    this.session = new module.OAuthSession(this.o);
    if (this.closed) this.session.close();
    return this.session;
  }
}
