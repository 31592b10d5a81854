import type { AuditEvent } from '../../../shared/audit.js';

/**
 * Audit shipping (issue 17): one canonical event, the audit log's own stored line, projected per
 * sink. A sink turns a batch of events into its protocol's request and says how it went; the
 * shipper (./shipper.ts) owns the cursor, the batching, the retries and the order, so a sink never
 * keeps state about which events were delivered.
 */

/** How one delivery attempt went. */
export type SendResult =
  /** Every event of the batch is accepted (for HEC with indexer acknowledgement: acknowledged). */
  | { ok: true }
  /**
   * Not delivered. `retry: 'later'`: a transient failure (connection, 5xx, 429, timeout): the same
   * batch is sent again after a backoff, or after `retryAfterMs` when the collector said so.
   * `retry: 'never'`: the collector refused the batch itself (400, 413 after splitting down to one
   * event, a frame it cannot take): sending it again cannot help.
   */
  | { ok: false; retry: 'later' | 'never'; retryAfterMs?: number; status?: number; message: string };

export interface Sink {
  /** The collector's id in the managed configuration: the key of its cursor and its name in status. */
  readonly id: string;
  /** Delivers `events` (in log order, non-empty) in one request or frame sequence. Never throws. */
  send(events: readonly AuditEvent[]): Promise<SendResult>;
  /** Ends open connections; a send in flight resolves (as a failure) or completes. */
  close(): Promise<void>;
}

/** What `mcp-guard sync status` and the fleet inventory say about one sink. */
export type SinkStatus = {
  id: string;
  kind: string;
  /** Events in the local log after the sink's cursor (its queue). */
  lag: number;
  /** The last event id delivered, and when. */
  lastShippedId?: string;
  lastShippedAt?: string;
  /** The last failure, while it is the latest outcome. */
  lastError?: { at: string; message: string };
  /** When the next attempt is due, while backing off. */
  retryAt?: string;
};
