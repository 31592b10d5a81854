import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFileSync, writeFileAtomicSync, type FileProblem } from './atomic-file.js';

/**
 * The last good signed policy (issue 17), kept in the guard's home for offline starts:
 * `last-good-policy.json` (0600, written atomically). It holds document texts exactly as they were
 * fetched and verified, never conclusions about them: whoever loads it verifies them again (the
 * roots from the MDM root onward, the bundle against the root so reached), so a copy edited on disk
 * is refused like any other document. A file that does not parse is reported and ignored.
 * Format: docs/signed-policy.md, "The last good copy".
 */

export const LAST_GOOD_POLICY_FILE = 'last-good-policy.json';

/** A signed document's largest size (main/sync/jws.ts MAX_DOCUMENT_BYTES) with room for JSON escaping. */
const MAX_TEXT = 7 * 1024 * 1024;
const LIMIT = { what: 'the last good policy', maxBytes: 16 * 1024 * 1024, fix: 'remove it; the guard fetches the policy again' };

export const StoredDocument = z.strictObject({
  /** The document as fetched (a General JWS). */
  text: z.string().max(MAX_TEXT),
  /** The ETag the server gave with it, for the next conditional GET. */
  etag: z.string().max(1024).optional(),
  /** The URL it came from (an ETag is sent back only to the same URL). */
  url: z.string().max(2048).optional(),
});
export type StoredDocument = z.infer<typeof StoredDocument>;

export const LastGoodPolicy = z.strictObject({
  format: z.literal(1),
  /** The roots accepted after the MDM root, oldest first: each one rotated from the one before. */
  roots: z.array(StoredDocument).max(64),
  bundle: StoredDocument.optional(),
});
export type LastGoodPolicy = z.infer<typeof LastGoodPolicy>;

export type LastGoodRead = { state: 'missing' } | { state: 'ok'; value: LastGoodPolicy } | { state: 'corrupt'; problems: FileProblem[] };

export class LastGoodPolicyStore {
  readonly file: string;

  constructor(home: string) {
    this.file = join(home, LAST_GOOD_POLICY_FILE);
  }

  readSync(): LastGoodRead {
    const read = readJsonFileSync(this.file, LIMIT);
    if (read.state !== 'parsed') return read.state === 'missing' ? read : { state: 'corrupt', problems: read.problems };
    const parsed = LastGoodPolicy.safeParse(read.value);
    if (parsed.success) return { state: 'ok', value: parsed.data };
    return {
      state: 'corrupt',
      problems: parsed.error.issues.map((issue) => ({ file: this.file, path: issue.path.join('.') || '(root)', message: issue.message })),
    };
  }

  writeSync(value: LastGoodPolicy): void {
    writeFileAtomicSync(this.file, JSON.stringify(LastGoodPolicy.parse(value)) + '\n');
  }
}
