import { request } from 'node:https';
import { gzipSync } from 'node:zlib';
import { identityAndPinCheck, isCertificateError, type EndpointTrust } from '../tls-trust.js';
import type { SendResult } from './sink.js';

/**
 * One POST of a batch to an HTTPS collector (NDJSON webhook, OTLP/HTTP, Splunk HEC), classified
 * for the shipper: 2xx delivered; 429 and 503 later, after `Retry-After` when the collector gave
 * one; other 5xx, 408, 401/403 (a token IT may fix), connection problems and timeouts later;
 * 400, 413 and other 4xx never (the batch itself is refused: the shipper splits a 413). The body is
 * gzipped when the protocol allows and it is worth it. Redirects are not followed. Never throws.
 */

export type PostOptions = {
  url: string;
  body: string;
  contentType: string;
  headers?: Readonly<Record<string, string>>;
  trust?: EndpointTrust;
  gzip?: boolean;
  timeoutMs?: number;
  /** The response body, up to 64 KiB, when the caller must read it (HEC's ack id). */
  onBody?: (text: string) => void;
};

/** Bodies smaller than this go as they are: gzip would cost more than it saves. */
const GZIP_FROM_BYTES = 1024;
const MAX_RESPONSE_BYTES = 64 * 1024;
const MAX_RETRY_AFTER_MS = 3_600_000;

export function postBatch(o: PostOptions): Promise<SendResult> {
  let target: URL;
  try {
    target = new URL(o.url);
  } catch {
    return Promise.resolve({ ok: false, retry: 'never', message: `${o.url} is not a URL` });
  }
  if (target.protocol !== 'https:') return Promise.resolve({ ok: false, retry: 'never', message: `${o.url}: only https is used` });
  const raw = Buffer.from(o.body, 'utf8');
  const zipped = o.gzip === true && raw.length >= GZIP_FROM_BYTES;
  const body = zipped ? gzipSync(raw) : raw;
  let pinProblem: string | undefined;
  return new Promise<SendResult>((resolve) => {
    const req = request(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': o.contentType,
          'content-length': String(body.length),
          ...(zipped ? { 'content-encoding': 'gzip' } : {}),
          ...o.headers,
        },
        ...(o.trust?.ca ? { ca: o.trust.ca } : {}),
        checkServerIdentity: identityAndPinCheck(o.trust?.pinnedSha256, (p) => (pinProblem = p)),
        timeout: o.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve(classify(o.url, res.statusCode ?? 0, res.headers['retry-after'], text, o.onBody));
        });
        res.on('error', (error) => resolve({ ok: false, retry: 'later', message: `${o.url}: ${error.message}` }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${o.timeoutMs ?? 30_000} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (pinProblem) return resolve({ ok: false, retry: 'later', message: `${o.url}: ${pinProblem}` });
      const what = isCertificateError(error) ? `the collector's certificate is not trusted (${error.code ?? error.message})` : (error.code ?? error.message);
      resolve({ ok: false, retry: 'later', message: `${o.url}: ${what}` });
    });
    req.end(body);
  });
}

function classify(url: string, status: number, retryAfter: string | undefined, text: string, onBody: PostOptions['onBody']): SendResult {
  if (status >= 200 && status < 300) {
    onBody?.(text);
    return { ok: true };
  }
  const said = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  const message = `${url}: HTTP ${status}${said ? ` (${said})` : ''}`;
  if (status === 429 || status === 503) {
    const after = retryAfterMs(retryAfter);
    return { ok: false, retry: 'later', status, message, ...(after !== undefined ? { retryAfterMs: after } : {}) };
  }
  if (status >= 500 || status === 408 || status === 401 || status === 403) return { ok: false, retry: 'later', status, message };
  return { ok: false, retry: 'never', status, message };
}

/** `Retry-After` as seconds or an HTTP date, capped at an hour; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}
