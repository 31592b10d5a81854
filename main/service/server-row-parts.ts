/**
 * The pieces of a Servers page row, as values: what a server runs (secret-looking values masked),
 * its tools and their pin state, and the server rule that disables it. Pure: no I/O.
 */
import type { PolicyDocument } from '../../shared/policy.js';
import type { ServerPins } from '../../shared/pins.js';
import type { ServerIdentity } from '../../shared/server-registry.js';
import type { ServerDisabled, ServerIdentityView, ServerTool } from '../../shared/servers-page.js';
import type { SecretScrubber } from '../audit/redaction.js';
import { sha256Hex } from '../common/canonical-json.js';
import { parsePackageSpec } from '../policy/package-spec.js';
import { resolveServer, ServerMatcher } from '../policy/server-match.js';

/** The id of the user-policy server rule that "Disable" writes for a server. */
export function disabledRuleId(name: string): string {
  const plain = /^[A-Za-z0-9._:-]{1,100}$/.test(name);
  return plain ? `ui-disabled-${name}` : `ui-disabled-${name.replace(/[^A-Za-z0-9._:-]+/g, '-').slice(0, 60)}-${sha256Hex(name).slice(0, 8)}`;
}

export function identityView(identity: ServerIdentity, scrubber: SecretScrubber): ServerIdentityView {
  const spec = identity.package !== undefined ? parsePackageSpec(identity.package) : undefined;
  const publisher = spec ? publisherOf(spec.ecosystem, spec.name) : undefined;
  const version = spec?.version ?? identity.resolved?.version;
  return {
    transport: identity.transport,
    ...(identity.command !== undefined ? { command: scrubber.scrubString(identity.command) } : {}),
    ...(identity.args !== undefined ? { args: (scrubber.scrub(identity.args) as string[]).map(String) } : {}),
    ...(identity.url !== undefined ? { url: scrubber.scrubString(identity.url) } : {}),
    ...(identity.package !== undefined ? { package: scrubber.scrubString(identity.package) } : {}),
    ...(publisher !== undefined ? { publisher } : {}),
    ...(version !== undefined ? { version: scrubber.scrubString(version) } : {}),
    pinned: identity.pinned,
    ...(identity.file !== undefined ? { file: scrubber.scrubString(identity.file) } : {}),
    ...(identity.fileSha256 !== undefined ? { fileSha256: identity.fileSha256 } : {}),
  };
}

/** `@modelcontextprotocol` of an npm package, `ghcr.io/github` of an image; undefined where the name says nothing of who publishes it. */
function publisherOf(ecosystem: 'npm' | 'pypi' | 'oci', name: string): string | undefined {
  if (ecosystem === 'npm') return name.startsWith('@') && name.includes('/') ? name.slice(0, name.indexOf('/')) : undefined;
  if (ecosystem === 'oci') return name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : 'Docker Hub official image';
  return undefined;
}

/** Every tool the pin file knows of the server: approved ones, then what changed since, by name. */
export function toolsOf(pins: ServerPins | undefined): ServerTool[] {
  if (!pins) return [];
  const states = new Map<string, ServerTool['state']>();
  for (const name of Object.keys(pins.tools)) states.set(name, 'pinned');
  for (const [name, change] of Object.entries(pins.pending.tools)) {
    states.set(name, change.old === null ? 'new' : change.new === null ? 'removed' : 'changed');
  }
  return [...states].map(([name, state]) => ({ name, state })).sort((a, b) => a.name.localeCompare(b.name));
}

/** What policy server rules match: the server's name and, when known, what it runs. */
export function matchIdentity(name: string, identity: ServerIdentity | undefined) {
  return {
    name,
    ...(identity?.command !== undefined ? { command: identity.command, args: identity.args ?? [] } : {}),
    ...(identity?.url !== undefined ? { url: identity.url } : {}),
    ...(identity?.package !== undefined ? { package: identity.package } : {}),
    ...(identity?.fileSha256 !== undefined ? { sha256: identity.fileSha256 } : {}),
  };
}

/**
 * The server rule that denies this server, if any: managed first (it cannot be enabled here), then
 * the one the Servers page wrote, then another of the user's own.
 */
export function disabledBy(
  docs: { managed: PolicyDocument | undefined; user: PolicyDocument | undefined },
  name: string,
  identity: ServerIdentity | undefined,
  scrubber: SecretScrubber,
): ServerDisabled | undefined {
  const server = resolveServer(matchIdentity(name, identity));
  const denying = (doc: PolicyDocument | undefined) =>
    (doc?.servers ?? []).filter((r) => r.action === 'deny' && new ServerMatcher(r.match, true).matches(server));
  const view = (by: ServerDisabled['by'], rule: { id: string; reason?: string | undefined }): ServerDisabled => ({
    by,
    rule: rule.id,
    ...(rule.reason !== undefined ? { reason: scrubber.scrubString(rule.reason).slice(0, 2000) } : {}),
  });
  const managed = denying(docs.managed)[0];
  if (managed) return view('managed', managed);
  const user = denying(docs.user);
  const own = user.find((r) => r.id === disabledRuleId(name));
  if (own) return view('you', own);
  return user[0] ? view('user-policy', user[0]) : undefined;
}
