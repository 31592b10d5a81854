import type { ClientIdentity } from './decider.js';
import { isObject } from './json-rpc.js';

const META_CLIENT_INFO = 'io.modelcontextprotocol/clientInfo';
const META_PROTOCOL = 'io.modelcontextprotocol/protocolVersion';

/**
 * Who the client is: from `initialize` (2024-11-05 … 2025-11-25) or from the `_meta` of each
 * request (2026-07-28, stateless). The latest statement wins.
 */
export class ClientIdentityTracker {
  current: ClientIdentity = {};

  observe(method: string, params: unknown): void {
    if (!isObject(params)) return;
    if (method === 'initialize') {
      this.update(params['clientInfo'], params['protocolVersion']);
      return;
    }
    const meta = params['_meta'];
    if (isObject(meta) && (META_CLIENT_INFO in meta || META_PROTOCOL in meta)) this.update(meta[META_CLIENT_INFO], meta[META_PROTOCOL]);
  }

  private update(info: unknown, protocolVersion: unknown): void {
    const next: ClientIdentity = { ...this.current };
    if (isObject(info)) {
      if (typeof info['name'] === 'string') next.name = info['name'];
      if (typeof info['version'] === 'string') next.version = info['version'];
    }
    if (typeof protocolVersion === 'string') next.protocolVersion = protocolVersion;
    this.current = next;
  }
}
