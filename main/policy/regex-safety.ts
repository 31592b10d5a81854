/**
 * Rejects regular expressions that can backtrack catastrophically (ReDoS): a repeated group that
 * itself contains a quantifier (`(a+)+`, `(a*)*`), a repeated alternation whose branches can start
 * with the same character (`(a|a)*`, `(a|ab)+`), and backreferences. Conservative on purpose: a
 * rejected pattern can almost always be rewritten with a character class (`[ab]+`).
 */
export const MAX_PATTERN_LENGTH = 1000;
const MAX_SMALL_REPEAT = 10;

/** Why the pattern is unsafe, or undefined when it is accepted. */
export function unsafeRegexReason(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    new Scanner(pattern).sequence(0);
    return undefined;
  } catch (error) {
    if (error instanceof UnsafeRegex) return error.message;
    throw error;
  }
}

class UnsafeRegex extends Error {}

/** The first character an alternative must start with, ANY when unknown, EMPTY when it can be empty. */
const ANY = '\u0000any';
const EMPTY = '\u0000empty';

type Sequence = { end: number; quantified: boolean; firsts: string[] };

class Scanner {
  constructor(private readonly p: string) {}

  /** Scans alternatives from `i` up to an unmatched `)` or the end. */
  sequence(i: number): Sequence {
    const p = this.p;
    let quantified = false;
    const firsts: string[] = [];
    let first: string | undefined;
    while (i < p.length && p[i] !== ')') {
      const c = p[i]!;
      if (c === '|') {
        firsts.push(first ?? EMPTY);
        first = undefined;
        i++;
        continue;
      }
      if (c === '^' || c === '$') {
        i++;
        continue;
      }
      let atomFirst: string;
      let inner: Sequence | undefined;
      if (c === '\\') {
        const n = p[i + 1] ?? '';
        if (/[1-9]/.test(n) || (n === 'k' && p[i + 2] === '<')) throw new UnsafeRegex('backreferences are not allowed in patterns');
        atomFirst = /[dDwWsSbBpPuxcu0]/.test(n) ? ANY : n;
        i += 2;
      } else if (c === '[') {
        i = this.classEnd(i);
        atomFirst = ANY;
      } else if (c === '(') {
        let body = i + 1;
        let lookaround = false;
        if (p[body] === '?') {
          if (p[body + 1] === ':') body += 2;
          else if (p[body + 1] === '=' || p[body + 1] === '!') {
            body += 2;
            lookaround = true;
          } else if (p[body + 1] === '<' && (p[body + 2] === '=' || p[body + 2] === '!')) {
            body += 3;
            lookaround = true;
          } else if (p[body + 1] === '<') body = p.indexOf('>', body) + 1;
        }
        inner = this.sequence(body);
        if (p[inner.end] !== ')') throw new UnsafeRegex('unbalanced parenthesis');
        i = inner.end + 1;
        atomFirst = lookaround || inner.firsts.length !== 1 ? ANY : inner.firsts[0]!;
        if (inner.quantified) quantified = true;
      } else {
        atomFirst = c === '.' ? ANY : c;
        i++;
      }
      const q = this.quantifier(i);
      if (q) {
        quantified = true;
        i = q.end;
        if (inner && q.max > 1) {
          // A small fixed bound ({3}, {1,4}) multiplies work by a constant; only large or unbounded repetition runs away.
          if (inner.quantified && q.max > MAX_SMALL_REPEAT) throw new UnsafeRegex('nested quantifier: a repeated group contains a quantifier, as in (a+)+');
          if (overlapping(inner.firsts)) throw new UnsafeRegex('repeated alternation whose branches can match the same text, as in (a|a)*');
        }
        if (q.min === 0) atomFirst = ANY;
      }
      first ??= atomFirst;
    }
    firsts.push(first ?? EMPTY);
    return { end: i, quantified, firsts };
  }

  private classEnd(i: number): number {
    const p = this.p;
    let j = i + 1;
    if (p[j] === '^') j++;
    if (p[j] === ']') j++;
    while (j < p.length && p[j] !== ']') j += p[j] === '\\' ? 2 : 1;
    if (j >= p.length) throw new UnsafeRegex('unterminated character class');
    return j + 1;
  }

  private quantifier(i: number): { end: number; min: number; max: number } | undefined {
    const p = this.p;
    const c = p[i];
    let result: { end: number; min: number; max: number } | undefined;
    if (c === '*') result = { end: i + 1, min: 0, max: Infinity };
    else if (c === '+') result = { end: i + 1, min: 1, max: Infinity };
    else if (c === '?') result = { end: i + 1, min: 0, max: 1 };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
      if (m) {
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        result = { end: i + m[0].length, min, max };
      }
    }
    if (result && p[result.end] === '?') result.end++;
    return result;
  }
}

function overlapping(firsts: string[]): boolean {
  if (firsts.length < 2) return false;
  const seen = new Set<string>();
  for (const f of firsts) {
    if (f === ANY || f === EMPTY || seen.has(f)) return true;
    seen.add(f);
  }
  return false;
}

/**
 * Every regular expression inside a JSON Schema (`pattern` values, `patternProperties` keys), with
 * the JSON path of each, walking only schema positions (not `const`, `enum`, `default`, `examples`).
 */
export function* schemaPatterns(schema: unknown, path: string): Generator<{ path: string; pattern: string }> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return;
  const s = schema as Record<string, unknown>;
  if (typeof s['pattern'] === 'string') yield { path: `${path}.pattern`, pattern: s['pattern'] };
  for (const key of ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']) {
    const map = s[key];
    if (typeof map !== 'object' || map === null) continue;
    for (const [name, sub] of Object.entries(map)) {
      const subPath = `${path}.${key}${/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`}`;
      if (key === 'patternProperties') yield { path: subPath, pattern: name };
      yield* schemaPatterns(sub, subPath);
    }
  }
  for (const key of [
    'additionalProperties',
    'items',
    'contains',
    'not',
    'if',
    'then',
    'else',
    'propertyNames',
    'unevaluatedProperties',
    'unevaluatedItems',
    'additionalItems',
  ]) {
    const sub = s[key];
    if (Array.isArray(sub)) for (let i = 0; i < sub.length; i++) yield* schemaPatterns(sub[i], `${path}.${key}[${i}]`);
    else if (sub !== undefined) yield* schemaPatterns(sub, `${path}.${key}`);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) {
    const list = s[key];
    if (Array.isArray(list)) for (let i = 0; i < list.length; i++) yield* schemaPatterns(list[i], `${path}.${key}[${i}]`);
  }
}
