import type { PinBook } from '../../main/proxy/policy-decider.js';
import type { ServerPins } from '../../shared/pins.js';

/** A pin book in memory, for deciders under test: each `set` replaces the whole record, as the file store does. */
export class MemoryPins implements PinBook {
  servers: Record<string, ServerPins> = {};
  get(server: string): ServerPins | undefined {
    return this.servers[server];
  }
  set(server: string, pins: ServerPins): void {
    this.servers = { ...this.servers, [server]: pins };
  }
}
