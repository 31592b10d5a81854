import { createHash } from 'node:crypto';

/** A hash function from text to lowercase hex; injected so callers and tests can choose. */
export type HashFn = (text: string) => string;

export const sha256Hex: HashFn = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * JSON with object keys sorted at every depth and no whitespace, so equal values hash equally
 * whatever order a server sent the keys in. `undefined` members are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v: unknown) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined || typeof member === 'function') continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
  }
  return `{${parts.join(',')}}`;
}
