import type { z } from 'zod';
import { PolicyDocument } from '../../shared/policy.js';
import { compileCondition, createAjv } from './argument-condition.js';
import { parsePackageSpec } from './package-spec.js';
import { parseRange } from './semver-range.js';

/** One thing wrong with a policy document, at a JSON path such as `rules[3].tool`. */
export type PolicyProblem = { path: string; message: string };

export type PolicyParseResult = { ok: true; policy: PolicyDocument } | { ok: false; problems: PolicyProblem[] };

/** Parses a policy file's text: JSON syntax, the schema, then what the schema alone cannot check. */
export function parsePolicyText(text: string): PolicyParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path: '(root)', message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  return validatePolicy(value);
}

export function validatePolicy(value: unknown): PolicyParseResult {
  const parsed = PolicyDocument.safeParse(value);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.flatMap(issueProblems) };
  const problems = semanticProblems(parsed.data);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, policy: parsed.data };
}

/** `["rules", 3, "tool"]` → `rules[3].tool`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || '(root)';
}

function issueProblems(issue: z.core.$ZodIssue): PolicyProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: formatPath([...issue.path, key]),
      message: 'unknown field; check the spelling (unknown fields are rejected so a typo cannot weaken policy)',
    }));
  }
  return [{ path: formatPath(issue.path), message: issue.message }];
}

function semanticProblems(policy: PolicyDocument): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const ids = new Map<string, string>();
  const checkId = (id: string, path: string) => {
    const earlier = ids.get(id);
    if (earlier) problems.push({ path, message: `duplicate id "${id}" (also at ${earlier}); ids name rules in decisions and the audit log` });
    else ids.set(id, path);
  };
  policy.servers?.forEach((rule, i) => {
    checkId(rule.id, `servers[${i}].id`);
    const pkg = rule.match.package;
    if (pkg === undefined) return;
    const spec = parsePackageSpec(pkg);
    if (!spec || !spec.name) problems.push({ path: `servers[${i}].match.package`, message: 'expected "npm:@scope/name@range", "pypi:name" or "oci:image"' });
    else if (spec.ecosystem === 'npm' && spec.version !== undefined && !spec.version.includes('*') && parseRange(spec.version) === undefined) {
      problems.push({ path: `servers[${i}].match.package`, message: `"${spec.version}" is not a version range this guard understands (use 1.2.3, ^1.2, ~1.2.3, >=1 <2, 1.x)` });
    }
  });
  const ajv = createAjv();
  policy.rules?.forEach((rule, i) => {
    checkId(rule.id, `rules[${i}].id`);
    if (rule.arguments) {
      const compiled = compileCondition(ajv, rule.arguments, `rules[${i}].arguments`);
      if ('problems' in compiled) problems.push(...compiled.problems);
    }
  });
  return problems;
}
