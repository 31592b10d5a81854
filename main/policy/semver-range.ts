/**
 * The subset of npm semver ranges a policy needs: `*`, `x`, exact `1.2.3`, partial `1.2` / `1.x`,
 * `^`, `~`, comparators `>= <= > < =`, space-separated intersections and `||` unions. Prerelease
 * versions compare by their tuple and then the prerelease text (simplified).
 */
type Version = readonly [number, number, number, string];
type Comparator = { op: '>=' | '<=' | '>' | '<' | '='; v: Version };

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** An exact version (`1.2.3`, `1.2.3-beta.1`), or undefined for a tag, range or partial version. */
export function parseExactVersion(text: string): Version | undefined {
  const m = VERSION.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ?? ''] : undefined;
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  if (a[3] === b[3]) return 0;
  if (a[3] === '') return 1;
  if (b[3] === '') return -1;
  return a[3] < b[3] ? -1 : 1;
}

/** Parses a range into a union of intersections, or undefined when it is not a supported range. */
export function parseRange(range: string): Comparator[][] | undefined {
  const union: Comparator[][] = [];
  for (const part of range.split('||')) {
    const set: Comparator[] = [];
    const tokens = part
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean);
    for (const token of tokens) {
      const comparators = parseToken(token);
      if (!comparators) return undefined;
      set.push(...comparators);
    }
    union.push(set);
  }
  return union;
}

function parseToken(token: string): Comparator[] | undefined {
  const m = /^(>=|<=|>|<|=|\^|~)?v?(\*|x|X|\d+)(?:\.(\*|x|X|\d+))?(?:\.(\*|x|X|\d+))?(?:-([0-9A-Za-z.-]+))?$/.exec(token);
  if (!m) return undefined;
  const [, op = '', ma, mi, pa, pre = ''] = m;
  const num = (s: string | undefined) => (s === undefined || /^[*xX]$/.test(s) ? undefined : Number(s));
  const major = num(ma);
  const minor = num(mi);
  const patch = num(pa);
  if (major === undefined) return op === '' || op === '=' ? [] : op === '<' ? [{ op: '<', v: [0, 0, 0, ''] }] : [];
  const low: Version = [major, minor ?? 0, patch ?? 0, pre];
  const exact = minor !== undefined && patch !== undefined;
  const upperOf = (v: Version): Comparator => ({ op: '<', v });
  switch (op) {
    case '^': {
      const upper: Version =
        major > 0 || minor === undefined ? [major + 1, 0, 0, ''] : minor > 0 || patch === undefined ? [0, minor + 1, 0, ''] : [0, 0, patch + 1, ''];
      return [{ op: '>=', v: low }, upperOf(upper)];
    }
    case '~':
      return [{ op: '>=', v: low }, upperOf(minor === undefined ? [major + 1, 0, 0, ''] : [major, minor + 1, 0, ''])];
    case '':
    case '=':
      if (exact) return [{ op: '=', v: low }];
      return [{ op: '>=', v: low }, upperOf(minor === undefined ? [major + 1, 0, 0, ''] : [major, minor + 1, 0, ''])];
    case '>':
      if (exact) return [{ op: '>', v: low }];
      return [{ op: '>=', v: minor === undefined ? [major + 1, 0, 0, ''] : [major, minor + 1, 0, ''] }];
    case '<=':
      if (exact) return [{ op: '<=', v: low }];
      return [upperOf(minor === undefined ? [major + 1, 0, 0, ''] : [major, minor + 1, 0, ''])];
    case '>=':
    case '<':
      return [{ op, v: low }];
    default:
      return undefined;
  }
}

export function satisfies(version: string, range: string): boolean {
  const v = parseExactVersion(version);
  const union = parseRange(range);
  if (!v || !union) return false;
  return union.some((set) =>
    set.every(({ op, v: w }) => {
      const c = compare(v, w);
      return op === '=' ? c === 0 : op === '>=' ? c >= 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c < 0;
    }),
  );
}
