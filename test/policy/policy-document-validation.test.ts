import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicyText, validatePolicy } from '../../main/policy/parse-policy.js';
import { repoRoot } from '../helpers/paths.js';

const exampleText = readFileSync(join(repoRoot, 'test', 'policy', 'issue-example.json'), 'utf8');
// Tests edit the example freely by path; its shape is checked by the code under test.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const example = (): Record<string, any> => JSON.parse(exampleText) as Record<string, any>;
const problemsOf = (value: unknown) => {
  const r = validatePolicy(value);
  if (r.ok) throw new Error('expected problems, the policy validated');
  return r.problems;
};

describe('a policy document is validated with errors naming the JSON path', () => {
  it('accepts the example of issue 3 exactly as written, $schema included', () => {
    const r = parsePolicyText(exampleText);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.policy.$schema).toBe('https://mcp-guard.dev/schema/policy-v1.json');
  });

  it('rejects an unknown field and names its path, so a typo cannot weaken policy', () => {
    const doc = example();
    doc['rules'][2]['clinet'] = 'cursor';
    expect(problemsOf(doc)).toEqual([expect.objectContaining({ path: 'rules[2].clinet', message: expect.stringMatching(/unknown field/) })]);
  });

  it('rejects unknown fields inside defaults and server matches', () => {
    const doc = example();
    doc['defaults']['maxGrants'] = 'PT1H';
    doc['servers'][0]['match']['pined'] = true;
    expect(
      problemsOf(doc)
        .map((p) => p.path)
        .sort(),
    ).toEqual(['defaults.maxGrants', 'servers[0].match.pined']);
  });

  it('names the rule and field of a malformed tool pattern', () => {
    const doc = example();
    doc['rules'][1]['tool'] = 'github.delete';
    expect(problemsOf(doc)).toEqual([{ path: 'rules[1].tool', message: expect.stringMatching(/mcp__github__\*/) }]);
  });

  it('rejects an action other than allow, ask or deny', () => {
    const doc = example();
    doc['rules'][0]['action'] = 'permit';
    expect(problemsOf(doc)[0]!.path).toBe('rules[0].action');
  });

  it('rejects a malformed maxGrant duration', () => {
    const doc = example();
    doc['defaults']['maxGrant'] = '8 hours';
    expect(problemsOf(doc)[0]).toMatchObject({ path: 'defaults.maxGrant', message: expect.stringMatching(/PT8H/) });
  });

  it('rejects duplicate rule ids, naming both places', () => {
    const doc = example();
    doc['rules'][1]['id'] = 'fs-read-project';
    expect(problemsOf(doc)).toEqual([{ path: 'rules[1].id', message: expect.stringMatching(/duplicate id "fs-read-project" \(also at rules\[0\]\.id\)/) }]);
  });

  it('rejects a misspelt JSON Schema keyword in an argument condition instead of matching everything', () => {
    const doc = example();
    doc['rules'][0]['arguments'] = { properties: { path: { type: 'string', patern: '^/home/' } } };
    expect(problemsOf(doc)[0]).toMatchObject({ path: 'rules[0].arguments', message: expect.stringMatching(/patern/) });
  });

  it('rejects an unsupported npm version range in a server package match', () => {
    const doc = example();
    doc['servers'][0]['match'] = { package: 'npm:left-pad@latest-ish' };
    expect(problemsOf(doc)[0]!.path).toBe('servers[0].match.package');
  });

  it('rejects "pinned" without "package"', () => {
    const doc = example();
    doc['servers'][0]['match'] = { name: 'x', pinned: true };
    expect(problemsOf(doc)[0]!.path).toBe('servers[0].match.pinned');
  });

  it('reports text that is not JSON at the root', () => {
    const r = parsePolicyText('{ "version": 1,');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatchObject({ path: '(root)', message: expect.stringMatching(/not valid JSON/) });
  });

  it('rejects a version other than 1', () => {
    expect(problemsOf({ version: 2 })[0]).toMatchObject({ path: 'version' });
  });
});
