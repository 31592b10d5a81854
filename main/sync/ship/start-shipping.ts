import type { AuditEvent } from '../../../shared/audit.js';
import type { Collector, ManagedConfig } from '../../../shared/managed-config.js';
import type { ServiceEvent } from '../../audit/audit-intake.js';
import type { Logger } from '../../common/logger.js';
import type { KeychainSecretStore } from '../../secrets/keychain.js';
import { ShipCursorStore } from '../../store/ship-cursors.js';
import { loadCaBundleSync } from '../policy-fetch.js';
import type { EndpointTrust } from '../tls-trust.js';
import { NdjsonSink } from './ndjson-sink.js';
import { OtlpSink } from './otlp-sink.js';
import { Shipper } from './shipper.js';
import type { Sink, SinkStatus } from './sink.js';

/** Where IT's collector credentials are in the OS keychain: service `mcp-guard`, account `mcp-guard/user/collectors:<credentialName>`. */
export const COLLECTOR_CREDENTIALS = 'mcp-guard/user/collectors';

export type Shipping = { statuses(): SinkStatus[]; stop(): Promise<void> };

/**
 * One shipper per collector of the managed configuration that can be shipped to. The NDJSON
 * webhook (native events) and OTLP/HTTP logs are built; Splunk HEC, syslog over TLS and the OCSF
 * projection are not yet (issue 17), and such a collector is said to be unshipped in the log and
 * in `status()` (never silently).
 */
export function startShipping(o: {
  config: ManagedConfig;
  home: string;
  auditDir: string;
  log: Logger;
  record: (event: ServiceEvent) => Promise<void>;
  onAppend: (listener: (events: readonly AuditEvent[]) => void) => () => void;
  keychain: () => KeychainSecretStore;
  guardVersion: string;
}): Shipping {
  const cursors = new ShipCursorStore(o.home);
  const { trust, problem } = endpointTrust(o.config);
  const shippers: Shipper[] = [];
  const unbuilt: SinkStatus[] = [];
  for (const collector of o.config.collectors ?? []) {
    const sink = sinkFor(collector, { ...(trust ? { trust } : {}), ...(problem ? { problem } : {}) }, o.guardVersion, o.keychain);
    if (typeof sink === 'string') {
      o.log.log('warn', `audit shipping: ${sink}`);
      unbuilt.push({ id: collector.id, kind: collector.kind, lag: 0, lastError: { at: new Date().toISOString(), message: sink } });
      continue;
    }
    const shipper = new Shipper({ auditDir: o.auditDir, sink, kind: collector.kind, cursors, log: o.log, record: o.record, onAppend: o.onAppend });
    shipper.start();
    shippers.push(shipper);
  }
  return {
    statuses: () => [...shippers.map((s) => s.status()), ...unbuilt],
    stop: async () => {
      await Promise.all(shippers.map((s) => s.stop()));
    },
  };
}

/** The CA bundle and pins; an unreadable CA bundle is a problem every send reports (never a fall back to the system's CAs). */
/** The sink of a collector, or why there is none yet (said, never silently skipped). */
function sinkFor(
  collector: Collector,
  endpoint: { trust?: EndpointTrust; problem?: string },
  guardVersion: string,
  keychain: () => KeychainSecretStore,
): Sink | string {
  const bearer = collector.credentialName ? { bearer: bearerOf(collector.id, collector.credentialName, keychain) } : {};
  switch (collector.kind) {
    case 'ndjson-https':
      if (collector.format === 'ocsf')
        return `collector ${collector.id}: the OCSF projection is not built yet; nothing is sent rather than another format than asked`;
      return new NdjsonSink(collector.id, { url: collector.url, ...endpoint, ...bearer });
    case 'otlp-http':
      return new OtlpSink(collector.id, { url: collector.url, guardVersion, ...endpoint, ...bearer });
    case 'splunk-hec':
    case 'syslog-tls':
      return `collector ${collector.id} (${collector.kind}): shipping to this kind is not built yet; its events are kept in the local log only`;
  }
}

function endpointTrust(config: ManagedConfig): { trust?: EndpointTrust; problem?: string } {
  if (!config.tls) return {};
  const ca = config.tls.caBundle ? loadCaBundleSync(config.tls.caBundle) : undefined;
  if (ca && !ca.ok) return { problem: ca.message };
  return { trust: { ...(ca?.ok ? { ca: ca.pem } : {}), ...(config.tls.pinnedSha256 ? { pinnedSha256: config.tls.pinnedSha256 } : {}) } };
}

function bearerOf(id: string, name: string, keychain: () => KeychainSecretStore): () => { token: string } | { problem: string } {
  return () => {
    try {
      const token = keychain().getSync(COLLECTOR_CREDENTIALS, name);
      return token === undefined
        ? {
            problem: `collector ${id}: the OS keychain has no entry "${name}" (service "mcp-guard", account "${COLLECTOR_CREDENTIALS}:${name}"); ask your IT department to place it`,
          }
        : { token };
    } catch (error) {
      return { problem: `collector ${id}: the keychain entry "${name}" cannot be read: ${error instanceof Error ? error.message : String(error)}` };
    }
  };
}
