import { createHash } from 'node:crypto';
import { AuditEvent, type Sha256 } from '../../shared/audit.js';

/**
 * The hash chain: an event's `hash` is SHA-256 over the canonical JSON of the event without
 * `hash` (keys sorted at every level, no whitespace), and so covers its `prev`. A stored line is
 * that canonical JSON with `"hash"` appended as the last key.
 */

/** JSON with object keys sorted at every level; members JSON.stringify would leave out are left out. */
export function canonicalJson(value: unknown): string {
  return canonical(value) ?? 'null';
}

export function sha256(text: string): Sha256 {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/** The stored line (without newline) and hash of an event that has everything but its hash. */
export function sealLine(unsealed: Omit<AuditEvent, 'hash'>): { line: string; hash: Sha256 } {
  const canonical = canonicalJson(unsealed);
  const hash = sha256(canonical);
  return { line: `${canonical.slice(0, -1)},"hash":"${hash}"}`, hash };
}

export type LineCheck = { ok: true; event: AuditEvent } | { ok: false; problem: string; hash?: string; prev?: string };

/**
 * Checks one stored line on its own: JSON, schema, and that its content matches its hash.
 * Linking (`prev`) is the caller's job, it needs the line before.
 */
export function checkLine(line: string): LineCheck {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, problem: 'not valid JSON (truncated or edited line)' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, problem: 'not a JSON object' };
  const { hash, ...rest } = raw as Record<string, unknown>;
  const links = {
    ...(typeof hash === 'string' ? { hash } : {}),
    ...(typeof rest['prev'] === 'string' ? { prev: rest['prev'] } : {}),
  };
  if (typeof hash !== 'string') return { ok: false, problem: 'no "hash" field', ...links };
  if (sha256(canonicalJson(rest)) !== hash) return { ok: false, problem: 'content does not match its hash (the event was edited)', ...links };
  const parsed = AuditEvent.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(event)';
    return { ok: false, problem: `does not match the audit event schema: ${field}: ${issue?.message ?? 'invalid'}`, ...links };
  }
  return { ok: true, event: parsed.data };
}

/** Serializes directly (no sorted copy): the audit hot path hashes every event. */
function canonical(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') {
    // string, number, boolean as JSON does; undefined, function, symbol give undefined; bigint throws like JSON.
    return JSON.stringify(value);
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return canonical((toJSON as () => unknown).call(value));
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item) ?? 'null').join(',')}]`;
  const keys = Object.keys(value).sort();
  let out = '';
  for (const key of keys) {
    const member = canonical((value as Record<string, unknown>)[key]);
    if (member === undefined) continue;
    out += `${out ? ',' : ''}${JSON.stringify(key)}:${member}`;
  }
  return `{${out}}`;
}
