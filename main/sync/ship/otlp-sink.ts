import type { AuditEvent } from '../../../shared/audit.js';
import type { EndpointTrust } from '../tls-trust.js';
import { postBatch } from './https-post.js';
import { otlpLogsRequest } from './otlp-logs.js';
import type { SendResult, Sink } from './sink.js';

/** OTLP/HTTP JSON logs to a collector: `POST <url>/v1/logs`, gzip, an optional bearer token (./otlp-logs.ts is the projection). */
export class OtlpSink implements Sink {
  private readonly endpoint: string;

  constructor(
    readonly id: string,
    private readonly o: { url: string; guardVersion: string; trust?: EndpointTrust; problem?: string; bearer?: () => { token: string } | { problem: string } },
  ) {
    this.endpoint = `${o.url.replace(/\/+$/, '')}/v1/logs`;
  }

  send(events: readonly AuditEvent[]): Promise<SendResult> {
    if (this.o.problem) return Promise.resolve({ ok: false, retry: 'later', message: this.o.problem });
    const bearer = this.o.bearer?.();
    if (bearer && 'problem' in bearer) return Promise.resolve({ ok: false, retry: 'later', message: bearer.problem });
    return postBatch({
      url: this.endpoint,
      body: JSON.stringify(otlpLogsRequest(events, this.o.guardVersion)),
      contentType: 'application/json',
      gzip: true,
      ...(bearer ? { headers: { authorization: `Bearer ${bearer.token}` } } : {}),
      ...(this.o.trust ? { trust: this.o.trust } : {}),
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
