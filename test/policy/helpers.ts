import type { PolicyDocument, ToolRule } from '../../shared/policy.js';
import type { CallInput } from '../../main/policy/policy-engine.js';

export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

export function doc(rules: ToolRule[], extra: Partial<PolicyDocument> = {}): PolicyDocument {
  return { version: 1, rules, ...extra };
}

export function rule(id: string, tool: string, action: ToolRule['action'], extra: Partial<ToolRule> = {}): ToolRule {
  return { id, tool, action, ...extra };
}

export function call(server: string, tool: string, extra: Partial<CallInput> = {}): CallInput {
  return { server: { name: server }, tool, arguments: {}, client: { name: 'claude-code', sessionId: 's1' }, now: NOW, ...extra };
}
