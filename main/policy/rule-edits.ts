/**
 * Edits of one rule of a policy document, as values: the document an edit makes (for the check and
 * the save alike, so both judge the same document), and the document without a rule. Pure: the
 * caller reads and writes the file (main/store/user-policy-edits.ts).
 */
import type { PolicyDocument } from '../../shared/policy.js';
import { validatePolicy, type PolicyProblem } from './parse-policy.js';

export type RuleList = 'rules' | 'servers';

/** The document with `rule` in `list`: in place of the rule with id `replaces`, or appended; undefined when there is no such rule. */
export function withRule(
  doc: PolicyDocument,
  list: RuleList,
  replaces: string | undefined,
  rule: unknown,
): { doc: Record<string, unknown>; index: number } | undefined {
  const rules: unknown[] = [...(doc[list] ?? [])];
  let index = rules.length;
  if (replaces !== undefined) {
    index = rules.findIndex((r) => idOf(r) === replaces);
    if (index < 0) return undefined;
    rules[index] = rule;
  } else rules.push(rule);
  return { doc: { ...doc, [list]: rules }, index };
}

/** The document without the rule `id` of `list`; undefined when it has none. */
export function withoutRule(doc: PolicyDocument, list: RuleList, id: string): PolicyDocument | undefined {
  const rules: readonly { id: string }[] = doc[list] ?? [];
  if (!rules.some((r) => r.id === id)) return undefined;
  const rest = rules.filter((r) => r.id !== id);
  const { [list]: _dropped, ...others } = doc;
  return rest.length > 0 ? { ...others, [list]: rest } : others;
}

export type RuleCheck = { ok: true; doc: PolicyDocument; at: string } | { ok: false; problems: PolicyProblem[]; at: string | undefined };

/**
 * Parses a rule's JSON text and validates the document it makes with the validator `mcp-guard
 * policy check` runs (main/policy/parse-policy.ts), so the paths (`rules[3].tool`) and messages
 * are the CLI's own. Text that is not JSON is a problem at the rule's place.
 */
export function checkRuleEdit(base: PolicyDocument, edit: { list: RuleList; replaces?: string | undefined; text: string }): RuleCheck {
  const place = (index: number) => `${edit.list}[${index}]`;
  let rule: unknown;
  try {
    rule = JSON.parse(edit.text);
  } catch (error) {
    const index = edit.replaces !== undefined ? (base[edit.list] ?? []).findIndex((r) => r.id === edit.replaces) : (base[edit.list]?.length ?? 0);
    const at = index < 0 ? undefined : place(index);
    return { ok: false, at, problems: [{ path: at ?? edit.list, message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const made = withRule(base, edit.list, edit.replaces, rule);
  if (!made) return { ok: false, at: undefined, problems: [{ path: edit.list, message: missingRule(edit.list, edit.replaces ?? '') }] };
  const at = place(made.index);
  const checked = validatePolicy(made.doc);
  return checked.ok ? { ok: true, doc: checked.policy, at } : { ok: false, problems: checked.problems, at };
}

export function missingRule(list: RuleList, id: string): string {
  return `your policy has no ${list === 'rules' ? 'tool rule' : 'server rule'} "${id}" (it was changed or removed meanwhile); load the page again`;
}

function idOf(rule: unknown): unknown {
  return typeof rule === 'object' && rule !== null ? (rule as { id?: unknown }).id : undefined;
}
