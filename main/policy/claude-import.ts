import type { Effect } from '../../shared/decision.js';
import { ToolPattern, type PolicyDocument, type ToolRule } from '../../shared/policy.js';

export type ClaudeImport = {
  policy: PolicyDocument;
  imported: ToolRule[];
  skipped: { entry: string; reason: string }[];
};

const LISTS: readonly Effect[] = ['deny', 'ask', 'allow'];

/**
 * Claude Code `permissions.allow/ask/deny` entries that name MCP tools (`mcp__github__create_issue`,
 * `mcp__github__*`, `mcp__github`) become user rules with the same names and meaning. Rules are
 * added or replaced by id and never removed, so an import can only add what the settings say.
 */
export function importClaudePermissions(settings: unknown, existing: PolicyDocument | undefined): ClaudeImport {
  const skipped: ClaudeImport['skipped'] = [];
  const imported: ToolRule[] = [];
  const permissions = isRecord(settings) && isRecord(settings['permissions']) ? settings['permissions'] : undefined;
  for (const action of LISTS) {
    const list = permissions?.[action];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      skipped.push({ entry: `permissions.${action}`, reason: 'not a list' });
      continue;
    }
    for (const entry of list) {
      if (typeof entry !== 'string') {
        skipped.push({ entry: JSON.stringify(entry), reason: 'not a string' });
        continue;
      }
      if (!entry.startsWith('mcp__')) {
        skipped.push({ entry, reason: 'not an MCP tool' });
        continue;
      }
      if (!ToolPattern.safeParse(entry).success || entry.includes('(')) {
        skipped.push({ entry, reason: 'not a tool name the guard understands' });
        continue;
      }
      imported.push({
        id: `claude:${action}:${entry.replaceAll('*', '.all')}`,
        tool: entry,
        action,
        reason: `imported from Claude Code settings (permissions.${action})`,
      });
    }
  }
  const base: PolicyDocument = existing ?? { version: 1 };
  const ids = new Set(imported.map((r) => r.id));
  const rules = [...(base.rules ?? []).filter((r) => !ids.has(r.id)), ...imported];
  return { policy: { ...base, rules }, imported, skipped };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
