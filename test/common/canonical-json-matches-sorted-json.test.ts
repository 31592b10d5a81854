import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../main/common/canonical-json.js';

/** The definition, written the slow obvious way: keys sorted by code unit, everything else as JSON.stringify writes it. */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${reference(record[key])}`)
    .join(',')}}`;
}

const tricky = [
  '',
  'plain',
  'quote"d',
  'back\\slash',
  'tab\t',
  'nl\n',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u2028',
  'é',
  '日本',
  '\ud83d\ude00',
  'lone \ud800',
  '\udc00 lone',
];

describe('canonical JSON (the hashed form)', () => {
  it('sorts keys by code unit (array-index keys too) and writes strings and numbers as JSON does', () => {
    const keys = [...tricky, '__proto__', 'toJSON', '10', '9', '0', '-1', 'B', 'a', 'Z'];
    const numbers = [0, -0, 1, -1.5, 1e21, 1e-7, 2 ** 53, 0.1];
    // Built as a JSON text and parsed: what a stored line or an IPC payload can contain.
    const members = keys.map(
      (key, i) =>
        `${JSON.stringify(key)}:${JSON.stringify(i % 2 ? tricky[i % tricky.length] : { [key]: numbers[i % numbers.length], list: [key, null, true] })}`,
    );
    const value: unknown = JSON.parse(`{${members.join(',')}}`);
    expect(canonicalJson(value)).toBe(reference(value));
    expect(canonicalJson(JSON.parse(canonicalJson(value)))).toBe(canonicalJson(value));
  });

  it('leaves out what JSON leaves out, writes null where JSON does, and calls toJSON', () => {
    const value = { b: undefined, a: [undefined, () => 1, Number.NaN, -Infinity], d: new Date(0), c: () => 1 };
    expect(canonicalJson(value)).toBe('{"a":[null,null,null,null],"d":"1970-01-01T00:00:00.000Z"}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
  });
});
