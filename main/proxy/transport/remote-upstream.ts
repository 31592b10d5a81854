/**
 * The HTTP upstream as the proxy starts it: with a source for the header secrets of the server's
 * record that expire (credential helpers with a TTL), and with OAuth for a server that asks for
 * it, its tokens under the record's server id in the keychain (or, for `run --url`, an id made
 * from the URL). A server configured with its own Authorization header (a token, a helper, URL
 * credentials) gets no OAuth: that header is what the user chose to send.
 */
import type { LaunchSpec } from '../../../shared/launch-spec.js';
import type { ServerRecord } from '../../../shared/server-registry.js';
import { combineHeaderSources, type HeaderSource } from './header-source.js';
import { expiringHeaderSecrets, HelperHeaderSource } from './helper-headers.js';
import { describeTarget } from './http-target.js';
import { HttpUpstream } from './http-upstream.js';
import { keychainIdOfUrl, OAuthGate } from './oauth-gate.js';

export function remoteUpstream(
  spec: Extract<LaunchSpec, { kind: 'http' }>,
  record: ServerRecord | undefined,
  log: (message: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): HttpUpstream {
  const sources: HeaderSource[] = [];
  if (record && expiringHeaderSecrets(record.secrets).length > 0) {
    // The launch's values were resolved after this process started: counting their TTL from then never stretches it.
    sources.push(new HelperHeaderSource(spec.name, record.secrets, spec.headers, Math.floor(performance.timeOrigin)));
  }
  const serverUrl = oauthUrl(spec.url);
  const ownAuthorization = Object.keys(spec.headers).some((name) => name.toLowerCase() === 'authorization');
  let oauth: OAuthGate | undefined;
  if (serverUrl && !ownAuthorization && !hasCredentials(spec.url)) {
    const keychainId = record?.id ?? keychainIdOfUrl(serverUrl);
    oauth = new OAuthGate({ server: spec.name, where: describeTarget(spec), serverUrl, keychainId, log, env });
    sources.push(oauth);
  }
  const headerSource = combineHeaderSources(sources);
  return new HttpUpstream(spec, log, { ...(headerSource ? { headerSource } : {}), ...(oauth ? { onUnauthorized: oauth } : {}) });
}

/** Origin and path: what OAuth discovery and the resource indicator start from (never the query, which may hold secrets). */
function oauthUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return new URL(url.origin + url.pathname);
  } catch {
    return undefined; // start() reports it
  }
}

function hasCredentials(text: string): boolean {
  const url = new URL(text);
  return url.username !== '' || url.password !== '';
}
