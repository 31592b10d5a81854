/**
 * The headers of each request to a remote MCP server: the configured ones, those of a header
 * source (values that change while the proxy runs), and the protocol's own (session id, protocol
 * version, and the 2026-07-28 revision's method and name). Values a source hands out join the
 * upstream's list of secrets, so no log line or error shows them.
 */
import { isObject, type JsonObject } from '../json-rpc.js';
import type { HeaderSource, HeaderValues } from './header-source.js';
import { headerValue } from './http-target.js';

const META_VERSION = 'io.modelcontextprotocol/protocolVersion';
/** Changed values kept for scrubbing, besides the configured ones: a token renewed hourly for days stays well under. */
const MAX_REMEMBERED = 64;

export class RequestHeaders {
  configured = new Headers();
  sessionId: string | undefined;
  negotiatedVersion: string | undefined;
  private statelessVersion: string | undefined;
  private lastAdded: HeaderValues | undefined;
  private readonly fixedSecrets: number;

  constructor(
    private readonly source: HeaderSource | undefined,
    /** The upstream's secrets, which this list extends with the values the source hands out. */
    private readonly secrets: string[],
  ) {
    this.fixedSecrets = secrets.length;
  }

  /** At once, unless the source has to fetch a value first; rejects with the source's error (a HeaderSourceError). */
  for(message: JsonObject | undefined, method: string | undefined): Headers | Promise<Headers> {
    const added = this.source?.headers();
    if (added instanceof Promise) return added.then((a) => this.build(message, method, a));
    return this.build(message, method, added);
  }

  /** The headers of a request outside any message (ending the session), given up on when `signal` aborts. */
  async within(signal: AbortSignal): Promise<Headers> {
    const pending = this.for(undefined, undefined);
    if (!(pending instanceof Promise)) return pending;
    const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
    return Promise.race([pending, aborted]);
  }

  private build(message: JsonObject | undefined, method: string | undefined, added: HeaderValues | undefined): Headers {
    const headers = new Headers(this.configured);
    if (added) {
      if (added !== this.lastAdded) this.remember(added);
      for (const name in added) headers.set(name, added[name]!);
    }
    headers.set('content-type', 'application/json');
    headers.set('accept', 'application/json, text/event-stream');
    if (this.sessionId !== undefined && method !== 'initialize') headers.set('mcp-session-id', this.sessionId);
    const params = message?.['params'];
    const meta = isObject(params) ? params['_meta'] : undefined;
    const metaVersion = isObject(meta) && typeof meta[META_VERSION] === 'string' ? meta[META_VERSION] : undefined;
    if (metaVersion !== undefined) this.statelessVersion = metaVersion;
    const stateless = metaVersion !== undefined || (this.negotiatedVersion === undefined && this.statelessVersion !== undefined);
    const version = metaVersion ?? (method === 'initialize' ? undefined : (this.negotiatedVersion ?? this.statelessVersion));
    if (version !== undefined) headers.set('mcp-protocol-version', headerValue(version));
    if (stateless && method !== undefined) {
      headers.set('mcp-method', headerValue(method));
      const name = !isObject(params)
        ? undefined
        : method === 'resources/read'
          ? params['uri']
          : method === 'tools/call' || method === 'prompts/get'
            ? params['name']
            : undefined;
      if (typeof name === 'string') headers.set('mcp-name', headerValue(name));
    }
    return headers;
  }

  /** A value and, for `Scheme credentials`, the credentials alone: a server may echo either. */
  private remember(added: HeaderValues): void {
    this.lastAdded = added;
    for (const value of Object.values(added)) {
      const credentials = /^\S+ +(\S{3,})$/.exec(value)?.[1];
      for (const secret of [value, credentials]) if (secret !== undefined && secret.length >= 3 && !this.secrets.includes(secret)) this.secrets.push(secret);
    }
    if (this.secrets.length > this.fixedSecrets + MAX_REMEMBERED)
      this.secrets.splice(this.fixedSecrets, this.secrets.length - this.fixedSecrets - MAX_REMEMBERED);
  }
}
