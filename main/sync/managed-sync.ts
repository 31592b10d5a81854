import type { ServiceEvent } from '../audit/audit-intake.js';
import type { Logger } from '../common/logger.js';
import type { ManagedConfig } from '../../shared/managed-config.js';
import type { LastFetch, ManagedPolicyStatus } from '../../shared/managed-status.js';
import { formatFileProblem } from '../store/atomic-file.js';
import type { PolicyStore } from '../store/policy-store.js';
import type { ManagedConfigRead } from './managed-config.js';
import { managedLayer, type ManagedLayer } from './managed-layer.js';
import { layerOf, policySyncFor, type ManagedPolicyLoader } from './managed-policy-loader.js';
import { loadCaBundleSync, PolicyFetcher } from './policy-fetch.js';
import type { DocumentFetcher, PolicySync, SyncOutcome } from './policy-sync.js';
import type { SyncResult } from '../../shared/proxy-protocol.js';

/**
 * The service's half of managed policy (issue 17): at start, what the last good store verifies
 * (offline start), then a fetch at once and every `policy.refreshSeconds`: the managed
 * configuration read again, the root and bundle fetched and verified (./policy-sync.ts), and the
 * managed layer decided (./managed-layer.ts) and put in force in the policy store, whose change the
 * service passes to every proxy. Every verdict is an audit event: `policy-applied` for a new
 * bundle, `policy-refused` with the reason for a refused document or configuration (once per
 * distinct refusal, so a bad file on the server does not flood the log every refresh).
 */

export type ManagedSyncOptions = {
  policy: PolicyStore;
  loader: ManagedPolicyLoader;
  record: (event: ServiceEvent) => Promise<void>;
  log: Logger;
  now?: () => Date;
  /** For tests: the fetcher to use instead of one made from the managed configuration's tls. */
  fetcher?: DocumentFetcher;
  /** Called after every refresh (the fleet inventory and the sinks' status ride on it). */
  onRefreshed?: (outcome: RefreshOutcome) => void;
};

export type RefreshOutcome = SyncOutcome | { outcome: 'config-refused'; message: string } | { outcome: 'not-configured' };

export class ManagedSync {
  private read: ManagedConfigRead | undefined;
  private sync: PolicySync | undefined;
  /** The configuration `sync` was made from: a change of source, root or TLS makes a new one. */
  private syncKey = '';
  private layer: ManagedLayer | undefined;
  private lastFetch: LastFetch | undefined;
  private lastRefusal = '';
  private timer: NodeJS.Timeout | undefined;
  /** Decides the layer again when the bundle in force expires (stale, or locked down), between refreshes. */
  private expiry: NodeJS.Timeout | undefined;
  private running: Promise<RefreshOutcome> | undefined;
  private stopped = false;
  private nextAt: Date | undefined;
  private readonly now: () => Date;

  constructor(private readonly o: ManagedSyncOptions) {
    this.now = o.now ?? (() => new Date());
    this.lastFetch = o.loader.syncStatus.readSync()?.lastFetch;
  }

  get status(): ManagedPolicyStatus | undefined {
    return this.layer?.status;
  }

  get nextFetchAt(): Date | undefined {
    return this.nextAt;
  }

  /** The offline start: the configuration and what the last good store verifies, put in force before any call is decided. */
  loadOffline(): Promise<void> {
    return this.load();
  }

  /** The first fetch at once, in the background, then one every `policy.refreshSeconds`. */
  startRefreshing(): void {
    this.schedule(0);
  }

  /** `mcp-guard sync now` and the timer: one refresh at a time (a second caller waits for the one running). */
  refresh(): Promise<RefreshOutcome> {
    this.running ??= this.refreshOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.expiry);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.nextAt = new Date(this.now().getTime() + delayMs);
    this.timer = setTimeout(() => {
      void this.refresh().then(() => this.schedule(this.refreshMs()));
    }, delayMs);
    this.timer.unref();
  }

  private refreshMs(): number {
    const config = this.read?.state === 'ok' ? this.read.config : undefined;
    return (config?.policy?.refreshSeconds ?? 900) * 1000;
  }

  /** The labels IT gave this device in the managed configuration in force (the fleet inventory's). */
  get deviceLabels(): Readonly<Record<string, string>> | undefined {
    return this.read?.state === 'ok' ? this.read.config.deviceLabels : undefined;
  }

  /** Reads the configuration again and, with `policy`, loads the last good store into a (new) PolicySync. */
  private async load(): Promise<void> {
    const read = this.o.loader.readConfigSync();
    this.read = read;
    if (read.state === 'refused') {
      this.sync = undefined;
      await this.refused('managed-config', 'invalid-config', read.problems.map(formatFileProblem).join('; '));
    } else if (read.state === 'ok' && read.config.policy) {
      const key = JSON.stringify([read.source.file, read.config.policy, read.config.trustRoot, read.config.tls]);
      if (key !== this.syncKey || !this.sync) {
        this.sync = policySyncFor(read.config, this.o.loader.lastGood, this.o.fetcher ?? fetcherFor(read.config), this.now);
        this.syncKey = key;
        const started = await this.sync.start();
        for (const p of started.problems) this.o.log.log('warn', `managed policy: ${p}`);
      }
    } else {
      this.sync = undefined;
    }
    this.apply();
  }

  private async refreshOnce(): Promise<RefreshOutcome> {
    await this.load();
    const read = this.read!;
    if (read.state === 'refused') {
      const outcome: RefreshOutcome = { outcome: 'config-refused', message: read.problems.map(formatFileProblem).join('; ') };
      this.o.onRefreshed?.(outcome);
      return outcome;
    }
    if (!this.sync) {
      this.o.onRefreshed?.({ outcome: 'not-configured' });
      return { outcome: 'not-configured' };
    }
    const outcome = await this.sync.refresh();
    this.lastFetch = { at: this.now().toISOString(), outcome: outcome.outcome, ...('message' in outcome ? { message: outcome.message } : {}) };
    await this.report(outcome);
    this.apply();
    this.writeStatus();
    this.o.onRefreshed?.(outcome);
    return outcome;
  }

  private async report(outcome: SyncOutcome): Promise<void> {
    switch (outcome.outcome) {
      case 'applied': {
        this.lastRefusal = '';
        const b = this.sync!.bundleInForce!;
        this.o.log.log('info', `managed policy: version ${b.version} from ${b.stored.url ?? '?'} is in force`);
        await this.note({
          kind: 'policy-applied',
          detail: {
            version: b.version,
            issuedAt: b.issuedAt,
            expiresAt: b.expiresAt,
            sha256: b.sha256,
            url: b.stored.url,
            rootVersion: outcome.rootVersion,
            signers: b.signers,
          },
        });
        return;
      }
      case 'refused':
        return this.refused(outcome.document, outcome.reason, outcome.message);
      case 'unreachable':
        this.o.log.log('warn', `managed policy: ${outcome.message}; the policy in force stays`);
        return;
      case 'unchanged':
        return;
    }
  }

  private async refused(document: string, reason: string, message: string): Promise<void> {
    this.o.log.log('error', `managed policy: refused the ${document}: ${message} (${reason}); nothing in force changed`);
    const key = `${document}|${reason}|${message}`;
    if (key === this.lastRefusal) return;
    this.lastRefusal = key;
    await this.note({ kind: 'policy-refused', detail: { document, reason, message } });
  }

  private note(event: ServiceEvent): Promise<void> {
    return this.o.record(event).catch((error: unknown) => this.o.log.log('error', `could not record ${event.kind}: ${String(error)}`));
  }

  private apply(): void {
    const read = this.read!;
    const now = this.now();
    // Without signed policy to verify: the configuration's locked settings alone (or, refused, what was in force).
    this.layer = this.sync
      ? layerOf(read, this.sync, [], this.lastFetch, this.layer, now)
      : managedLayer({ read, ...(this.layer ? { previous: this.layer } : {}), now });
    this.o.policy.setManaged(this.layer ?? { doc: undefined, problems: [], status: { source: 'none' } });
    clearTimeout(this.expiry);
    const expiresAt = this.layer?.status.bundle && !this.layer.status.stale ? Date.parse(this.layer.status.bundle.expiresAt) : NaN;
    const inMs = expiresAt - now.getTime();
    // setTimeout holds at most 2^31-1 ms (24.8 days); a later expiry is looked at again at a refresh before then.
    if (!this.stopped && inMs > 0 && inMs < 2 ** 31 - 1) {
      this.expiry = setTimeout(() => this.apply(), inMs + 10);
      this.expiry.unref();
    }
  }

  private writeStatus(): void {
    try {
      this.o.loader.syncStatus.writeSync({
        ...(this.lastFetch ? { lastFetch: this.lastFetch } : {}),
        ...(this.nextAt ? { nextFetchAt: this.nextAt.toISOString() } : {}),
        writtenAt: this.now().toISOString(),
      });
    } catch (error) {
      this.o.log.log('warn', `could not write the sync status: ${(error as Error).message}`);
    }
  }
}

/** The fetcher for the managed configuration's endpoints: its CA bundle and pins; a CA bundle that cannot be read fails every fetch closed. */
export function fetcherFor(config: ManagedConfig): PolicyFetcher {
  const tls = config.tls;
  if (!tls?.caBundle) return new PolicyFetcher(tls?.pinnedSha256 ? { pinnedSha256: tls.pinnedSha256 } : {});
  const ca = loadCaBundleSync(tls.caBundle);
  return new PolicyFetcher({
    ...(ca.ok ? { ca: ca.pem } : { configProblem: ca.message }),
    ...(tls.pinnedSha256 ? { pinnedSha256: tls.pinnedSha256 } : {}),
  });
}

/** A refresh's outcome as `mcp-guard sync now` gets it over the service's socket. */
export function syncResultOf(outcome: RefreshOutcome): SyncResult {
  switch (outcome.outcome) {
    case 'refused':
      return { outcome: 'refused', message: `the ${outcome.document}: ${outcome.message} (${outcome.reason})` };
    case 'applied':
      return { outcome: 'applied', message: `version ${outcome.version}` };
    default:
      return 'message' in outcome ? { outcome: outcome.outcome, message: outcome.message } : { outcome: outcome.outcome };
  }
}
