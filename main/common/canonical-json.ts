/**
 * The one canonical JSON and the one hash of MCP Guard: tool pins, grant argument matches, the
 * audit chain and redaction all hash `canonicalJson` output, so equal values hash equally whatever
 * order their keys came in.
 */
import { hash as digest } from 'node:crypto';
import type { Sha256 } from '../../shared/audit.js';

/** A hash function from text to lowercase hex; injected so callers and tests can choose. */
export type HashFn = (text: string) => string;

/** JSON with object keys sorted at every level; members JSON.stringify would leave out are left out. */
export function canonicalJson(value: unknown): string {
  return canonical(value) ?? 'null';
}

/** SHA-256 of `text` (UTF-8) as lowercase hex. One-shot: no Hash object per call. */
export const sha256Hex: HashFn = (text) => digest('sha256', text, 'hex');

/** SHA-256 as the audit log writes it: `sha256:<hex>`. */
export function sha256(text: string): Sha256 {
  return `sha256:${sha256Hex(text)}`;
}

/** Characters JSON.stringify escapes in a string: quote, backslash, controls, lone surrogate halves. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/; // eslint-disable-line no-control-regex -- JSON escapes exactly these
/** Quoted object keys, a memo of JSON.stringify: the same few keys recur in every event. Bounded, since argument keys are arbitrary. */
const quotedKeys = new Map<string, string>();
const MAX_QUOTED_KEYS = 4096;

/**
 * Serializes directly (no sorted copy): the audit hot path hashes every event. Strings, numbers and
 * keys come out as JSON.stringify writes them, without its per-call cost for the common cases
 * (strings needing no escape, finite numbers, keys seen before); an array hole is `null`, as in JSON.
 */
function canonical(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
    case 'number':
      // JSON writes a finite number as ToString does (-0 as 0) and anything else as null.
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      break;
    default:
      // undefined, function, symbol give undefined; bigint throws like JSON.
      return JSON.stringify(value);
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return canonical((toJSON as () => unknown).call(value));
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i > 0 ? ',' : ''}${canonical(value[i]) ?? 'null'}`;
    return `${out}]`;
  }
  const keys = sortedKeys(value);
  let out = '';
  for (const key of keys) {
    const member = canonical((value as Record<string, unknown>)[key]);
    if (member === undefined) continue;
    out += `${out ? ',' : ''}${quoteKey(key)}:${member}`;
  }
  return `{${out}}`;
}

/** Object.keys in the order of the default sort (UTF-16 code units); insertion sort for the few keys of an event's objects. */
function sortedKeys(value: object): string[] {
  const keys = Object.keys(value);
  if (keys.length > 32) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    for (; j >= 0 && keys[j]! > key; j--) keys[j + 1] = keys[j]!;
    keys[j + 1] = key;
  }
  return keys;
}

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < MAX_QUOTED_KEYS) quotedKeys.set(key, quoted);
  }
  return quoted;
}
