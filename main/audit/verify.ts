import type { Sha256 } from '../../shared/audit.js';
import { checkLine } from './chain.js';
import { AuditManifestError, listSegments, MANIFEST_NAME, readLines, readManifest, segmentName, type AuditManifest } from './segments.js';
import type { AuditProblem } from './tail-recovery.js';

export type VerifyResult =
  | { ok: true; events: number; segments: number; warnings: AuditProblem[] }
  | { ok: false; events: number; broken: AuditProblem };

/**
 * Walks the whole retained chain: every line parses, matches the schema and its own hash, and its
 * `prev` is the hash of the line before (across segments; the first retained event links to the
 * `prev` the manifest recorded when retention deleted older segments). Stops at the first broken
 * link. A torn last line of the newest segment is a warning (a crash; the next open repairs it).
 */
export async function verifyAuditLog(dir: string): Promise<VerifyResult> {
  let manifest: AuditManifest;
  try {
    manifest = await readManifest(dir);
  } catch (error) {
    if (error instanceof AuditManifestError) return { ok: false, events: 0, broken: { file: MANIFEST_NAME, problem: error.message } };
    throw error;
  }
  const segments = (await listSegments(dir)).filter((s) => s.number >= manifest.first.segment);
  const sealed = manifest.lastSealed;
  const warnings: AuditProblem[] = [];
  let events = 0;
  const broken = (problem: AuditProblem): VerifyResult => ({ ok: false, events, broken: problem });

  if (segments.length === 0) {
    return sealed ? broken({ file: segmentName(sealed.segment), problem: 'missing: the manifest records it as sealed, and no segment remains (deleted?)' }) : { ok: true, events: 0, segments: 0, warnings };
  }
  let expected: Sha256 = manifest.first.prev;
  let expectedNumber = manifest.first.segment;
  for (const [index, segment] of segments.entries()) {
    if (segment.number !== expectedNumber) {
      const what = expectedNumber === manifest.first.segment ? 'the manifest says the retained log starts here' : `it comes between ${segmentName(expectedNumber - 1)} and ${segment.name}`;
      return broken({ file: segmentName(expectedNumber), problem: `missing: ${what} (segment deleted?)` });
    }
    expectedNumber++;
    const newest = index === segments.length - 1;
    let lastLine = 0;
    for await (const line of readLines(segment.path)) {
      lastLine = line.number;
      if (!line.complete) {
        const problem = 'incomplete last line (a write torn by a crash)';
        if (!newest) return broken({ file: segment.name, line: line.number, problem });
        warnings.push({ file: segment.name, line: line.number, problem: `${problem}; the next open of the log repairs it` });
        break;
      }
      const check = checkLine(line.text);
      if (!check.ok) return broken({ file: segment.name, line: line.number, problem: check.problem });
      if (check.event.prev !== expected) {
        const before = line.number === 1 ? (index === 0 ? 'the start the manifest records' : 'the last event of the segment before') : `line ${line.number - 1}`;
        return broken({ file: segment.name, line: line.number, problem: `prev does not match the hash of ${before} (an event was deleted, inserted or moved)` });
      }
      expected = check.event.hash;
      events++;
    }
    if (sealed?.segment === segment.number && expected !== sealed.hash) {
      return broken({ file: segment.name, ...(lastLine > 0 ? { line: lastLine } : {}), problem: `does not end with the event recorded when it was sealed (${sealed.lines} lines; events removed from its end?)` });
    }
  }
  const newest = segments.at(-1)!;
  if (sealed && newest.number <= sealed.segment) {
    return broken({ file: segmentName(sealed.segment + 1), problem: `missing: ${segmentName(sealed.segment)} was sealed and the log continued here (newest segment deleted?)` });
  }
  return { ok: true, events, segments: segments.length, warnings };
}
