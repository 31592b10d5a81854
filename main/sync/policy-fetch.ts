import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { FileRefusedError, readBoundedTextIfExistsSync } from '../store/read-bounded.js';
import { MAX_DOCUMENT_BYTES } from './jws.js';
import { identityAndPinCheck, isCertificateError } from './tls-trust.js';

/**
 * Fetches a signed document (the root or the policy bundle) over HTTPS with a conditional GET
 * (ETag / If-None-Match). Only https; redirects refused; a size cap and an overall timeout; the
 * CAs of the managed config's `tls.caBundle` instead of the system's when given; and, when
 * `tls.pinnedSha256` is given, the connection must present a certificate whose SHA-256, or whose
 * SubjectPublicKeyInfo's SHA-256, is one of them. A network or HTTP problem is a `failed` value,
 * never a throw. Nothing here believes the body: the caller verifies its signatures.
 */

/**
 * Why a fetch failed. The server could not be reached or did not give the document: `unreachable`
 * (connect, DNS, reset), `timeout`, `http-status` (neither 200 nor 304). The server, or what it
 * sent, was refused: `untrusted-certificate` (not from a trusted CA, or not for this host),
 * `pin-mismatch`, `tls-config` (the configured CA bundle cannot be read), `redirect`, `not-https`,
 * `too-large`, `invalid-body` (not UTF-8).
 */
export type FetchFailureReason =
  'unreachable' | 'timeout' | 'http-status' | 'untrusted-certificate' | 'pin-mismatch' | 'tls-config' | 'redirect' | 'not-https' | 'too-large' | 'invalid-body';

export type FetchResult =
  | { kind: 'not-modified'; url: string; etag: string }
  | { kind: 'fetched'; url: string; text: string; etag: string | undefined }
  | { kind: 'failed'; url: string; reason: FetchFailureReason; message: string };

/** Failures that say the server is away rather than that something it presented was refused. */
export function isUnreachable(reason: FetchFailureReason): boolean {
  return reason === 'unreachable' || reason === 'timeout' || reason === 'http-status';
}

export type PolicyFetcherOptions = {
  /** PEM text of the CAs to trust instead of the system's (see `loadCaBundleSync`). */
  ca?: string;
  /** SHA-256 (hex) of an acceptable certificate or of its SPKI; the chain must present one. */
  pinnedSha256?: readonly string[];
  /** A configuration problem that makes every fetch fail closed (a CA bundle that cannot be read). */
  configProblem?: string;
  maxBytes?: number;
  timeoutMs?: number;
};

/** A stored ETag longer than this is not kept (nginx's are ~20 characters). */
const MAX_ETAG = 1024;
const CA_BUNDLE_LIMIT = { what: 'the CA bundle', maxBytes: 1024 * 1024, fix: 'ask your IT department to fix tls.caBundle in the managed configuration' };

/** Reads the managed config's `tls.caBundle`: its PEM text, or why it cannot be used (the fetcher then fails closed). */
export function loadCaBundleSync(path: string): { ok: true; pem: string } | { ok: false; message: string } {
  try {
    const pem = readBoundedTextIfExistsSync(path, CA_BUNDLE_LIMIT);
    if (pem === undefined) return { ok: false, message: `tls.caBundle ${path} does not exist; ask your IT department to place it or fix the path` };
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) return { ok: false, message: `tls.caBundle ${path} holds no PEM certificate` };
    return { ok: true, pem };
  } catch (error) {
    if (error instanceof FileRefusedError) return { ok: false, message: `tls.caBundle ${error.message}` };
    return { ok: false, message: `tls.caBundle ${path} cannot be read: ${(error as Error).message}` };
  }
}

export class PolicyFetcher {
  private readonly maxBytes: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: PolicyFetcherOptions = {}) {
    this.maxBytes = options.maxBytes ?? MAX_DOCUMENT_BYTES;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** GETs `url`, sending `If-None-Match: etag` when an ETag is given. */
  fetch(url: string, etag?: string): Promise<FetchResult> {
    const fail = (reason: FetchFailureReason, message: string): FetchResult => ({ kind: 'failed', url, reason, message });
    if (this.options.configProblem) return Promise.resolve(fail('tls-config', this.options.configProblem));
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return Promise.resolve(fail('not-https', `${url} is not a URL`));
    }
    if (target.protocol !== 'https:') return Promise.resolve(fail('not-https', `${url}: only https:// URLs are fetched`));

    return new Promise<FetchResult>((resolve) => {
      let pinProblem: string | undefined;
      let settled = false;
      const settle = (result: FetchResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        resolve(result);
      };
      const req = request(target, {
        method: 'GET',
        agent: false,
        ca: this.options.ca,
        headers: { Accept: 'application/jose+json, application/json', 'User-Agent': 'mcp-guard', ...(etag ? { 'If-None-Match': etag } : {}) },
        checkServerIdentity: identityAndPinCheck(this.options.pinnedSha256, (problem) => (pinProblem = problem)),
      });
      const timer = setTimeout(() => settle(fail('timeout', `${url}: no complete answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (pinProblem) return settle(fail('pin-mismatch', `${url}: ${pinProblem}`));
        settle(fail(classify(error), `${url}: ${error.code ? `${error.code}: ` : ''}${error.message}`));
      });
      req.on('response', (res) => this.read(url, etag, res, settle, fail));
      req.end();
    });
  }

  private read(
    url: string,
    etag: string | undefined,
    res: IncomingMessage,
    settle: (r: FetchResult) => void,
    fail: (r: FetchFailureReason, m: string) => FetchResult,
  ): void {
    const status = res.statusCode ?? 0;
    if (status === 304)
      return settle(etag ? { kind: 'not-modified', url, etag } : fail('http-status', `${url}: HTTP 304 to a request that was not conditional`));
    if (status >= 300 && status < 400) {
      return settle(
        fail(
          'redirect',
          `${url}: the server redirects (${status}) to ${String(res.headers.location)}; redirects are not followed: put the final https URL in policy.urls`,
        ),
      );
    }
    if (status !== 200) return settle(fail('http-status', `${url}: HTTP ${status} ${res.statusMessage ?? ''}`.trimEnd()));
    const declared = Number(res.headers['content-length']);
    const tooLarge = (size: string) => fail('too-large', `${url}: ${size} bytes, over the ${this.maxBytes}-byte cap for a signed document`);
    if (Number.isFinite(declared) && declared > this.maxBytes) return settle(tooLarge(String(declared)));
    const chunks: Buffer[] = [];
    let total = 0;
    res.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > this.maxBytes) return settle(tooLarge(`more than ${this.maxBytes}`));
      chunks.push(chunk);
    });
    res.on('error', (error) => settle(fail('unreachable', `${url}: ${error.message}`)));
    res.on('end', () => {
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, total));
      } catch {
        return settle(fail('invalid-body', `${url}: the body is not UTF-8`));
      }
      const tag = res.headers.etag;
      settle({ kind: 'fetched', url, text, etag: tag && tag.length <= MAX_ETAG ? tag : undefined });
    });
  }
}

function classify(error: NodeJS.ErrnoException): FetchFailureReason {
  return isCertificateError(error) ? 'untrusted-certificate' : 'unreachable';
}
