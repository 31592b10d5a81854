/**
 * The MCP SDK's OAuthClientProvider for one remote server, backed by the OS keychain: the tokens
 * and the client the authorization server registered are items `oauth:tokens` and `oauth:client`
 * of the server's keychain id (main/secrets/keychain.ts), so a later launch signs in without the
 * browser. The PKCE verifier, the state and the discovery results live only in memory, for one
 * sign-in. A keychain that cannot be used is said once, and the sign-in works for this run only:
 * never a file instead.
 */
import { randomBytes } from 'node:crypto';
import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import { OAuthClientInformationFullSchema, OAuthTokensSchema } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { KeychainSecretStore } from '../../secrets/keychain.js';
import { REDIRECT_PATH } from './oauth-redirect.js';
import { OAUTH_CLIENT_ITEM, OAUTH_TOKENS_ITEM } from '../../secrets/keychain.js';

/** A token is refreshed this long before it expires, or at half its lifetime when that is shorter. */
const REFRESH_AHEAD_MS = 60_000;

/** Tokens with the times that matter to the proxy: when they stop working, and when to renew them first. */
export type HeldTokens = { tokens: OAuthTokens; expiresAt?: number; refreshAt?: number };

/** The server asked for a bearer token, but publishes neither RFC 9728 nor RFC 8414 metadata. */
export class NoOAuthMetadata extends Error {}

export type SecretItems = Pick<KeychainSecretStore, 'getSync' | 'setSync' | 'deleteSync'>;

export class KeychainOAuthProvider implements OAuthClientProvider {
  /** Set by the session to its listener's URL before each run of the SDK's `auth()`. */
  redirectUrl: string | undefined;
  /** When the token request the next `saveTokens` answers was sent: a lifetime counts from there. */
  requestedAt = 0;
  /** Called with the authorization URL (the session prints it and opens the browser). */
  onRedirect: (url: URL, state: string | undefined) => void | Promise<void> = () => undefined;
  private held: HeldTokens | undefined;
  private client: OAuthClientInformationMixed | undefined;
  private verifier: string | undefined;
  private sentState: string | undefined;
  private discovery: OAuthDiscoveryState | undefined;
  private keychainDown = false;

  constructor(
    private readonly items: SecretItems,
    private readonly keychainId: string,
    private readonly warn: (message: string) => void,
  ) {
    this.held = this.readTokens();
    this.client = this.readClient();
  }

  /** The tokens in hand (undefined before the first sign-in). */
  get current(): HeldTokens | undefined {
    return this.held;
  }

  /** Adopts tokens another proxy of this server stored since (it refreshed first): refresh tokens may be single-use. */
  reload(): void {
    const stored = this.readTokens();
    if (stored && stored.tokens.access_token !== this.held?.tokens.access_token && (stored.expiresAt ?? Infinity) >= (this.held?.expiresAt ?? 0))
      this.held = stored;
  }

  /** The port of the redirect URI the client was registered with, so a new sign-in can reuse it. */
  registeredPort(): number | undefined {
    const uris = this.client && 'redirect_uris' in this.client ? this.client.redirect_uris : [];
    const uri = uris.map(parseUrl).find((u) => u?.hostname === '127.0.0.1' && u.pathname === REDIRECT_PATH);
    return uri?.port ? Number(uri.port) : undefined;
  }

  /** Whether the registered client may be sent back to `redirectUrl` (registered for another port, it may not). */
  clientFitsRedirect(): boolean {
    if (!this.client || !('redirect_uris' in this.client) || this.redirectUrl === undefined) return true;
    return this.client.redirect_uris.includes(this.redirectUrl);
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'MCP Guard',
      redirect_uris: this.redirectUrl === undefined ? [] : [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  state(): string {
    this.sentState = randomBytes(32).toString('base64url');
    return this.sentState;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.client;
  }

  saveClientInformation(client: OAuthClientInformationMixed): void {
    this.client = client;
    this.write(OAUTH_CLIENT_ITEM, JSON.stringify(client), 'the client registration');
  }

  tokens(): OAuthTokens | undefined {
    return this.held?.tokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    const held: HeldTokens = { tokens };
    if (tokens.expires_in !== undefined && Number.isFinite(tokens.expires_in) && tokens.expires_in > 0) {
      const lifetime = tokens.expires_in * 1000;
      held.expiresAt = this.requestedAt + lifetime;
      held.refreshAt = held.expiresAt - Math.min(REFRESH_AHEAD_MS, lifetime / 2);
    }
    this.held = held;
    this.write(OAUTH_TOKENS_ITEM, JSON.stringify(held), 'the tokens');
  }

  redirectToAuthorization(url: URL): void | Promise<void> {
    return this.onRedirect(url, this.sentState);
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (this.verifier === undefined) throw new Error('no sign-in is under way (no PKCE code verifier)');
    return this.verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    // Without either document there is nothing to sign in with: say so before registering at a guessed URL.
    if (!state.resourceMetadata && !state.authorizationServerMetadata) throw new NoOAuthMetadata();
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'client') {
      this.client = undefined;
      this.remove(OAUTH_CLIENT_ITEM);
    }
    if (scope === 'all' || scope === 'tokens') {
      this.held = undefined;
      this.remove(OAUTH_TOKENS_ITEM);
    }
    if (scope === 'all' || scope === 'verifier') this.verifier = undefined;
    if (scope === 'all' || scope === 'discovery') this.discovery = undefined;
  }

  /** Values to keep out of any text the proxy shows: tokens, the client secret, the verifier. */
  secrets(): string[] {
    const t = this.held?.tokens;
    const secret = this.client?.client_secret;
    return [t?.access_token, t?.refresh_token, t?.id_token, secret, this.verifier].filter((s): s is string => s !== undefined && s.length >= 4);
  }

  private readTokens(): HeldTokens | undefined {
    const value = this.read(OAUTH_TOKENS_ITEM, 'the tokens');
    if (!isObject(value)) return undefined;
    const tokens = OAuthTokensSchema.safeParse(value['tokens']);
    if (!tokens.success) return this.unreadable('the tokens');
    const held: HeldTokens = { tokens: tokens.data };
    if (typeof value['expiresAt'] === 'number') held.expiresAt = value['expiresAt'];
    if (typeof value['refreshAt'] === 'number') held.refreshAt = value['refreshAt'];
    return held;
  }

  private readClient(): OAuthClientInformationMixed | undefined {
    const value = this.read(OAUTH_CLIENT_ITEM, 'the client registration');
    if (value === undefined) return undefined;
    const client = OAuthClientInformationFullSchema.safeParse(value);
    return client.success ? client.data : this.unreadable('the client registration');
  }

  private read(item: string, what: string): unknown {
    if (this.keychainDown) return undefined;
    let text: string | undefined;
    try {
      text = this.items.getSync(this.keychainId, item);
    } catch (error) {
      this.keychainDown = true;
      this.warn(`could not read ${what} of the sign-in from the OS keychain, so signing in again: ${message(error)}`);
      return undefined;
    }
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return this.unreadable(what);
    }
  }

  private unreadable(what: string): undefined {
    this.warn(`${what} of the sign-in in the OS keychain (${this.keychainId}:oauth:…) do not read as MCP Guard wrote them; signing in again replaces them`);
    return undefined;
  }

  private write(item: string, text: string, what: string): void {
    if (this.keychainDown) return;
    try {
      this.items.setSync(this.keychainId, item, text);
    } catch (error) {
      this.keychainDown = true;
      this.warn(
        `could not store ${what} of the sign-in in the OS keychain; they are kept for this run only, so the next launch signs in again: ${message(error)}`,
      );
    }
  }

  private remove(item: string): void {
    if (this.keychainDown) return;
    try {
      this.items.deleteSync(this.keychainId, item);
    } catch (error) {
      this.warn(`could not remove the stale ${item} item of the sign-in from the OS keychain: ${message(error)}`);
    }
  }
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The keychain's errors carry no values (main/secrets/keychain.ts scrubs them). */
function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/^mcp-guard: /, '');
}
