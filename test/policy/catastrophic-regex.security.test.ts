import { describe, expect, it } from 'vitest';
import { validatePolicy } from '../../main/policy/parse-policy.js';
import { unsafeRegexReason } from '../../main/policy/regex-safety.js';

const withPattern = (pattern: string, where: 'pattern' | 'patternProperties' = 'pattern') => ({
  version: 1,
  rules: [
    {
      id: 'r',
      tool: 'mcp__fs__read',
      action: 'allow',
      arguments: where === 'pattern' ? { properties: { path: { type: 'string', pattern } } } : { patternProperties: { [pattern]: { type: 'string' } } },
    },
  ],
});

describe('threat: a policy regex that runs away stalls every tool call', () => {
  it('the rejected pattern really is catastrophic (so the check guards against something real)', () => {
    const started = performance.now();
    new RegExp('^(a+)+$').test(`${'a'.repeat(22)}!`);
    expect(performance.now() - started).toBeGreaterThan(20);
  });

  it('rejects (a+)+ in a pattern with a message naming the path', () => {
    const r = validatePolicy(withPattern('^(a+)+$'));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems).toEqual([{ path: 'rules[0].arguments.properties.path.pattern', message: expect.stringMatching(/could run away: nested quantifier/) }]);
  });

  it('rejects a catastrophic patternProperties key, naming it', () => {
    const r = validatePolicy(withPattern('(x*)*y', 'patternProperties'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.path).toBe('rules[0].arguments.patternProperties["(x*)*y"]');
  });

  it.each(['(a*)*', '(a|a)*', '(a|ab)+', '(\\w+\\s?)*$', '(.*a){12}', '(a)\\1', '(?<x>a)\\k<x>', '((ab)+c)+'])('rejects %s', (pattern) => {
    expect(unsafeRegexReason(pattern)).toBeDefined();
  });

  it.each(['^/home/dev/projects/', '^[a-z0-9_-]+$', '(foo|bar)+', '^(\\d+\\.){3}\\d+$', '^https://(www\\.)?example\\.com/', '[ab]+c?'])(
    'accepts the ordinary pattern %s',
    (pattern) => {
      expect(unsafeRegexReason(pattern)).toBeUndefined();
    },
  );

  it('finds patterns nested in allOf, items and $defs', () => {
    const r = validatePolicy({
      version: 1,
      rules: [
        {
          id: 'r',
          tool: 'mcp__a__b',
          action: 'deny',
          arguments: { allOf: [{ properties: { xs: { type: 'array', items: { type: 'string', pattern: '(a+)+' } } } }] },
        },
      ],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.path).toBe('rules[0].arguments.allOf[0].properties.xs.items.pattern');
  });
});
