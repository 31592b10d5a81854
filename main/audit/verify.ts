import type { Sha256 } from '../../shared/audit.js';
import { checkLine } from './chain.js';
import { describeLostHead, HEAD_NAME, missingLines, readHeadAnchor, type HeadAnchor } from './head-anchor.js';
import { AuditManifestError, listSegments, MANIFEST_NAME, readLines, readManifest, segmentName, type AuditManifest } from './segments.js';
import type { AuditProblem } from './tail-recovery.js';

export type VerifyResult = { ok: true; events: number; segments: number; warnings: AuditProblem[] } | { ok: false; events: number; broken: AuditProblem };

/**
 * Walks the whole retained chain: every line parses, matches the schema and its own hash, and its
 * `prev` is the hash of the line before (across segments; the first retained event links to the
 * `prev` the manifest recorded when retention deleted older segments). Stops at the first broken
 * link. A torn last line of the newest segment is a warning (a crash; the next open repairs it).
 * Then the chain must reach the head anchor (head.json): the anchored line holds the anchored
 * hash. The anchor may be behind the end (a crash before it was rewritten), never beyond it; a log
 * with events and no anchor fails, since events cut from its end could not be seen.
 */
export async function verifyAuditLog(dir: string): Promise<VerifyResult> {
  let manifest: AuditManifest;
  try {
    manifest = await readManifest(dir);
  } catch (error) {
    if (error instanceof AuditManifestError) return { ok: false, events: 0, broken: { file: MANIFEST_NAME, problem: error.message } };
    throw error;
  }
  const anchorRead = await readHeadAnchor(dir);
  if (anchorRead.kind === 'unreadable')
    return {
      ok: false,
      events: 0,
      broken: {
        file: HEAD_NAME,
        problem: `the head anchor is unreadable: ${anchorRead.problem} (edited, or torn by a power loss; the next open of the log rewrites it)`,
      },
    };
  // An anchor in a segment retention deleted is behind the retained log: nothing left to check.
  const anchor: HeadAnchor | undefined = anchorRead.kind === 'found' && anchorRead.anchor.segment >= manifest.first.segment ? anchorRead.anchor : undefined;
  // An anchor of line 0 was written for a new, empty log: every chain reaches it.
  let anchorReached = anchor?.line === 0;
  const segments = (await listSegments(dir)).filter((s) => s.number >= manifest.first.segment);
  const sealed = manifest.lastSealed;
  const warnings: AuditProblem[] = [];
  let events = 0;
  const broken = (problem: AuditProblem): VerifyResult => ({ ok: false, events, broken: problem });

  if (segments.length === 0) {
    if (sealed) return broken({ file: segmentName(sealed.segment), problem: 'missing: the manifest records it as sealed, and no segment remains (deleted?)' });
    if (anchor)
      return broken({
        file: segmentName(anchor.segment),
        problem: `missing: the head anchor (${HEAD_NAME}) records line ${anchor.line} of it, and no segment remains (deleted?)`,
      });
    return { ok: true, events: 0, segments: 0, warnings };
  }
  let expected: Sha256 = manifest.first.prev;
  let expectedNumber = manifest.first.segment;
  for (const [index, segment] of segments.entries()) {
    if (segment.number !== expectedNumber) {
      const what =
        expectedNumber === manifest.first.segment
          ? 'the manifest says the retained log starts here'
          : `it comes between ${segmentName(expectedNumber - 1)} and ${segment.name}`;
      return broken({ file: segmentName(expectedNumber), problem: `missing: ${what} (segment deleted?)` });
    }
    expectedNumber++;
    const newest = index === segments.length - 1;
    const anchored = anchor?.segment === segment.number ? anchor : undefined;
    let lastLine = 0;
    let wholeLines = 0;
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
        const before =
          line.number === 1 ? (index === 0 ? 'the start the manifest records' : 'the last event of the segment before') : `line ${line.number - 1}`;
        return broken({
          file: segment.name,
          line: line.number,
          problem: `prev does not match the hash of ${before} (an event was deleted, inserted or moved)`,
        });
      }
      if (anchored?.line === line.number) {
        if (check.event.hash !== anchored.hash)
          return broken({
            file: segment.name,
            line: line.number,
            problem: `does not have the hash the head anchor (${HEAD_NAME}) records for it (${anchored.hash}): the newest events were rewritten`,
          });
        anchorReached = true;
      }
      expected = check.event.hash;
      wholeLines = line.number;
      events++;
    }
    if (sealed?.segment === segment.number && expected !== sealed.hash) {
      const missing =
        wholeLines < sealed.lines
          ? `it ends at line ${wholeLines} but was sealed with ${sealed.lines}: ${missingLines(wholeLines + 1, sealed.lines)}`
          : `${sealed.lines} lines`;
      return broken({
        file: segment.name,
        ...(lastLine > 0 ? { line: lastLine } : {}),
        problem: `does not end with the event recorded when it was sealed (${missing}; events removed from its end?)`,
      });
    }
    const lostHead = manifest.lostHeads?.find((l) => l.segment === segment.number);
    if (lostHead)
      return broken({ file: segment.name, problem: `${describeLostHead(lostHead)}; seen when the log was opened, which went on in the next segment` });
    if (anchored && !anchorReached) {
      return broken({ file: segment.name, problem: describeLostHead({ ...anchored, found: wholeLines }) });
    }
  }
  const lostElsewhere = manifest.lostHeads?.find((l) => !segments.some((s) => s.number === l.segment));
  if (lostElsewhere)
    return broken({ file: segmentName(lostElsewhere.segment), problem: `missing: when the log was opened, ${describeLostHead(lostElsewhere)}` });
  const newest = segments.at(-1)!;
  if (sealed && newest.number <= sealed.segment) {
    return broken({
      file: segmentName(sealed.segment + 1),
      problem: `missing: ${segmentName(sealed.segment)} was sealed and the log continued here (newest segment deleted?)`,
    });
  }
  if (anchor && !anchorReached) {
    return broken({
      file: segmentName(anchor.segment),
      problem: `missing: the head anchor (${HEAD_NAME}) records line ${anchor.line} of it (${anchor.hash}); the log ends in ${newest.name} (newest segment deleted?)`,
    });
  }
  if (anchorRead.kind === 'missing' && events > 0) {
    return broken({
      file: HEAD_NAME,
      problem: `missing: the log has ${events} events but no head anchor, so events deleted from its end would go unnoticed (deleted? a log last written before MCP Guard anchored its head is anchored by the next mcp-guard serve)`,
    });
  }
  return { ok: true, events, segments: segments.length, warnings };
}
