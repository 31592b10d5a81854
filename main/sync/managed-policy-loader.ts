import type { ManagedConfig } from '../../shared/managed-config.js';
import type { LastFetch } from '../../shared/managed-status.js';
import { LastGoodPolicyStore } from '../store/last-good-policy.js';
import { SyncStatusStore } from '../store/sync-status-store.js';
import { ManagedConfigReader, type ManagedConfigRead, type ManagedConfigReaderOptions } from './managed-config.js';
import { managedLayer, type ManagedLayer } from './managed-layer.js';
import type { FetchResult } from './policy-fetch.js';
import { PolicySync, type DocumentFetcher } from './policy-sync.js';

/**
 * The managed layer as a proxy or the CLI sees it: the managed configuration read again, then the
 * MDM root and the last good root and bundle the service stored, each verified again
 * (PolicySync.start), never fetched here. The service fetches (./managed-sync.ts) and tells the
 * proxies to load again. Returns undefined when there is no managed configuration.
 */

export type ManagedPolicyLoaderOptions = {
  env: NodeJS.ProcessEnv;
  /** The guard's home: the last good store and the sync status live there. */
  home: string;
  now?: () => Date;
  /** For tests: the OS location and admin checks. */
  reader?: Omit<ManagedConfigReaderOptions, 'env'>;
};

/** A fetcher for places that never fetch: the proxies and the CLI only load what the service stored. */
const NO_FETCH: DocumentFetcher = {
  fetch: (url): Promise<FetchResult> => Promise.resolve({ kind: 'failed', url, reason: 'unreachable', message: 'not fetched here' }),
};

export class ManagedPolicyLoader {
  private readonly reader: ManagedConfigReader;
  private readonly now: () => Date;
  readonly lastGood: LastGoodPolicyStore;
  readonly syncStatus: SyncStatusStore;

  constructor(options: ManagedPolicyLoaderOptions) {
    this.reader = new ManagedConfigReader({ ...options.reader, env: options.env });
    this.now = options.now ?? (() => new Date());
    this.lastGood = new LastGoodPolicyStore(options.home);
    this.syncStatus = new SyncStatusStore(options.home);
  }

  readConfigSync(): ManagedConfigRead {
    return this.reader.readSync();
  }

  /** The files whose change may change the managed layer (for a watch). */
  files(read: ManagedConfigRead): string[] {
    const trustRoot = read.state === 'ok' ? read.config.trustRoot : undefined;
    return [read.source.file, ...(trustRoot ? [trustRoot] : []), this.lastGood.file, this.syncStatus.file];
  }

  async load(previous?: ManagedLayer): Promise<{ read: ManagedConfigRead; layer: ManagedLayer | undefined }> {
    const read = this.readConfigSync();
    if (read.state !== 'ok' || !read.config.policy) return { read, layer: managedLayer({ read, ...(previous ? { previous } : {}), now: this.now() }) };
    const sync = policySyncFor(read.config, this.lastGood, NO_FETCH, this.now);
    const started = await sync.start();
    return { read, layer: layerOf(read, sync, started.problems, this.syncStatus.readSync()?.lastFetch, previous, this.now()) };
  }
}

/** The PolicySync of a managed configuration with `policy` (and so a `trustRoot`). */
export function policySyncFor(config: ManagedConfig, store: LastGoodPolicyStore, fetcher: DocumentFetcher, now: () => Date): PolicySync {
  const { urls, rootUrl } = config.policy!;
  return new PolicySync({ trustRootFile: config.trustRoot!, ...(rootUrl ? { rootUrl } : {}), bundleUrls: urls, fetcher, store, now });
}

/** The managed layer from what a PolicySync holds in force. */
export function layerOf(
  read: ManagedConfigRead,
  sync: PolicySync,
  problems: readonly string[],
  lastFetch: LastFetch | undefined,
  previous: ManagedLayer | undefined,
  now: Date,
): ManagedLayer | undefined {
  const b = sync.bundleInForce;
  return managedLayer({
    read,
    ...(previous ? { previous } : {}),
    ...(b
      ? {
          bundle: {
            version: b.version,
            issuedAt: b.issuedAt,
            expiresAt: b.expiresAt,
            sha256: b.sha256,
            policy: b.policy,
            ...(b.stored.url ? { url: b.stored.url } : {}),
          },
        }
      : {}),
    ...(sync.rootInForce ? { rootVersion: sync.rootInForce.version } : {}),
    syncProblems: problems,
    ...(lastFetch ? { lastFetch } : {}),
    now,
  });
}
