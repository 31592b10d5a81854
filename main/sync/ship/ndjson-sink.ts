import type { AuditEvent } from '../../../shared/audit.js';
import type { EndpointTrust } from '../tls-trust.js';
import { postBatch } from './https-post.js';
import type { SendResult, Sink } from './sink.js';

/**
 * The NDJSON webhook (issue 17): one POST per batch to an HTTPS URL, one event per line, gzip,
 * `Authorization: Bearer` when the managed configuration names a keychain entry for it. Each line
 * is the audit log's own event (`format: native`), whose `id` lets the receiver drop duplicates.
 */
export class NdjsonSink implements Sink {
  constructor(
    readonly id: string,
    private readonly o: {
      url: string;
      trust?: EndpointTrust;
      /** A configuration problem (an unreadable CA bundle) every send reports, fail closed. */
      problem?: string;
      bearer?: () => { token: string } | { problem: string };
      project?: (event: AuditEvent) => unknown;
    },
  ) {}

  send(events: readonly AuditEvent[]): Promise<SendResult> {
    const project = this.o.project ?? ((e: AuditEvent) => e);
    const body = events.map((e) => JSON.stringify(project(e))).join('\n') + '\n';
    if (this.o.problem) return Promise.resolve({ ok: false, retry: 'later', message: this.o.problem });
    const bearer = this.o.bearer?.();
    if (bearer && 'problem' in bearer) return Promise.resolve({ ok: false, retry: 'later', message: bearer.problem });
    const token = bearer?.token;
    return postBatch({
      url: this.o.url,
      body,
      contentType: 'application/x-ndjson',
      gzip: true,
      ...(token !== undefined ? { headers: { authorization: `Bearer ${token}` } } : {}),
      ...(this.o.trust ? { trust: this.o.trust } : {}),
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
