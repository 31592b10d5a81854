/**
 * The Policy page's view of the effective policy (shared/policy-page.ts PolicyView): every layer,
 * default and rule with where it comes from, managed ones locked. Pure: the engine in force and
 * what the store knows of its files in, the view out.
 */
import type { DefaultView, PolicyFileProblem, PolicyLayerView, PolicyView } from '../../shared/policy-page.js';
import type { PolicyDocument } from '../../shared/policy.js';
import type { EffectiveDefaults } from './effective-defaults.js';
import type { PolicyEngine } from './policy-engine.js';

/** The rule the policy store puts in place of a file that never validated (main/store/policy-store.ts lockdownPolicy). */
const LOCKDOWN_RULE = 'policy-file-unreadable';

export type PolicyViewInput = {
  engine: PolicyEngine;
  files: { user: string; managed: string };
  problems: readonly PolicyFileProblem[];
  versions: { userVersion?: number; managedVersion?: number };
  revision: string;
};

export function policyPageView(input: PolicyViewInput): PolicyView {
  const { engine, files } = input;
  const docs = new Map(engine.documents.map((l) => [l.name, l.doc] as const));
  const layers = (['managed', 'user'] as const).map((source): PolicyLayerView => {
    const doc = docs.get(source);
    const file = files[source];
    const version = source === 'managed' ? input.versions.managedVersion : input.versions.userVersion;
    return {
      source,
      file,
      present: doc !== undefined,
      mode: doc?.mode ?? 'enforce',
      locked: source === 'managed',
      lockdown: doc !== undefined && isLockdown(doc) && input.problems.some((p) => p.file === file),
      ...(version !== undefined ? { version } : {}),
    };
  });
  const fileOf = (name: 'managed' | 'user') => files[name];
  return {
    revision: input.revision,
    layers,
    defaults: defaultViews(engine.defaults),
    rules: engine.documents.flatMap((l) => (l.doc.rules ?? []).map((rule) => ({ source: l.name, file: fileOf(l.name), locked: l.name === 'managed', rule }))),
    servers: engine.documents.flatMap((l) =>
      (l.doc.servers ?? []).map((rule) => ({ source: l.name, file: fileOf(l.name), locked: l.name === 'managed', rule })),
    ),
    problems: input.problems.map((p) => ({ file: p.file, path: p.path, message: p.message })),
    precedence: 'Across every layer deny beats ask beats allow, so your rules can tighten a managed rule but never loosen it; managed rules win ties.',
  };
}

function isLockdown(doc: PolicyDocument): boolean {
  return doc.rules?.length === 1 && doc.rules[0]?.id === LOCKDOWN_RULE && !doc.servers?.length;
}

function defaultViews(d: EffectiveDefaults): DefaultView[] {
  const view = (name: DefaultView['name'], value: string, source: DefaultView['source']): DefaultView => ({
    name,
    value,
    source,
    locked: source === 'managed',
  });
  return [
    view('tools', d.tools.value, d.tools.source),
    view('newServers', d.newServers.value, d.newServers.source),
    view('newTools', d.newTools.value, d.newTools.source),
    view('promptTimeoutSeconds', `${d.promptTimeoutSeconds.value} seconds`, d.promptTimeoutSeconds.source),
    view('allowAlways', d.allowAlways.value ? 'offered' : 'not offered', d.allowAlways.source),
    view('maxGrant', d.maxGrantMs.value === undefined ? 'no limit' : durationWords(d.maxGrantMs.value), d.maxGrantMs.source),
    view('requireWrapping', d.requireWrapping.value ? 'required' : 'not required', d.requireWrapping.source),
  ];
}

/** 30_600_000 → "8 hours 30 minutes". */
export function durationWords(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ];
  const parts: string[] = [];
  let rest = ms;
  for (const [size, word] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${word}${n === 1 ? '' : 's'}`);
    rest -= n * size;
  }
  return parts.join(' ') || '0 seconds';
}
