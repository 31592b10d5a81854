/**
 * The proxy's decider keeps decisions the engine marks reusable. Differential check: a decider
 * that has decided every earlier call (and kept what it could) must decide each call exactly as a
 * decider built afresh for it, while policy, grants, pins and the client change under it.
 */
import { describe, expect, it } from 'vitest';
import { PolicyEngine } from '../../main/policy/policy-engine.js';
import type { ClientIdentity } from '../../shared/proxy-protocol.js';
import type { ToolCall, Verdict } from '../../main/proxy/decider.js';
import { PolicyDecider, type PolicyDeciderOptions } from '../../main/proxy/policy-decider.js';
import type { Grant } from '../../shared/grant.js';
import type { ServerPins } from '../../shared/pins.js';
import { MemoryPins } from '../helpers/memory-pins.js';
import type { PolicyDocument, ToolRule } from '../../shared/policy.js';

/** A deterministic pseudo-random sequence, so a failure is reproducible. */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const SERVER = 'fs';
const TOOLS = ['read', 'write', 'delete', 'list'];
const HASH = (n: number) => n.toString(16).padStart(64, '0');

describe('reusing kept decisions changes no decision', () => {
  it('decides 5,000 random calls exactly as a fresh decider, through policy, grant, pin and client changes', () => {
    const next = random(11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    const actions = ['allow', 'ask', 'deny'] as const;

    const randomPolicy = (): PolicyDocument => {
      const rules: ToolRule[] = Array.from({ length: Math.floor(next() * 6) }, (_, i) => {
        const rule: ToolRule = {
          id: `r${i}`,
          tool: pick([`mcp__${SERVER}__${pick(TOOLS)}`, `mcp__${SERVER}`, `mcp__${SERVER}__*e*`, 'mcp__*']),
          action: pick(actions),
        };
        if (next() < 0.3) rule.client = pick(['claude-code', 'cursor*']);
        if (next() < 0.3) rule.arguments = { type: 'object', properties: { path: { type: 'string', pattern: '^/etc' } }, required: ['path'] };
        return rule;
      });
      return { version: 1, rules, defaults: { tools: pick(actions) }, ...(next() < 0.2 ? { mode: 'monitor' as const } : {}) };
    };
    const randomGrants = (): Grant[] =>
      next() < 0.5
        ? []
        : [
            {
              id: 'g',
              scope: { kind: 'tool-any-args' },
              client: { kind: 'any' },
              server: SERVER,
              tool: pick(TOOLS),
              createdAt: 0,
              expiresAt: null,
              lifetime: { kind: 'always' },
              source: 'user',
            },
          ];
    const randomPins = (): ServerPins => {
      const tools: ServerPins['tools'] = {};
      const pending: ServerPins['pending']['tools'] = {};
      for (const [i, tool] of TOOLS.entries()) {
        const roll = next();
        if (roll < 0.6) tools[tool] = { hash: HASH(i), definition: { name: tool } };
        else if (roll < 0.8)
          pending[tool] = { old: { hash: HASH(i), definition: { name: tool } }, new: { hash: HASH(i + 100), definition: { name: tool } }, seenAt: 0 };
      }
      const held = next() < 0.1;
      return {
        tools,
        instructions: { hash: HASH(0), text: null },
        pending: { tools: pending, instructions: held ? { old: { hash: HASH(0), text: null }, new: { hash: HASH(1), text: 'changed' }, seenAt: 0 } : null },
      };
    };

    let engine = new PolicyEngine({ user: randomPolicy() });
    let grants: Grant[] = [];
    let client: ClientIdentity = { name: 'claude-code' };
    const pins = new MemoryPins();
    const options: PolicyDeciderOptions = {
      server: { name: SERVER },
      sessionId: 'session-1',
      projectDir: '/home/dev/project',
      engine: () => engine,
      pins,
      approver: undefined,
      onPinChange: () => undefined,
      now: () => 1_000_000,
    };
    const kept = new PolicyDecider(options);
    const seen = new Set<Verdict>();
    let reused = 0;
    for (let i = 0; i < 5000; i++) {
      const change = next();
      if (change < 0.02) engine = new PolicyEngine({ user: randomPolicy() });
      else if (change < 0.04) grants = randomGrants();
      else if (change < 0.06) pins.set(SERVER, randomPins());
      else if (change < 0.07) client = { name: pick(['claude-code', 'cursor-ide', 'vscode']) };
      kept.grants = grants;
      const call: ToolCall = {
        server: SERVER,
        tool: pick(TOOLS),
        arguments: pick([{}, { path: '/etc/passwd' }, { path: '/home/dev/project/a' }, undefined]),
        client,
        requestId: i,
        continuation: false,
      };
      const fresh = new PolicyDecider(options);
      fresh.grants = grants;
      const expected = fresh.decideCall(call);
      const got = kept.decideCall(call);
      expect(got, `call ${i}: ${call.tool} ${JSON.stringify(call.arguments)}`).toEqual(expected);
      if (seen.has(got as Verdict)) {
        reused++;
        expect(Object.isFrozen(got)).toBe(true);
      }
      seen.add(got as Verdict);
    }
    // Not a vacuous pass: a good share of the calls were answered from kept decisions.
    expect(reused).toBeGreaterThan(1000);
  });
});
