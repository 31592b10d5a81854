import type { Logger } from '../common/logger.js';
import type { Decider } from './decider.js';
import type { ClientIdentity } from '../../shared/proxy-protocol.js';
import type { InFlight } from './in-flight.js';
import type { JsonObject } from './json-rpc.js';
import type { UpstreamExit } from './transport/upstream.js';

/** What the guard proxy hands to its parts (the tool-call gate, the tool-list guard): its state and how to reach the server. */
export type GuardParts = {
  server: string;
  decider: Decider;
  inFlight: InFlight;
  log: Logger;
  client: () => ClientIdentity;
  now: () => number;
  /** Why the server is gone, once it is: then nothing more is sent to it. */
  serverGone: () => UpstreamExit | undefined;
  forward: (message: JsonObject) => void;
};
