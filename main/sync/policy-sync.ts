import type { RefusalReason } from '../../shared/signed-policy.js';
import { formatFileProblem } from '../store/atomic-file.js';
import type { LastGoodPolicy, LastGoodPolicyStore, StoredDocument } from '../store/last-good-policy.js';
import { FileRefusedError, readBoundedTextIfExistsSync } from '../store/read-bounded.js';
import { MAX_DOCUMENT_BYTES } from './jws.js';
import { acceptBundle, type AcceptedBundle } from './policy-bundle.js';
import { isUnreachable, type FetchFailureReason, type FetchResult } from './policy-fetch.js';
import { acceptRoot, type TrustRoot } from './trust-root.js';

/**
 * One refresh of the signed policy (issue 17): the root (fetched from `rootUrl` when configured,
 * else read again from the MDM trust-root file) and the bundle (from `bundleUrls`, in order, with
 * a conditional GET), each verified against what is in force (./trust-root.ts, ./policy-bundle.ts);
 * what verifies is written to the last good store before it is put in force. Whatever happens
 * but `applied`, the root and bundle in force stay as they were. `start()` is the offline start:
 * the MDM root, then the stored roots rotated from it, then the stored bundle, each verified again.
 * Not wired into the service yet: the managed layer still reads a plain file.
 */

export type DocumentFetcher = { fetch(url: string, etag?: string): Promise<FetchResult> };

export type PolicySyncOptions = {
  /** The managed config's `trustRoot`: the first root, placed by MDM or the installer. */
  trustRootFile: string;
  /** Where newer roots are published; without it, a new root comes only through `trustRootFile`. */
  rootUrl?: string;
  /** The managed config's `policy.urls`, tried in order while a server is unreachable. */
  bundleUrls: readonly string[];
  fetcher: DocumentFetcher;
  store: LastGoodPolicyStore;
  now: () => Date;
};

export type BundleInForce = AcceptedBundle & { stored: StoredDocument };

/** `no-root`: the trust-root file is missing or unreadable, so nothing can be verified. */
export type SyncRefusalReason = RefusalReason | FetchFailureReason | 'no-root';

export type SyncOutcome =
  | { outcome: 'applied'; version: number; rootVersion: number }
  | { outcome: 'unchanged'; version: number | undefined; rootVersion: number }
  | { outcome: 'refused'; document: 'root' | 'bundle'; reason: SyncRefusalReason; message: string }
  | { outcome: 'unreachable'; document: 'root' | 'bundle'; reason: FetchFailureReason; message: string };

export type StartReport = { rootVersion: number | undefined; bundleVersion: number | undefined; problems: string[] };

type Step = { ok: true } | { ok: false; outcome: SyncOutcome };

export class PolicySync {
  private root: TrustRoot | undefined;
  /** The MDM root's text that `root` was reached from. */
  private baseText: string | undefined;
  private roots: StoredDocument[] = [];
  private bundle: BundleInForce | undefined;

  constructor(private readonly options: PolicySyncOptions) {}

  get rootInForce(): TrustRoot | undefined {
    return this.root;
  }

  get bundleInForce(): BundleInForce | undefined {
    return this.bundle;
  }

  /** Puts in force what verifies of the MDM root and the last good store; every problem is reported, none trusted. */
  async start(): Promise<StartReport> {
    const problems: string[] = [];
    const report = (): StartReport => ({ rootVersion: this.root?.version, bundleVersion: this.bundle?.version, problems });
    const base = await this.baseRoot();
    if (!base.ok) {
      problems.push(base.message);
      return report();
    }
    const stored = this.options.store.readSync();
    if (stored.state === 'corrupt') problems.push(...stored.problems.map((p) => `ignored: ${formatFileProblem(p)}`));
    if (stored.state !== 'ok') return report();
    const now = this.options.now();
    for (const [i, doc] of stored.value.roots.entries()) {
      // Stored roots may be older than a newer MDM root: those are passed over, not trusted.
      const accepted = await acceptRoot(doc.text, this.root, now, { ignoreExpiry: true });
      if (!accepted.ok && accepted.reason === 'rollback') continue;
      if (!accepted.ok) {
        problems.push(`ignored: ${this.options.store.file}: roots.${i}: ${accepted.message} (${accepted.reason})`);
        break;
      }
      if (!accepted.unchanged) {
        this.root = accepted.root;
        this.roots.push(doc);
      }
    }
    if (stored.value.bundle && this.root) {
      const bundle = await acceptBundle(stored.value.bundle.text, this.root, undefined, now);
      if (bundle.ok) this.bundle = { ...bundle, stored: stored.value.bundle };
      else problems.push(`ignored: ${this.options.store.file}: bundle: ${bundle.message} (${bundle.reason})`);
    }
    return report();
  }

  async refresh(): Promise<SyncOutcome> {
    if (!this.root) {
      const base = await this.baseRoot();
      if (!base.ok) return { outcome: 'refused', document: 'root', reason: base.reason, message: base.message };
    }
    const root = this.options.rootUrl ? await this.rootFromUrl(this.options.rootUrl) : await this.rootFromFile();
    if (!root.ok) return root.outcome;
    return this.refreshBundle();
  }

  private async refreshBundle(): Promise<SyncOutcome> {
    const root = this.root!;
    const unchanged: SyncOutcome = { outcome: 'unchanged', version: this.bundle?.version, rootVersion: root.version };
    const result = await this.fetchFirst(this.options.bundleUrls, this.bundle?.stored);
    if (result.kind === 'not-modified') return unchanged;
    if (result.kind === 'failed') return failure('bundle', result);
    const accepted = await acceptBundle(result.text, root, this.bundle, this.options.now());
    if (!accepted.ok) return { outcome: 'refused', document: 'bundle', reason: accepted.reason, message: `${result.url}: ${accepted.message}` };
    const stored: StoredDocument = { text: result.text, etag: result.etag, url: result.url };
    if (accepted.unchanged && stored.etag === this.bundle?.stored.etag && stored.url === this.bundle?.stored.url) return unchanged;
    this.persist({ bundle: stored });
    this.bundle = { ...accepted, stored };
    return accepted.unchanged ? unchanged : { outcome: 'applied', version: accepted.version, rootVersion: root.version };
  }

  private async rootFromUrl(url: string): Promise<Step> {
    const last = this.roots.at(-1);
    const result = await this.options.fetcher.fetch(url, last?.url === url ? last.etag : undefined);
    if (result.kind === 'not-modified') return { ok: true };
    if (result.kind === 'failed') return { ok: false, outcome: failure('root', result) };
    return this.rotate({ text: result.text, etag: result.etag, url }, url);
  }

  private async rootFromFile(): Promise<Step> {
    const read = this.readTrustRootFile();
    if (!read.ok) return { ok: false, outcome: { outcome: 'refused', document: 'root', reason: 'no-root', message: read.message } };
    if (read.text === this.baseText) return { ok: true };
    return this.rotate({ text: read.text }, this.options.trustRootFile);
  }

  /** A root document that is not the one in force: kept only when it rotates from it. */
  private async rotate(doc: StoredDocument, where: string): Promise<Step> {
    const accepted = await acceptRoot(doc.text, this.root, this.options.now());
    if (!accepted.ok)
      return { ok: false, outcome: { outcome: 'refused', document: 'root', reason: accepted.reason, message: `${where}: ${accepted.message}` } };
    if (accepted.unchanged) return { ok: true };
    this.persist({ roots: [...this.roots, doc] });
    this.roots.push(doc);
    this.root = accepted.root;
    return { ok: true };
  }

  /** The first URL that answers; an ETag goes only to the URL it came from. */
  private async fetchFirst(urls: readonly string[], last: StoredDocument | undefined): Promise<FetchResult> {
    const away: string[] = [];
    let failed: Extract<FetchResult, { kind: 'failed' }> = {
      kind: 'failed',
      url: '',
      reason: 'unreachable',
      message: 'no policy URL is configured (policy.urls)',
    };
    for (const url of urls) {
      const result = await this.options.fetcher.fetch(url, last?.url === url ? last.etag : undefined);
      if (result.kind !== 'failed' || !isUnreachable(result.reason)) return result;
      away.push(result.message);
      failed = { ...result, message: away.join('; ') };
    }
    return failed;
  }

  private async baseRoot(): Promise<{ ok: true } | { ok: false; reason: SyncRefusalReason; message: string }> {
    const read = this.readTrustRootFile();
    if (!read.ok) return { ok: false, reason: 'no-root', message: read.message };
    // The MDM root's own expiry is checked when it signs a bundle (root-expired), so an expired one can still be rotated.
    const accepted = await acceptRoot(read.text, undefined, this.options.now(), { ignoreExpiry: true });
    if (!accepted.ok) return { ok: false, reason: accepted.reason, message: `${this.options.trustRootFile}: ${accepted.message}` };
    this.root = accepted.root;
    this.baseText = read.text;
    this.roots = [];
    return { ok: true };
  }

  private readTrustRootFile(): { ok: true; text: string } | { ok: false; message: string } {
    const file = this.options.trustRootFile;
    const limit = { what: 'the trust root', maxBytes: MAX_DOCUMENT_BYTES, fix: 'ask your IT department to place the signed root there' };
    try {
      const text = readBoundedTextIfExistsSync(file, limit);
      if (text !== undefined) return { ok: true, text };
      return { ok: false, message: `${file} (trustRoot in the managed configuration) does not exist; ${limit.fix}` };
    } catch (error) {
      const message = error instanceof FileRefusedError ? error.message : `${file}: cannot be read: ${(error as Error).message}`;
      return { ok: false, message: `${message} (trustRoot in the managed configuration)` };
    }
  }

  /** Writes the store with `change` before anything is put in force: a failed write leaves the last good as it was. */
  private persist(change: Partial<LastGoodPolicy>): void {
    this.options.store.writeSync({ format: 1, roots: this.roots, ...(this.bundle ? { bundle: this.bundle.stored } : {}), ...change });
  }
}

function failure(document: 'root' | 'bundle', result: Extract<FetchResult, { kind: 'failed' }>): SyncOutcome {
  return isUnreachable(result.reason)
    ? { outcome: 'unreachable', document, reason: result.reason, message: result.message }
    : { outcome: 'refused', document, reason: result.reason, message: result.message };
}
