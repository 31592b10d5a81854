import { z } from 'zod';
import { IsoDuration } from './policy.js';

/**
 * The managed configuration (issue 17): the file IT places through MDM or an installer at the
 * OS's admin-only location (main/sync/managed-config.ts finds and reads it). It names where the
 * signed policy comes from and the key that verifies it, how to reach the endpoints, where audit
 * events go, and the settings users cannot change. Every object is strict (a typo is an error, never
 * a silently weaker setting) and every field is bounded. Credentials are never in this file: a
 * collector names its credential's entry in the OS keychain.
 */

const MAX_PATH = 4096;
const MAX_URL = 2048;

/** An absolute path: POSIX (`/etc/…`) or Windows (`C:\…`, `\\server\share\…`). */
export const AbsolutePath = z
  .string()
  .max(MAX_PATH, { error: `expected a path of at most ${MAX_PATH} characters` })
  .regex(/^(?:\/|[A-Za-z]:[\\/]|\\\\)/, { error: 'expected an absolute path like "/etc/mcp-guard/root.jws"' });

/** An https URL without a user name or password in it (credentials live in the keychain). */
export const HttpsUrl = z
  .url({ protocol: /^https$/, error: 'expected an https:// URL' })
  .max(MAX_URL, { error: `expected a URL of at most ${MAX_URL} characters` })
  .refine((u) => !/^https:\/\/[^/?#]*@/i.test(u), {
    error: 'must not carry a user name or password; put the credential in the OS keychain and name it with credentialName',
    params: { hideInput: true },
  });

/** The name of an entry in the OS keychain holding a collector's credential (never the credential). */
export const KeychainName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/, { error: 'expected a keychain entry name like "splunk-hec-token" (letters, digits, . _ : / -; at most 128)' });

/** A host name or IP address (IPv6 in brackets is not needed: a bare address is accepted). */
export const HostName = z
  .string()
  .regex(/^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9.:-]*[A-Za-z0-9])?$/, { error: 'expected a host name or IP address like "siem.example.com"' });

export const Port = z
  .number()
  .int({ error: 'expected a whole number' })
  .min(1, { error: 'expected a port from 1 to 65535' })
  .max(65535, { error: 'expected a port from 1 to 65535' });

/** A collector's id: its name in status output and the key of its durable cursor (keep it stable). */
export const CollectorId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'expected an id like "splunk-main" (a-z, 0-9, -; at most 63)' });

/** How events are written for a sink that offers both: the audit log's own event, or OCSF API Activity (class 6003). */
export const EventFormat = z.enum(['native', 'ocsf']);

export const PolicySource = z.strictObject({
  /** Where the signed policy bundle is fetched, tried in order. */
  urls: z.array(HttpsUrl).min(1, { error: 'needs at least one https:// URL' }).max(4, { error: 'at most 4 URLs' }),
  /** Where the next trust root is published (rotation over the wire); without it the root file of `trustRoot` stays in force until MDM replaces it. */
  rootUrl: HttpsUrl.optional(),
  /** Seconds between fetches (conditional GET). Default 900. */
  refreshSeconds: z
    .number()
    .int({ error: 'expected a whole number of seconds' })
    .min(60, { error: 'expected at least 60 seconds' })
    .max(86400, { error: 'expected at most 86400 seconds (a day)' })
    .default(900),
});

const Sha256Hex = z.string().regex(/^[0-9a-fA-F]{64}$/, { error: 'expected 64 hex digits (a SHA-256 of a certificate or its SPKI)' });

export const TlsSettings = z.strictObject({
  /** PEM file of the CAs trusted for the endpoints, instead of the system's. */
  caBundle: AbsolutePath.optional(),
  /** SHA-256 of an endpoint certificate or its SubjectPublicKeyInfo; the connection must present one of them. */
  pinnedSha256: z.array(Sha256Hex).min(1).max(16).optional(),
});

export const OtlpHttpCollector = z.strictObject({
  kind: z.literal('otlp-http'),
  id: CollectorId,
  /** The OTLP/HTTP base URL; events are POSTed to `<url>/v1/logs`. */
  url: HttpsUrl,
  /** Keychain entry holding a bearer token, when the collector wants one. */
  credentialName: KeychainName.optional(),
});

export const SplunkHecCollector = z.strictObject({
  kind: z.literal('splunk-hec'),
  id: CollectorId,
  url: HttpsUrl,
  /** Keychain entry holding the HEC token (`Authorization: Splunk <token>`). */
  credentialName: KeychainName,
  /** Indexer acknowledgement: an event leaves the queue only once acknowledged. */
  ack: z.boolean().optional(),
  format: EventFormat.optional(),
});

export const SyslogTlsCollector = z.strictObject({
  kind: z.literal('syslog-tls'),
  id: CollectorId,
  host: HostName,
  /** RFC 5425's port by default. */
  port: Port.default(6514),
  /** Keychain entry holding a PEM client certificate and key, when the receiver asks for one. */
  credentialName: KeychainName.optional(),
  format: EventFormat.optional(),
});

export const NdjsonHttpsCollector = z.strictObject({
  kind: z.literal('ndjson-https'),
  id: CollectorId,
  url: HttpsUrl,
  /** Keychain entry holding a bearer token, when the webhook wants one. */
  credentialName: KeychainName.optional(),
  format: EventFormat.optional(),
});

export const Collector = z.discriminatedUnion('kind', [OtlpHttpCollector, SplunkHecCollector, SyslogTlsCollector, NdjsonHttpsCollector], {
  error: 'expected a collector whose kind is "otlp-http", "splunk-hec", "syslog-tls" or "ndjson-https"',
});
export type Collector = z.infer<typeof Collector>;

const LabelKey = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { error: 'expected a label name like "team" (letters, digits, _ . -; at most 64)' });
const MAX_LABELS = 32;

/** Labels IT gives the device, carried in its inventory event. */
export const DeviceLabels = z
  .record(LabelKey, z.string().max(256, { error: 'expected a label value of at most 256 characters' }))
  .refine((labels) => Object.keys(labels).length <= MAX_LABELS, { error: `at most ${MAX_LABELS} labels` });

/** Settings IT fixes for every user of the device. */
export const LockedSettings = z.strictObject({
  /** Every MCP server of every client must run through the guard. */
  requireWrapping: z.boolean().optional(),
  /** The longest grant a user may give. */
  maxGrant: IsoDuration.optional(),
  /** Whether the prompt may offer "always allow". */
  allowAlways: z.boolean().optional(),
  /** Whether users may add rules of their own. */
  userRules: z.boolean().optional(),
  /** Seconds a prompt waits before denying the call (the policy's own bounds). */
  promptTimeoutSeconds: z
    .number()
    .int({ error: 'expected a whole number of seconds' })
    .min(5, { error: 'expected 5 to 3600 seconds' })
    .max(3600, { error: 'expected 5 to 3600 seconds' })
    .optional(),
});

/** What to do when the signed policy cannot be fetched or is past its expiry. */
export const WhenUnavailable = z.enum(['keep-last-good', 'lock-down']);

export const ManagedConfig = z
  .strictObject({
    version: z.literal(1, { error: 'expected 1 (the managed configuration format version)' }),
    policy: PolicySource.optional(),
    /** The initial root (root.jws) placed by MDM: the keys allowed to sign policy. */
    trustRoot: AbsolutePath.optional(),
    tls: TlsSettings.optional(),
    collectors: z.array(Collector).max(8, { error: 'at most 8 collectors' }).optional(),
    deviceLabels: DeviceLabels.optional(),
    locked: LockedSettings.optional(),
    /** Default `keep-last-good` (flagged stale); `lock-down` denies every call until a good policy arrives. */
    whenUnavailable: WhenUnavailable.default('keep-last-good'),
    /** When true in the file at the OS location, `MCP_GUARD_MANAGED_CONFIG` is ignored. */
    lockEnvironmentOverrides: z.boolean().optional(),
  })
  .superRefine((config, ctx) => {
    if (config.policy && config.trustRoot === undefined) {
      ctx.addIssue({ code: 'custom', path: ['trustRoot'], message: 'required when policy is set: the signed policy cannot be verified without the root' });
    }
    const seen = new Map<string, number>();
    config.collectors?.forEach((c, i) => {
      const earlier = seen.get(c.id);
      if (earlier !== undefined)
        ctx.addIssue({ code: 'custom', path: ['collectors', i, 'id'], message: `duplicate id "${c.id}" (also at collectors[${earlier}].id)` });
      else seen.set(c.id, i);
    });
  });
export type ManagedConfig = z.infer<typeof ManagedConfig>;
