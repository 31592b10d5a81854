import { AuditEvent, type Sha256 } from '../../shared/audit.js';
import { canonicalJson, sha256 } from '../common/canonical-json.js';

/**
 * The hash chain: an event's `hash` is SHA-256 over the canonical JSON of the event without
 * `hash` (keys sorted at every level, no whitespace), and so covers its `prev`. A stored line is
 * that canonical JSON with `"hash"` appended as the last key.
 */

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
