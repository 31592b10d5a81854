import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PinFile } from '../../shared/pins.js';
import { PolicyDocument } from '../../shared/policy.js';
import { VALIDATORS_FILE, validatorsSource } from '../../build/generate-validators.js';
import { pinFileProblems, policyShapeProblems } from '../../main/policy/file-validators.js';
import { repoRoot } from '../helpers/paths.js';

const example = JSON.parse(readFileSync(join(repoRoot, 'test', 'policy', 'issue-example.json'), 'utf8')) as unknown;
const HASH = 'a'.repeat(64);
const pins = {
  version: 1,
  servers: {
    github: {
      tools: { list_issues: { hash: HASH, definition: { name: 'list_issues', inputSchema: { type: 'object' } } } },
      instructions: { hash: HASH, text: null },
      pending: {
        tools: { delete_repo: { old: null, new: { hash: HASH, definition: { name: 'delete_repo' } }, seenAt: 1 } },
        instructions: { old: { hash: HASH, text: null }, new: { hash: 'b'.repeat(64), text: 'new' }, seenAt: 2 },
      },
    },
  },
};

/** Values of every JSON type, and strings that sit on the edges of the schemas' formats. */
const REPLACEMENTS: unknown[] = [null, 0, -1, 1.5, 5, 3601, true, '', 'x', 'mcp__a__b', 'mcp__', 'PT1H', 'P', 'PT', 'P1DT', 'npm:x@1.2.3', HASH, 'A'.repeat(64), [], ['x'], {}, { x: 1 }];

/** The document with one change: each node removed, replaced by each of REPLACEMENTS, and each object given an unknown field. */
function* mutations(value: unknown, set: (v: unknown) => unknown = (v) => v): Generator<unknown> {
  for (const r of REPLACEMENTS) yield set(r);
  if (Array.isArray(value)) {
    const list = value as unknown[];
    for (let i = 0; i < list.length; i++) {
      yield set(list.filter((_, j) => j !== i));
      yield* mutations(list[i], (v) => set(list.map((item, j) => (j === i ? v : item))));
    }
  } else if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    yield set({ ...object, unexpected: 1 });
    for (const key of Object.keys(object)) {
      const { [key]: _removed, ...rest } = object;
      yield set(rest);
      yield* mutations(object[key], (v) => set({ ...object, [key]: v }));
    }
  }
}

/** Runs both validators over every one-change variant of `base`; throws at the first disagreement. */
function agreement(base: unknown, zodAccepts: (v: unknown) => boolean, compiledAccepts: (v: unknown) => boolean): { checked: number; rejected: number } {
  let checked = 0;
  let rejected = 0;
  for (const variant of mutations(base)) {
    const zod = zodAccepts(variant);
    const compiled = compiledAccepts(variant);
    if (zod !== compiled) throw new Error(`zod says ${zod}, the compiled validator ${compiled}, for ${JSON.stringify(variant)}`);
    checked++;
    if (!zod) rejected++;
  }
  return { checked, rejected };
}

describe('the validators compiled from the zod schemas (what MCP Guard validates files with)', () => {
  it('are current: the committed file is what the schemas compile to today (run npm run schema after changing them)', () => {
    expect(readFileSync(join(repoRoot, VALIDATORS_FILE), 'utf8')).toBe(validatorsSource());
  });

  it('admit exactly the policy documents the zod schema admits, over thousands of one-change variants of the example', () => {
    const { checked, rejected } = agreement(example, (doc) => PolicyDocument.safeParse(doc).success, (doc) => policyShapeProblems(doc).length === 0);
    expect(checked).toBeGreaterThan(1000);
    // Both verdicts occur: a validator that rejected (or accepted) everything would not pass this.
    expect(rejected).toBeGreaterThan(checked / 2);
    expect(rejected).toBeLessThan(checked);
  });

  it('admit exactly the pin files the zod schema admits', () => {
    const { checked, rejected } = agreement(pins, (file) => PinFile.safeParse(file).success, (file) => pinFileProblems(file).length === 0);
    expect(rejected).toBeGreaterThan(checked / 2);
    expect(rejected).toBeLessThan(checked);
  });

  it('carry the rules zod checks in code: durations, a server match with no field, "pinned" without "package"', () => {
    const withDefaults = (maxGrant: string) => ({ version: 1, defaults: { maxGrant } });
    for (const bad of ['P', 'PT', 'P1DT', 'PT1H2', '8h']) expect(policyShapeProblems(withDefaults(bad)), bad).toEqual([{ path: 'defaults.maxGrant', message: expect.stringMatching(/PT8H/) }]);
    for (const good of ['P1D', 'PT8H', 'P1DT12H', 'PT30M', 'PT45S']) expect(policyShapeProblems(withDefaults(good)), good).toEqual([]);
    const server = (match: object) => ({ version: 1, servers: [{ id: 's', match, action: 'deny' }] });
    expect(policyShapeProblems(server({}))).toEqual([{ path: 'servers[0].match', message: 'needs at least one field' }]);
    expect(policyShapeProblems(server({ name: 'x', pinned: true }))).toEqual([{ path: 'servers[0].match.pinned', message: '"pinned" only applies together with "package"' }]);
    expect(policyShapeProblems(server({ package: 'npm:x', pinned: true }))).toEqual([]);
  });

  it('name the path and what was expected, one problem per value that fits no form of a union', () => {
    expect(policyShapeProblems({ version: 1, servers: [{ id: 's', match: { command: 5 }, action: 'allow' }] })).toEqual([
      { path: 'servers[0].match.command', message: expect.stringMatching(/^expected /) },
    ]);
    expect(policyShapeProblems({ version: 1, rules: [{ id: 'r', tool: 'mcp__a', action: 'permit' }] })).toEqual([{ path: 'rules[0].action', message: 'expected one of "allow", "ask", "deny"' }]);
    expect(policyShapeProblems({ version: 1, rules: [{ tool: 'mcp__a', action: 'deny' }] })).toEqual([{ path: 'rules[0].id', message: 'required, and missing' }]);
    expect(policyShapeProblems([])).toEqual([{ path: '(root)', message: 'expected an object' }]);
  });
});
