import { describe, expect, it } from 'vitest';
import { importClaudePermissions } from '../../main/policy/claude-import.js';
import { validatePolicy } from '../../main/policy/parse-policy.js';
import { PolicyEngine } from '../../main/policy/policy-engine.js';
import { call } from './helpers.js';

const settings = {
  permissions: {
    allow: ['mcp__github__list_issues', 'Bash(npm test)', 'mcp__memory'],
    ask: ['mcp__github__*'],
    deny: ['mcp__github__delete_repo', 'Read(./.env)'],
  },
};

describe('Claude Code permissions become user rules with the same names and meaning', () => {
  const result = importClaudePermissions(settings, undefined);
  const engine = new PolicyEngine({ user: result.policy });

  it('imports only entries that name MCP tools and says what it skipped', () => {
    expect(result.imported.map((r) => [r.action, r.tool])).toEqual([
      ['deny', 'mcp__github__delete_repo'],
      ['ask', 'mcp__github__*'],
      ['allow', 'mcp__github__list_issues'],
      ['allow', 'mcp__memory'],
    ]);
    expect(result.skipped.map((s) => s.entry)).toEqual(['Read(./.env)', 'Bash(npm test)']);
    expect(validatePolicy(result.policy).ok).toBe(true);
  });

  it('decides as Claude Code would: deny over ask over allow; mcp__server covers every tool', () => {
    expect(engine.evaluate(call('github', 'delete_repo')).effect).toBe('deny');
    expect(engine.evaluate(call('github', 'list_issues')).effect).toBe('ask');
    expect(engine.evaluate(call('github', 'create_issue')).effect).toBe('ask');
    expect(engine.evaluate(call('memory', 'read_graph')).effect).toBe('allow');
  });

  it('keeps existing user rules and replaces a re-imported rule instead of duplicating it', () => {
    const again = importClaudePermissions(settings, { version: 1, rules: [{ id: 'mine', tool: 'mcp__x__y', action: 'deny' }, ...result.imported] });
    expect(again.policy.rules?.map((r) => r.id)).toEqual(['mine', ...result.imported.map((r) => r.id)]);
  });
});
