/**
 * One remote server's OAuth sign-in, done by the MCP SDK's client (`auth()`: RFC 9728 and RFC 8414
 * discovery, dynamic client registration, authorization code with PKCE, token exchange and refresh)
 * with a keychain-backed provider (./oauth-provider.ts). Here: when to ask the SDK, the loopback
 * listener and browser of an interactive sign-in, and one sign-in at a time (requests refused
 * together wait for the same one). Tokens are renewed before they expire, and when the server
 * refuses one. Loaded only when a server asks for OAuth (./oauth-gate.ts).
 *
 * Nothing here says a token: log lines name the server, errors pass through `scrub`.
 */
import { auth, extractWWWAuthenticateParams, type AuthResult } from '@modelcontextprotocol/sdk/client/auth.js';
import { OAuthError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { KeychainSecretStore } from '../../secrets/keychain.js';
import { openBrowser } from './browser.js';
import { HeaderSourceError, type HeaderValues } from './header-source.js';
import { describeNetworkError } from './http-failures.js';
import type { OAuthOptions } from './oauth-options.js';
import { KeychainOAuthProvider, NoOAuthMetadata, type HeldTokens, type SecretItems } from './oauth-provider.js';
import { duration, listenForRedirect, RedirectError, type RedirectListener } from './oauth-redirect.js';

export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;
/** After a failed refresh, a token that still works is used this long before refreshing is tried again. */
const REFRESH_RETRY_MS = 5_000;
const NONE: HeaderValues = Object.freeze({});

type Challenge = { resourceMetadataUrl?: URL | undefined; scope?: string | undefined };

/** The user would be asked a second time for one request: the server refused what the first sign-in gave. */
class SecondSignIn extends Error {}
/** The registered client's redirect URI is for a port this sign-in could not listen on: register again. */
class ClientForAnotherPort extends Error {}

export class OAuthSession {
  private readonly provider: KeychainOAuthProvider;
  private readonly timeoutMs: number;
  private queue: Promise<unknown> = Promise.resolve();
  /** Failed sign-ins so far, and the last one's error: requests that waited for it get it too, not a sign-in each. */
  private failures = 0;
  private lastFailure: HeaderSourceError | undefined;
  private headerOf: OAuthTokens | undefined;
  private header: HeaderValues = NONE;
  private refreshRetryAt = 0;
  /** What the server's last 401 pointed at. */
  private challenge: Challenge = {};
  private listener: RedirectListener | undefined;
  private closed = false;

  constructor(
    private readonly o: OAuthOptions,
    items: SecretItems = new KeychainSecretStore(),
    private readonly now: () => number = Date.now,
  ) {
    this.provider = new KeychainOAuthProvider(items, o.keychainId, (m) => o.log(`MCP server "${o.server}": ${m}`));
    this.timeoutMs = o.timeoutMs ?? SIGN_IN_TIMEOUT_MS;
  }

  /** The Authorization header: at once while the token is good, after a refresh once it is due. */
  headers(): HeaderValues | Promise<HeaderValues> {
    const held = this.provider.current;
    if (!held) return NONE;
    if (!this.refreshDue(held)) return this.headerFor(held);
    return this.serialized(() => {
      this.provider.reload();
      const again = this.provider.current;
      return again && this.refreshDue(again) ? this.authorize(this.challenge, true) : Promise.resolve(false); // else renewed meanwhile
    }).then(
      () => (this.provider.current ? this.headerFor(this.provider.current) : NONE),
      (error: unknown) => {
        const still = this.provider.current;
        if (!still || this.expired(still)) throw error;
        this.refreshRetryAt = this.now() + REFRESH_RETRY_MS;
        this.o.log(`MCP server "${this.o.server}": could not renew the sign-in before the token expires; using it meanwhile (${(error as Error).message})`);
        return this.headerFor(still);
      },
    );
  }

  challenged(response: Response, sent: string | null, mayAsk: boolean): Promise<boolean> {
    const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(response);
    // Kept for refreshing later: discovery must find the same authorization server, or the SDK drops the tokens.
    if (resourceMetadataUrl) this.challenge = { resourceMetadataUrl, scope };
    const failuresBefore = this.failures;
    return this.serialized(async () => {
      if (this.failures > failuresBefore && this.lastFailure) throw this.lastFailure;
      this.provider.reload();
      const held = this.provider.current;
      // Tokens from the keychain (a new launch, another proxy's refresh), or ones another request got meanwhile: try them first.
      if (held && this.headerFor(held)['authorization'] !== sent && !this.expired(held)) return false;
      return this.authorize({ resourceMetadataUrl, scope }, mayAsk);
    });
  }

  close(): void {
    this.closed = true;
    this.listener?.close();
  }

  /** Runs the SDK's flow: a refresh when it can, else a sign-in in the browser. Resolves whether the user was asked. */
  private async authorize(challenge: Challenge, mayAsk: boolean): Promise<boolean> {
    if (this.closed) throw this.explain(new RedirectError('closed', 'the proxy is closing'));
    const provider = this.provider;
    let listener: RedirectListener;
    try {
      listener = await listenForRedirect(provider.registeredPort(), (why) => this.o.log(`MCP server "${this.o.server}": ${why}`));
    } catch (error) {
      throw this.fail(error);
    }
    this.listener = listener;
    provider.redirectUrl = listener.url.href;
    let asked = false;
    provider.onRedirect = (url, state) => {
      if (!provider.clientFitsRedirect()) throw new ClientForAnotherPort();
      if (!mayAsk) throw new SecondSignIn();
      listener.expect(state ?? '');
      asked = true;
      this.o.log(
        `MCP server "${this.o.server}" at ${this.o.where} asks you to sign in (OAuth): open ${url.href} in your browser (MCP Guard is opening it; waiting up to ${duration(this.timeoutMs)})`,
      );
      openBrowser(url.href, this.o.env, (problem) => this.o.log(`MCP server "${this.o.server}": ${problem}`));
    };
    try {
      let result = await this.runAuth(challenge, undefined);
      if (result === 'REDIRECT') result = await this.runAuth(challenge, await listener.code(this.timeoutMs));
      if (result !== 'AUTHORIZED') throw new Error(`the sign-in ended without tokens (${String(result)})`);
      this.o.log(`MCP server "${this.o.server}": ${asked ? 'signed in' : 'renewed the sign-in'} (OAuth)`);
      return asked;
    } catch (error) {
      throw this.fail(error);
    } finally {
      listener.close();
      this.listener = undefined;
    }
  }

  private async runAuth(challenge: Challenge, authorizationCode: string | undefined): Promise<AuthResult> {
    const options = {
      serverUrl: this.o.serverUrl,
      ...(challenge.resourceMetadataUrl ? { resourceMetadataUrl: challenge.resourceMetadataUrl } : {}),
      ...(challenge.scope ? { scope: challenge.scope } : {}),
      ...(authorizationCode !== undefined ? { authorizationCode } : {}),
    };
    this.provider.requestedAt = this.now();
    try {
      return await auth(this.provider, options);
    } catch (error) {
      if (!(error instanceof ClientForAnotherPort)) throw error;
      // The port the client was registered for is taken: register again, for this one.
      this.provider.invalidateCredentials('client');
      this.provider.requestedAt = this.now();
      return auth(this.provider, options);
    }
  }

  private serialized<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private refreshDue(held: HeldTokens): boolean {
    const now = this.now();
    return held.refreshAt !== undefined && now >= held.refreshAt && (now >= this.refreshRetryAt || this.expired(held));
  }

  private expired(held: HeldTokens): boolean {
    return held.expiresAt !== undefined && this.now() >= held.expiresAt;
  }

  private headerFor(held: HeldTokens): HeaderValues {
    if (held.tokens !== this.headerOf) {
      this.headerOf = held.tokens;
      this.header = Object.freeze({ authorization: `Bearer ${held.tokens.access_token}` });
    }
    return this.header;
  }

  private fail(error: unknown): HeaderSourceError {
    const explained = this.explain(error);
    this.failures++;
    this.lastFailure = explained;
    return explained;
  }

  /** What the request that waited is told: what happened and what to do, with no token in it. */
  private explain(error: unknown): HeaderSourceError {
    const server = `MCP server "${this.o.server}" at ${this.o.where}`;
    if (error instanceof HeaderSourceError) return error;
    if (error instanceof RedirectError) {
      switch (error.kind) {
        case 'timeout':
          return new HeaderSourceError(
            `${server} asks you to sign in (OAuth), and ${error.message}; send the request again (or reconnect the server in your MCP client) to get a new sign-in link, then open it from the MCP log`,
          );
        case 'denied':
          return new HeaderSourceError(`signing in to ${server} did not complete: ${error.message}; send the request again to sign in again`);
        case 'closed':
          return new HeaderSourceError(`the sign-in to ${server} was stopped: ${error.message}`);
      }
    }
    if (error instanceof NoOAuthMetadata)
      return new HeaderSourceError(
        `${server} asks for a bearer token (HTTP 401), but publishes no OAuth metadata to sign in with (RFC 9728, RFC 8414); give the token with --header "Authorization: Bearer …", or in the server's entry`,
      );
    if (error instanceof SecondSignIn)
      return new HeaderSourceError(
        `${server} refused the credentials its sign-in just gave (HTTP 401 again); try again, and if it keeps refusing, check the server's OAuth set-up`,
      );
    if (error instanceof OAuthError) {
      const said = this.scrub(error.message.replace(/[^\x20-\x7e]/g, '').slice(0, 200));
      return new HeaderSourceError(
        `the authorization server of ${server} refused the sign-in (${JSON.stringify(error.errorCode)}${said ? `: ${JSON.stringify(said)}` : ''}); send the request again to sign in again`,
      );
    }
    return new HeaderSourceError(
      `could not sign in to ${server} (OAuth): ${describeNetworkError(error, this.scrub)}; check that the server and its authorization server are reachable, then try again`,
    );
  }

  private readonly scrub = (text: string): string => {
    let out = text;
    for (const secret of this.provider.secrets()) out = out.split(secret).join('[redacted]');
    return out;
  };
}
