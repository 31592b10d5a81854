import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/proxy.js';

/** A managed configuration that sets every field. */
export const FULL_CONFIG = {
  version: 1,
  policy: { urls: ['https://policy.example.com/mcp-guard/policy.jws', 'https://cdn.example.net/policy.jws'], refreshSeconds: 600 },
  trustRoot: '/etc/mcp-guard/root.jws',
  tls: { caBundle: '/etc/mcp-guard/ca.pem', pinnedSha256: ['a'.repeat(64)] },
  collectors: [
    { kind: 'otlp-http', id: 'otel', url: 'https://otel.example.com:4318', credentialName: 'otel-token' },
    { kind: 'splunk-hec', id: 'splunk', url: 'https://hec.example.com:8088', credentialName: 'hec-token', ack: true, format: 'ocsf' },
    { kind: 'syslog-tls', id: 'syslog', host: 'siem.example.com' },
    { kind: 'ndjson-https', id: 'hook', url: 'https://hook.example.com/events' },
  ],
  deviceLabels: { team: 'payments', site: 'ber-1' },
  locked: { requireWrapping: true, maxGrant: 'PT8H', allowAlways: false, userRules: false, promptTimeoutSeconds: 120 },
  whenUnavailable: 'lock-down',
  lockEnvironmentOverrides: false,
} as const;

/** Writes `value` (JSON unless a string) as `name` in a fresh private directory, with `mode`. */
export function writeManaged(value: unknown, mode = 0o644, name = 'managed.json', dir = tempDir('mcp-guard-managed-')): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  chmodSync(file, mode);
  return file;
}
