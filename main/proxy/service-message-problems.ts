/**
 * A message from the guard service, checked before the proxy acts on it, by the validator compiled
 * from shared/'s `ServiceMessage` (build/generate-validators.ts): the proxy loads no zod. Problems
 * name the field and what was expected, never the value (a message may carry grants or arguments).
 * Loaded by ./service-link.ts once it reaches the service, not before.
 */
import type { ServiceMessage } from '../../shared/proxy-protocol.js';
import { schemaProblems, type CompiledValidator, type SchemaProblem } from '../policy/schema-problems.js';
import { validateServiceMessage } from '../policy/generated/service-message-validator.js';

/** Problems of a message from the service; empty when it is a `ServiceMessage`. */
export function serviceMessageProblems(value: unknown): SchemaProblem[] {
  return schemaProblems(validateServiceMessage as CompiledValidator, value);
}

/** The message, when it has no problems; the problems otherwise. */
export function parseServiceMessage(value: unknown): { ok: true; message: ServiceMessage } | { ok: false; problems: SchemaProblem[] } {
  const problems = serviceMessageProblems(value);
  return problems.length === 0 ? { ok: true, message: value as ServiceMessage } : { ok: false, problems };
}
