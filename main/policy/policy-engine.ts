import type { Decision, Effect } from '../../shared/decision.js';
import type { Grant } from '../../shared/grant.js';
import type { PolicyDocument, ServerRule, ToolRule } from '../../shared/policy.js';
import { compileCondition, createAjv, type ArgumentCheck } from './argument-condition.js';
import type { HashFn } from '../common/canonical-json.js';
import { ClientMatcher } from './client-match.js';
import { builtinMode, EFFECT_RANK, mergeDefaults, type EffectiveDefaults, type PolicyLayerName } from './effective-defaults.js';
import { Glob, hasWildcard } from './glob.js';
import { findGrant } from './grant-match.js';
import { riskHints, type ToolAnnotations } from './risk-hints.js';
import { RuleIndex } from './rule-index.js';
import { resolveServer, ServerMatcher, type ServerIdentity } from './server-match.js';

/** Pin state of the called tool, from the proxy's pin comparison; absent = pinned and unchanged. */
export type PinState = 'new' | 'changed' | 'held';

export type CallInput = {
  server: ServerIdentity;
  /** The tool's own name, as in `tools/call` (not `mcp__…`). */
  tool: string;
  arguments: unknown;
  client: { name?: string; version?: string; sessionId?: string };
  annotations?: ToolAnnotations;
  /** The client's project directory (its cwd), for the path-outside-project hint. */
  projectDir?: string;
  /** Hosts seen before, for the new-host hint. */
  knownHosts?: ReadonlySet<string>;
  grants?: readonly Grant[];
  /** false: the user has not approved this server yet, so `defaults.newServers` applies. Absent = approved. */
  serverApproved?: boolean;
  pin?: PinState;
  /** Milliseconds since the epoch. */
  now: number;
  /**
   * `if-asked`: risk hints only for a call the user is asked about (the proxy: nobody else sees
   * them, and they cost a walk of the arguments). Default `always` (explain, the prompt).
   */
  hints?: 'always' | 'if-asked';
};

export type MatchedRule = {
  layer: PolicyLayerName | 'default' | 'pin';
  rule: string;
  kind: 'server' | 'tool' | 'default' | 'pin';
  effect: Effect;
  reason: string;
  /** From a layer in monitor mode: recorded, not enforced. */
  monitored: boolean;
  /** This match decided; false = it matched but lost. */
  decided: boolean;
};

export type Evaluation = Decision & {
  matched: MatchedRule[];
  /** The grant used, so a `once` grant can be consumed. */
  grant?: string;
  /**
   * The same server, tool, client name, pin state and `serverApproved` get this same decision
   * whatever the arguments, time, grants and hint inputs: no argument condition was consulted,
   * hints were `if-asked` and the effect is not `ask` (only an ask looks at grants or carries
   * argument hints). A caller may keep and reuse it until the engine is replaced.
   */
  reusable: boolean;
  /** An ask that no grant can answer (a rule with `allowGrants: false`, or a new server): the prompt offers no grant. */
  grantable?: false;
};

/** The Decision part of an evaluation, as callers hand it on (no matched rules, grant or reuse flag). */
export function decisionOf(evaluation: Evaluation): Decision {
  const decision: Decision = { effect: evaluation.effect, layer: evaluation.layer, rule: evaluation.rule, reason: evaluation.reason, hints: evaluation.hints };
  if (evaluation.monitored !== undefined) decision.monitored = evaluation.monitored;
  return decision;
}

type Compiled = {
  order: number;
  layer: PolicyLayerName;
  id: string;
  effect: Effect;
  /** The rule's reason, or a description built once at compile time (no allocation per call). */
  reason: string;
  monitored: boolean;
  allowGrants: boolean;
};
type CompiledTool = Compiled & { glob: Glob | undefined; client: ClientMatcher | undefined; check: ArgumentCheck | undefined };
type CompiledServer = Compiled & { matcher: ServerMatcher };

const VERB: Readonly<Record<Effect, string>> = { allow: 'allows', ask: 'asks about', deny: 'denies' };

/**
 * The pure policy core: layered documents in, a Decision out. Managed over user over built-in
 * defaults; across everything that matches, deny beats ask beats allow, so a user rule can tighten
 * but never loosen a managed one. Rules are compiled and indexed once; `evaluate` is the hot path.
 */
export class PolicyEngine {
  readonly defaults: EffectiveDefaults;
  private readonly layers: { name: PolicyLayerName; doc: PolicyDocument }[] = [];
  private readonly toolIndex = new RuleIndex<CompiledTool>();
  private readonly serverRules: CompiledServer[] = [];
  private readonly serverCache = new WeakMap<ServerIdentity, CompiledServer[]>();
  private readonly builtinMonitored: boolean;
  // Scratch space reused by evaluate (synchronous, so never shared between calls).
  private readonly lists: (readonly CompiledTool[])[] = [];
  private readonly orders: number[] = [];
  private readonly grantable: boolean[] = [];

  constructor(
    layers: { managed?: PolicyDocument | undefined; user?: PolicyDocument | undefined },
    private readonly hash?: HashFn,
  ) {
    if (layers.managed) this.layers.push({ name: 'managed', doc: layers.managed });
    if (layers.user) this.layers.push({ name: 'user', doc: layers.user });
    this.defaults = mergeDefaults(this.layers);
    this.builtinMonitored = builtinMode(this.layers) === 'monitor';
    let ajv: ReturnType<typeof createAjv> | undefined;
    this.layers.forEach(({ name, doc }, layerIndex) => {
      const monitored = doc.mode === 'monitor';
      doc.servers?.forEach((rule, i) => {
        const base = compiledBase(name, rule, monitored, layerIndex * 2_000_000 + i, `server rule "${rule.id}" (${name}) ${VERB[rule.action]} this server`);
        this.serverRules.push({ ...base, matcher: new ServerMatcher(rule.match, rule.action !== 'allow') });
      });
      doc.rules?.forEach((rule, i) => {
        let check: ArgumentCheck | undefined;
        if (rule.arguments) {
          const compiled = compileCondition((ajv ??= createAjv()), rule.arguments, `rules[${i}].arguments`);
          if ('problems' in compiled) throw new Error(`${name} policy: ${compiled.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
          check = compiled.check;
        }
        this.toolIndex.add(rule.tool, {
          ...compiledBase(name, rule, monitored, layerIndex * 2_000_000 + 1_000_000 + i, `rule "${rule.id}" (${name}) ${VERB[rule.action]} ${rule.tool}`),
          glob: hasWildcard(rule.tool) ? new Glob(rule.tool) : undefined,
          client: rule.client !== undefined ? new ClientMatcher(rule.client) : undefined,
          check,
        });
      });
    });
  }

  /** The policy documents in force, managed first. */
  get documents(): readonly { name: PolicyLayerName; doc: PolicyDocument }[] {
    return this.layers;
  }

  evaluate(input: CallInput): Evaluation {
    const server = input.server;
    const qualified = `mcp__${server.name}__${input.tool}`;
    const candidates: MatchedRule[] = [];
    this.orders.length = 0;
    this.grantable.length = 0;
    let serverAllowed = false;
    for (const rule of this.matchingServerRules(server)) {
      this.push(candidates, rule, 'server');
      if (rule.effect === 'allow') serverAllowed = true;
    }
    const args = input.arguments ?? {};
    const lists = this.lists;
    lists.length = 0;
    this.toolIndex.candidateLists(server.name, qualified, lists);
    let checked = false;
    for (const list of lists) {
      for (const rule of list) {
        if (rule.glob && !rule.glob.test(qualified)) continue;
        if (rule.client && !rule.client.matches(input.client.name)) continue;
        if (rule.check) {
          checked = true;
          if (!rule.check(args)) continue;
        }
        this.push(candidates, rule, 'tool');
      }
    }
    if (input.serverApproved === false && !serverAllowed) {
      const d = this.defaults.newServers;
      this.defaultCandidate(candidates, 'default:new-server', d.value, d.source, `server "${server.name}" is not approved yet`);
      // Grants were given to the server as it was: one that is new or changed is approved as a server first (its identity), never by an old grant.
      this.grantable[this.grantable.length - 1] = false;
    }
    if (candidates.length === 0) {
      const d = this.defaults.tools;
      this.defaultCandidate(candidates, 'default', d.value, d.source, `no rule matches ${qualified}`);
    }
    if (input.pin !== undefined) {
      candidates.push(this.pinCandidate(input.pin, input.tool, server.name));
      this.orders.push(-1);
      this.grantable.push(false);
    }
    return this.decide(candidates, input, qualified, checked);
  }

  /** Why managed policy forbids a grant for this server (and tool), or undefined. For grant reconciliation. */
  managedGrantConflict(server: string, tool: string | undefined): string | undefined {
    const managed = this.layers.find((l) => l.name === 'managed')?.doc;
    if (!managed) return undefined;
    for (const rule of managed.servers ?? []) {
      if (rule.action === 'deny' && Object.keys(rule.match).every((k) => k === 'name') && rule.match.name && new Glob(rule.match.name).test(server)) {
        return `managed server rule "${rule.id}" denies server "${server}"`;
      }
    }
    const target = tool === undefined ? `mcp__${server}__*` : `mcp__${server}__${tool}`;
    for (const rule of managed.rules ?? []) {
      if (rule.client !== undefined || rule.arguments !== undefined) continue;
      const covers = rule.tool === `mcp__${server}` || new Glob(rule.tool).test(target);
      if (!covers) continue;
      if (rule.action === 'deny') return `managed rule "${rule.id}" denies ${target}`;
      if (rule.action === 'ask' && rule.allowGrants === false) return `managed rule "${rule.id}" does not allow grants for ${target}`;
    }
    return undefined;
  }

  private matchingServerRules(server: ServerIdentity): readonly CompiledServer[] {
    let found = this.serverCache.get(server);
    if (!found) {
      const resolved = resolveServer(server);
      found = this.serverRules.filter((r) => r.matcher.matches(resolved));
      this.serverCache.set(server, found);
    }
    return found;
  }

  private push(candidates: MatchedRule[], rule: Compiled, kind: 'server' | 'tool'): void {
    candidates.push({ layer: rule.layer, rule: rule.id, kind, effect: rule.effect, reason: rule.reason, monitored: rule.monitored, decided: false });
    this.orders.push(rule.order);
    this.grantable.push(rule.allowGrants);
  }

  private defaultCandidate(candidates: MatchedRule[], rule: string, effect: Effect, source: PolicyLayerName | 'default', why: string): void {
    const monitored = source === 'default' ? this.builtinMonitored : this.layers.find((l) => l.name === source)?.doc.mode === 'monitor';
    const where = source === 'default' ? 'built-in default' : `${source} defaults`;
    candidates.push({ layer: source, rule, kind: 'default', effect, reason: `${why}; ${where}: ${effect}`, monitored, decided: false });
    this.orders.push(9_000_000);
    this.grantable.push(true);
  }

  private pinCandidate(pin: PinState, tool: string, server: string): MatchedRule {
    const base = { layer: 'pin', kind: 'pin', monitored: this.builtinMonitored, decided: false } as const;
    switch (pin) {
      case 'changed':
        return {
          ...base,
          rule: 'pin:changed',
          effect: 'deny',
          reason: `tool "${tool}" of server "${server}" changed since it was approved; review it in the MCP Guard prompt ("mcp-guard pins diff '${server}'" shows it)`,
        };
      case 'held':
        return {
          ...base,
          rule: 'pin:instructions-changed',
          effect: 'deny',
          reason: `server "${server}" changed its instructions since they were approved; all its tools are held until re-approved`,
        };
      case 'new': {
        const effect = this.defaults.newTools.value === 'hide' ? 'deny' : 'ask';
        return { ...base, rule: 'pin:new', effect, reason: `tool "${tool}" is new on server "${server}" and not approved yet` };
      }
    }
  }

  /** `checked`: an argument condition was consulted, so the decision depends on the arguments. */
  private decide(candidates: MatchedRule[], input: CallInput, qualified: string, checked: boolean): Evaluation {
    const argumentFree = !checked && input.hints === 'if-asked';
    const orders = this.orders;
    // Deny beats ask beats allow; on a tie, the pin, then managed before user, then document order.
    const stricter = (a: number, b: number): boolean => {
      const ra = EFFECT_RANK[candidates[a]!.effect];
      const rb = EFFECT_RANK[candidates[b]!.effect];
      return ra !== rb ? ra > rb : orders[a]! < orders[b]!;
    };
    let e = -1;
    let m = -1;
    for (let i = 0; i < candidates.length; i++) {
      if (candidates[i]!.monitored) {
        if (m < 0 || stricter(i, m)) m = i;
      } else if (e < 0 || stricter(i, e)) e = i;
    }
    const enforced = e >= 0 ? candidates[e] : undefined;
    const monitored = m >= 0 ? candidates[m] : undefined;
    const effect: Effect = enforced?.effect ?? 'allow';
    const hints = input.hints === 'if-asked' && effect !== 'ask' ? [] : riskHints(input.arguments, input);
    if (input.pin === 'changed' || input.pin === 'held') hints.push({ kind: 'tool-changed', detail: candidates[candidates.length - 1]!.reason });
    if (input.pin === 'new') hints.push({ kind: 'tool-new', detail: `tool "${input.tool}" is new on server "${input.server.name}"` });
    const matched = candidates;
    const wouldBe = monitored !== undefined && EFFECT_RANK[monitored.effect] > EFFECT_RANK[effect] ? monitored : undefined;
    if (wouldBe && effect === 'allow') {
      const monitored = wouldBe;
      monitored.decided = true;
      const reason = `monitor mode: ${monitored.reason} (${monitored.effect} recorded, call allowed)`;
      return { effect, layer: monitored.layer, rule: monitored.rule, reason, hints, monitored: monitored.effect, matched, reusable: argumentFree };
    }
    // Nothing enforced matched and every monitored match allows: the best of those decides.
    const winner = enforced ?? monitored!;
    const grantable = candidates.every((c, i) => c.monitored || c.effect !== 'ask' || this.grantable[i]);
    if (effect === 'ask' && input.grants && input.grants.length > 0 && grantable) {
      const limits = { maxGrantMs: this.defaults.maxGrantMs.value, allowAlways: this.defaults.allowAlways.value };
      const call = { server: input.server.name, tool: input.tool, arguments: input.arguments, sessionId: input.client.sessionId, now: input.now };
      const grant = findGrant(input.grants, call, limits, this.hash);
      if (grant) {
        const reason = `allowed by your grant ${grant.id} (${grant.lifetime.kind}) for ${qualified}, which ${winner.reason}`;
        return { effect: 'allow', layer: 'grant', rule: grant.id, reason, hints, matched, grant: grant.id, reusable: false };
      }
    }
    winner.decided = true;
    const decision: Evaluation = {
      effect,
      layer: winner.layer,
      rule: winner.rule,
      reason: winner.reason,
      hints,
      matched,
      reusable: argumentFree && effect !== 'ask',
    };
    if (effect === 'ask' && !grantable) decision.grantable = false;
    if (wouldBe) decision.monitored = wouldBe.effect;
    return decision;
  }
}

function compiledBase(layer: PolicyLayerName, rule: ServerRule | ToolRule, monitored: boolean, order: number, fallbackReason: string): Compiled {
  return {
    order,
    layer,
    id: rule.id,
    effect: rule.action,
    reason: rule.reason ?? fallbackReason,
    monitored,
    allowGrants: !('allowGrants' in rule) || rule.allowGrants !== false,
  };
}
