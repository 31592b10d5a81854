import { createHash } from 'node:crypto';
import { canonicalJson } from '../common/canonical-json.js';

/** A short hash of what a prompt shows, so an answer names the content the user saw. */
export function revisionOf(content: unknown): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 32);
}
