import type { RuleList } from '../../../../shared/policy-page.js';

/** What the editor starts a new rule with: every required field, with values to replace. */
export function ruleTemplate(list: RuleList): string {
  const rule =
    list === 'rules'
      ? { id: 'my-rule', tool: 'mcp__server__tool', action: 'ask', reason: 'why this rule exists' }
      : { id: 'my-server-rule', match: { name: 'server-name' }, action: 'ask', reason: 'why this rule exists' };
  return ruleText(rule);
}

export function ruleText(rule: unknown): string {
  return JSON.stringify(rule, null, 2);
}

/** The fields each kind of rule takes, for the line under the editor. */
export const ruleFields: Record<RuleList, string> = {
  rules: 'id, tool (like "mcp__github__*"), action (allow, ask or deny); optional: client, arguments (a JSON Schema), reason, allowGrants',
  servers: 'id, match (name, command, package, pinned, url or sha256), action (allow, ask or deny); optional: reason',
};

export const listLabel: Record<RuleList, string> = { rules: 'tool rule', servers: 'server rule' };
