/**
 * Grants are given to a server as it was. A wrapped server whose identity changed and was approved
 * again gets none of the grants given before that approval; grants given since count as usual.
 */
import { describe, expect, it } from 'vitest';
import { PolicyEngine } from '../../main/policy/policy-engine.js';
import type { ToolCall } from '../../main/proxy/decider.js';
import { PolicyDecider } from '../../main/proxy/policy-decider.js';
import type { Grant } from '../../shared/grant.js';
import { MemoryPins } from '../helpers/memory-pins.js';

const grant = (createdAt: number): Grant => ({
  id: `g${createdAt}`,
  scope: { kind: 'tool-any-args' },
  client: { kind: 'any' },
  server: 'fs',
  tool: 'write',
  createdAt,
  expiresAt: null,
  lifetime: { kind: 'always' },
  source: 'default',
});

describe('grants of a wrapped server whose identity changed', () => {
  it('count only from the approval of the identity in force', async () => {
    const engine = new PolicyEngine({ user: { version: 1, defaults: { tools: 'ask', newServers: 'ask' } } });
    let approvedAt: number | undefined = 5_000;
    const decider = new PolicyDecider({
      server: { name: 'fs' },
      sessionId: 's',
      projectDir: undefined,
      engine: () => engine,
      pins: new MemoryPins(),
      approver: undefined,
      onPinChange: () => undefined,
      serverApproved: () => approvedAt !== undefined,
      grantsSince: () => approvedAt,
      now: () => 10_000,
    });
    const call: ToolCall = { server: 'fs', tool: 'write', arguments: {}, client: { name: 'claude-code' }, requestId: 1, continuation: false };
    const effect = async () => (await decider.decideCall(call)).effect;

    decider.grants = [grant(1_000)];
    // Given before the identity in force was approved: void (the call is asked, and nobody can be asked here).
    expect(await effect()).toBe('deny');
    decider.grants = [grant(1_000), grant(6_000)];
    expect(await effect()).toBe('allow');
    // Approved again, later (another identity): the grant of 6,000 is void as well.
    approvedAt = 7_000;
    expect(await effect()).toBe('deny');
  });
});
