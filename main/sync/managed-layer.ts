import type { ManagedConfig } from '../../shared/managed-config.js';
import type { LastFetch, ManagedBundleFacts, ManagedPolicyStatus } from '../../shared/managed-status.js';
import type { PolicyDefaults, PolicyDocument } from '../../shared/policy.js';
import { formatFileProblem, type FileProblem } from '../store/atomic-file.js';
import type { ManagedConfigRead } from './managed-config.js';

/**
 * What the managed layer of the policy is, from what is known (issue 17): the managed
 * configuration as read, the signed bundle that verified (if any), the last fetch, and the time.
 * Pure: the service, the proxies and the CLI all decide it here, so they agree.
 *
 * - No managed configuration: no managed layer (`undefined`; the caller may use a plain file).
 * - A refused configuration: the layer in force before stays; with none before, every call is
 *   denied until IT fixes the file (a file IT placed and the guard cannot read might have
 *   restricted anything).
 * - A configuration without `policy`: its locked settings as managed defaults.
 * - With `policy`: the bundle's policy and the locked settings over its defaults. No bundle yet:
 *   every call is denied until one verifies. Past its `expiresAt`: `keep-last-good` keeps it,
 *   flagged stale; `lock-down` denies every call. A failed last fetch flags it stale.
 */

export type ManagedLayer = { doc: PolicyDocument | undefined; problems: FileProblem[]; status: ManagedPolicyStatus };

export type ManagedLayerInput = {
  read: ManagedConfigRead;
  /** The layer in force before (kept when the configuration is refused). */
  previous?: ManagedLayer;
  bundle?: ManagedBundleFacts & { policy: PolicyDocument };
  rootVersion?: number;
  /** Problems met loading the root and last good bundle (each already says what was ignored). */
  syncProblems?: readonly string[];
  lastFetch?: LastFetch;
  now: Date;
};

export function managedLayer(input: ManagedLayerInput): ManagedLayer | undefined {
  const { read } = input;
  switch (read.state) {
    case 'absent':
      return undefined;
    case 'refused':
      return refusedConfig(read.source.file, read.problems, input.previous);
    case 'ok':
      return fromConfig(read.source.file, read.config, input);
  }
}

function refusedConfig(file: string, problems: readonly FileProblem[], previous: ManagedLayer | undefined): ManagedLayer {
  const configProblems = problems.map(formatFileProblem);
  if (previous && previous.status.source === 'managed-config' && previous.status.configProblems === undefined) {
    const kept = problems.map((p) => ({ ...p, message: `${p.message}; the managed policy in force before stays in force` }));
    return { ...previous, problems: kept, status: { ...previous.status, configProblems } };
  }
  const why = `the managed configuration ${file} is refused (${configProblems.join('; ')}); every call is denied until your IT department fixes it`;
  const denied = problems.map((p) => ({ ...p, message: `${p.message}; denying every call until it is fixed` }));
  return { doc: lockDown('managed-config-refused', why), problems: denied, status: { source: 'managed-config', file, configProblems, lockedDown: why } };
}

function fromConfig(file: string, config: ManagedConfig, input: ManagedLayerInput): ManagedLayer {
  const status: ManagedPolicyStatus = {
    source: 'managed-config',
    file,
    ...(config.locked ? { locked: config.locked } : {}),
    whenUnavailable: config.whenUnavailable,
    ...(input.lastFetch ? { lastFetch: input.lastFetch } : {}),
    ...(input.rootVersion !== undefined ? { rootVersion: input.rootVersion } : {}),
  };
  const problems: FileProblem[] = (input.syncProblems ?? []).map((message) => ({ file, path: 'policy', message }));
  if (!config.policy) {
    const defaults = lockedDefaults(config);
    return { doc: defaults ? { version: 1, defaults } : undefined, problems, status };
  }
  status.urls = config.policy.urls;
  const bundle = input.bundle;
  const fetchFailed = input.lastFetch && input.lastFetch.outcome !== 'applied' && input.lastFetch.outcome !== 'unchanged';
  if (!bundle) {
    const last = input.lastFetch?.message ? ` (last fetch: ${input.lastFetch.message})` : '';
    const why = `no signed policy has been received from ${config.policy.urls.join(' or ')} yet${last}; every call is denied until one verifies`;
    return { doc: lockDown('managed-policy-missing', why), problems, status: { ...status, lockedDown: why } };
  }
  const { policy, ...facts } = bundle;
  status.bundle = facts;
  const expired = Date.parse(bundle.expiresAt) <= input.now.getTime();
  if (expired && config.whenUnavailable === 'lock-down') {
    const why = `the signed policy (version ${bundle.version}) expired at ${bundle.expiresAt} and no newer one has verified; every call is denied until one does (whenUnavailable: lock-down)`;
    return { doc: lockDown('managed-policy-expired', why), problems, status: { ...status, stale: `expired at ${bundle.expiresAt}`, lockedDown: why } };
  }
  if (expired) status.stale = `expired at ${bundle.expiresAt}; kept in force until a newer one verifies (whenUnavailable: keep-last-good)`;
  else if (fetchFailed) status.stale = `the last fetch at ${input.lastFetch!.at} failed: ${input.lastFetch!.message ?? input.lastFetch!.outcome}`;
  const defaults = lockedDefaults(config, policy.defaults);
  return { doc: defaults ? { ...policy, defaults } : policy, problems, status };
}

/** The managed configuration's locked settings over the bundle's defaults (both are IT's; the configuration is the device's own). */
function lockedDefaults(config: ManagedConfig, base: PolicyDefaults | undefined = undefined): PolicyDefaults | undefined {
  const l = config.locked;
  if (!l) return base;
  const locked: PolicyDefaults = {
    ...(l.requireWrapping !== undefined ? { requireWrapping: l.requireWrapping } : {}),
    ...(l.maxGrant !== undefined ? { maxGrant: l.maxGrant } : {}),
    ...(l.allowAlways !== undefined ? { allowAlways: l.allowAlways } : {}),
    ...(l.promptTimeoutSeconds !== undefined ? { promptTimeoutSeconds: l.promptTimeoutSeconds } : {}),
  };
  return Object.keys(locked).length === 0 ? base : { ...base, ...locked };
}

function lockDown(id: string, reason: string): PolicyDocument {
  return { version: 1, rules: [{ id, tool: 'mcp__*', action: 'deny', allowGrants: false, reason }] };
}
