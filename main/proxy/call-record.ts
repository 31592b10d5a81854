import type { Verdict } from './decider.js';
import type { ClientIdentity } from '../../shared/proxy-protocol.js';
import type { RequestId } from './json-rpc.js';

export type CallOutcome =
  | { kind: 'ok'; sizeBytes: number }
  | { kind: 'tool-error'; sizeBytes: number }
  | { kind: 'protocol-error'; code: number; sizeBytes: number }
  | { kind: 'denied' }
  | { kind: 'cancelled' }
  | { kind: 'server-exited' };

/** One decided tool call, handed to the audit sink when it is over. Arguments are raw: redact before storing. */
export type CallRecord = {
  requestId: RequestId;
  server: string;
  tool: string;
  arguments: unknown;
  client: ClientIdentity;
  decision: Verdict;
  /** Milliseconds from the client's request to the decision, and to the end of the call. */
  decisionMs: number;
  totalMs: number;
  outcome: CallOutcome;
};

export interface CallRecordSink {
  record(call: CallRecord): void;
}
