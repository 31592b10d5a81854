import type { PolicyDocument } from '../../shared/policy.js';
import { compileCondition, createAjv } from './argument-condition.js';
import { policyShapeProblems } from './file-validators.js';
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

/**
 * The shape by the validator compiled from the zod schema (the same verdict in the proxy, the
 * service and the CLI, without loading zod), then the checks a schema cannot express.
 */
export function validatePolicy(value: unknown): PolicyParseResult {
  const shape = policyShapeProblems(value);
  if (shape.length > 0) return { ok: false, problems: shape };
  // The compiled schema admits exactly the documents the zod schema does (test/policy/compiled-validators.test.ts).
  const policy = value as PolicyDocument;
  const problems = semanticProblems(policy);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, policy };
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
      problems.push({
        path: `servers[${i}].match.package`,
        message: `"${spec.version}" is not a version range this guard understands (use 1.2.3, ^1.2, ~1.2.3, >=1 <2, 1.x)`,
      });
    }
  });
  let ajv: ReturnType<typeof createAjv> | undefined;
  policy.rules?.forEach((rule, i) => {
    checkId(rule.id, `rules[${i}].id`);
    if (rule.arguments) {
      const compiled = compileCondition((ajv ??= createAjv()), rule.arguments, `rules[${i}].arguments`);
      if ('problems' in compiled) problems.push(...compiled.problems);
    }
  });
  return problems;
}
