import type { Effect } from '../../shared/decision.js';
import type { NewToolsAction, PolicyDocument, PolicyMode } from '../../shared/policy.js';
import { BUILTIN_DEFAULTS } from '../../shared/policy-defaults.js';
import { durationMs } from './duration.js';

export type PolicyLayerName = 'managed' | 'user';
export type DefaultSource = PolicyLayerName | 'default';

/** A resolved default and the layer that set it ("default" = built-in). */
export type Sourced<T> = { value: T; source: DefaultSource };

export type EffectiveDefaults = {
  tools: Sourced<Effect>;
  newServers: Sourced<Effect>;
  promptTimeoutSeconds: Sourced<number>;
  allowAlways: Sourced<boolean>;
  /** Milliseconds; undefined = no limit. */
  maxGrantMs: Sourced<number | undefined>;
  newTools: Sourced<NewToolsAction>;
  requireWrapping: Sourced<boolean>;
};

export const EFFECT_RANK: Readonly<Record<Effect, number>> = { allow: 0, ask: 1, deny: 2 };
const NEW_TOOLS_RANK: Readonly<Record<NewToolsAction, number>> = { ask: 0, hide: 1 };

/**
 * Defaults across layers: the strictest value any layer sets wins (a user can tighten a managed
 * default, never loosen it); the prompt timeout is IT's to set when it does.
 */
export function mergeDefaults(layers: readonly { name: PolicyLayerName; doc: PolicyDocument }[]): EffectiveDefaults {
  const out: EffectiveDefaults = {
    tools: { value: BUILTIN_DEFAULTS.tools, source: 'default' },
    newServers: { value: BUILTIN_DEFAULTS.newServers, source: 'default' },
    promptTimeoutSeconds: { value: BUILTIN_DEFAULTS.promptTimeoutSeconds, source: 'default' },
    allowAlways: { value: BUILTIN_DEFAULTS.allowAlways, source: 'default' },
    maxGrantMs: { value: undefined, source: 'default' },
    newTools: { value: BUILTIN_DEFAULTS.newTools, source: 'default' },
    requireWrapping: { value: BUILTIN_DEFAULTS.requireWrapping, source: 'default' },
  };
  const set = { tools: false, newServers: false, newTools: false };
  for (const { name, doc } of layers) {
    const d = doc.defaults;
    if (!d) continue;
    if (d.tools !== undefined && (!set.tools || EFFECT_RANK[d.tools] > EFFECT_RANK[out.tools.value])) {
      out.tools = { value: d.tools, source: name };
      set.tools = true;
    }
    if (d.newServers !== undefined && (!set.newServers || EFFECT_RANK[d.newServers] > EFFECT_RANK[out.newServers.value])) {
      out.newServers = { value: d.newServers, source: name };
      set.newServers = true;
    }
    if (d.newTools !== undefined && (!set.newTools || NEW_TOOLS_RANK[d.newTools] > NEW_TOOLS_RANK[out.newTools.value])) {
      out.newTools = { value: d.newTools, source: name };
      set.newTools = true;
    }
    if (d.promptTimeoutSeconds !== undefined && out.promptTimeoutSeconds.source !== 'managed')
      out.promptTimeoutSeconds = { value: d.promptTimeoutSeconds, source: name };
    if (d.requireWrapping === true && !out.requireWrapping.value) out.requireWrapping = { value: true, source: name };
    if (d.allowAlways === false || (d.allowAlways === true && out.allowAlways.source === 'default')) out.allowAlways = { value: d.allowAlways, source: name };
    const max = d.maxGrant !== undefined ? durationMs(d.maxGrant) : undefined;
    if (max !== undefined && (out.maxGrantMs.value === undefined || max < out.maxGrantMs.value)) out.maxGrantMs = { value: max, source: name };
  }
  return out;
}

/** Mode for built-in defaults: monitor only when every layer present is in monitor mode. */
export function builtinMode(layers: readonly { doc: PolicyDocument }[]): PolicyMode {
  return layers.length > 0 && layers.every((l) => l.doc.mode === 'monitor') ? 'monitor' : 'enforce';
}
