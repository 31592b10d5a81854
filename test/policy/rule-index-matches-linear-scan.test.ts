import { describe, expect, it } from 'vitest';
import { globToRegExp } from '../../main/policy/glob.js';
import { PolicyEngine } from '../../main/policy/policy-engine.js';
import type { ToolRule } from '../../shared/policy.js';
import { call } from './helpers.js';

/** A deterministic pseudo-random sequence, so a failure is reproducible. */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('the rule index decides exactly as a linear scan of every rule would', () => {
  it('agrees on 2,000 random calls against 3,000 random rules of every pattern shape', () => {
    const next = random(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    const servers = ['github', 'fs', 'my_srv', 'a__b', 'memory'];
    const tools = ['read', 'read_file', 'delete_x', 'write', 'b__c'];
    const actions = ['allow', 'ask', 'deny'] as const;
    const shapes = [
      () => `mcp__${pick(servers)}__${pick(tools)}`,
      () => `mcp__${pick(servers)}`,
      () => `mcp__${pick(servers)}__${pick(tools).slice(0, 2)}*`,
      () => `mcp__${pick(servers).slice(0, 2)}*`,
      () => `mcp__*__${pick(tools)}`,
      () => 'mcp__*',
    ];
    const rules: ToolRule[] = Array.from({ length: 3000 }, (_, i) => ({ id: `r${i}`, tool: pick(shapes)(), action: pick(actions) }));
    const engine = new PolicyEngine({ user: { version: 1, rules } });
    const rank = { allow: 0, ask: 1, deny: 2 };
    for (let i = 0; i < 2000; i++) {
      const server = pick(servers);
      const tool = pick(tools);
      const qualified = `mcp__${server}__${tool}`;
      const matching = rules.filter((r) => r.tool === `mcp__${server}` || globToRegExp(r.tool).test(qualified));
      const expected = matching.length === 0 ? 'ask' : matching.reduce((a, r) => (rank[r.action] > rank[a] ? r.action : a), 'allow' as ToolRule['action']);
      const d = engine.evaluate(call(server, tool));
      expect(d.effect, qualified).toBe(expected);
      expect(d.matched.length, qualified).toBe(Math.max(matching.length, 1));
    }
  });
});
