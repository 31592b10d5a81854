import type { ClientIdentity } from '../../shared/proxy-protocol.js';
import { isObject } from './json-rpc.js';

const META_CLIENT_INFO = 'io.modelcontextprotocol/clientInfo';
const META_PROTOCOL = 'io.modelcontextprotocol/protocolVersion';

/**
 * Who the client is: from `initialize` (2024-11-05 … 2025-11-25) or from the `_meta` of each
 * request (2026-07-28, stateless). The latest statement wins; `current` is a new object only when
 * the identity changed (the audit reporter builds its client once per object).
 */
export class ClientIdentityTracker {
  current: ClientIdentity = {};

  /** Reads what a request says of the client; true when that changed who the client is. */
  observe(method: string, params: unknown): boolean {
    if (!isObject(params)) return false;
    if (method === 'initialize') return this.update(params['clientInfo'], params['protocolVersion']);
    const meta = params['_meta'];
    if (isObject(meta) && (META_CLIENT_INFO in meta || META_PROTOCOL in meta)) return this.update(meta[META_CLIENT_INFO], meta[META_PROTOCOL]);
    return false;
  }

  private update(info: unknown, protocolVersion: unknown): boolean {
    const next: ClientIdentity = { ...this.current };
    if (isObject(info)) {
      if (typeof info['name'] === 'string') next.name = info['name'];
      if (typeof info['version'] === 'string') next.version = info['version'];
    }
    if (typeof protocolVersion === 'string') next.protocolVersion = protocolVersion;
    const { current } = this;
    if (next.name === current.name && next.version === current.version && next.protocolVersion === current.protocolVersion) return false;
    this.current = next;
    return true;
  }
}
