import type { AuditEventInput } from '../../shared/audit.js';

/** A decided call as the service would append it; override what a test cares about. */
export function callEvent(overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    kind: 'call',
    deviceId: 'device-1',
    osUser: 'alice',
    client: { name: 'claude-code', version: '2.0.1', pid: 4242, cwd: '/home/alice/project' },
    server: { name: 'github', command: ['npx', '-y', '@modelcontextprotocol/server-github'] },
    tool: 'search_issues',
    arguments: { query: 'is:open label:bug' },
    decision: { effect: 'allow', layer: 'user', rule: 'allow-github-read', reason: 'read-only tool allowed by rule allow-github-read' },
    latencyMs: 12,
    outcome: { kind: 'ok', sizeBytes: 2048 },
    ...overrides,
  };
}
