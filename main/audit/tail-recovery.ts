import { stat, truncate } from 'node:fs/promises';
import type { Sha256 } from '../../shared/audit.js';
import type { AuditFileSystem } from './audit-fs.js';
import { checkLine } from './chain.js';
import { readLines, segmentAt, type AuditManifest, type Segment } from './segments.js';

/** A problem at a place in the log: the file, the 1-based line (absent for a whole-file problem) and what is wrong. */
export type AuditProblem = { file: string; line?: number; problem: string };

export type TailState = {
  segment: Segment;
  size: number;
  lines: number;
  /** The hash the next event's `prev` carries. */
  lastHash: Sha256;
  /** A torn last line that open completed (it verified) or cut off. */
  repaired?: { file: string; line: number; action: 'completed' | 'truncated'; bytes: number };
  /** The tail does not verify: the writer starts a new segment and leaves the evidence as it is. */
  problem?: AuditProblem;
  /** The hash of the event at line `hashAtLine` of the segment, when asked and that line is there. */
  hashAtLine?: string;
};

/**
 * Reads the newest segment at open: repairs a torn last line left by a crash (an incomplete line
 * is only ever bytes that were never acknowledged), verifies the segment's chain and its link to
 * what came before, and says where the chain continues.
 */
export async function recoverTail(
  dir: string,
  manifest: AuditManifest,
  segments: readonly Segment[],
  fs: AuditFileSystem,
  hashAtLine?: number,
): Promise<TailState> {
  const sealed = manifest.lastSealed;
  const last = segments.at(-1);
  if (!last) {
    // An empty directory, or every segment gone. Losing sealed segments is worth reporting.
    const number = Math.max(manifest.first.segment, sealed ? sealed.segment + 1 : 1);
    const segment = segmentAt(dir, number);
    const problem = sealed
      ? { problem: `no segment files, but the manifest records ${segmentAt(dir, sealed.segment).name} as sealed (segments deleted?)`, file: segment.name }
      : undefined;
    return { segment, size: 0, lines: 0, lastHash: sealed?.hash ?? manifest.first.prev, ...(problem ? { problem } : {}) };
  }

  let expected = await expectedPrev(dir, manifest, segments, last);
  let lastHash: Sha256 | undefined = expected;
  let problem: AuditProblem | undefined;
  let lines = 0;
  let size = 0;
  let repaired: TailState['repaired'];
  let hashAt: string | undefined;
  for await (const line of readLines(last.path)) {
    const check = checkLine(line.text);
    if (!line.complete) {
      if (check.ok && check.event.prev === expected) {
        await appendNewline(last.path, fs);
        repaired = { file: last.name, line: line.number, action: 'completed', bytes: 1 };
        lines++;
        size = line.end + 1;
        lastHash = check.event.hash;
        if (line.number === hashAtLine) hashAt = check.event.hash;
      } else {
        await truncate(last.path, line.start);
        await syncFile(last.path, fs);
        repaired = { file: last.name, line: line.number, action: 'truncated', bytes: line.end - line.start };
      }
      break;
    }
    lines++;
    size = line.end;
    if (line.number === hashAtLine) hashAt = check.ok ? check.event.hash : check.hash;
    if (!check.ok) {
      problem ??= { file: last.name, line: line.number, problem: check.problem };
      if (check.hash && /^sha256:[0-9a-f]{64}$/.test(check.hash)) lastHash = check.hash;
      expected = undefined;
      continue;
    }
    if (expected !== undefined && check.event.prev !== expected) {
      problem ??= { file: last.name, line: line.number, problem: `prev does not link to the event before it (an event was deleted, inserted or moved)` };
    }
    expected = check.event.hash;
    lastHash = check.event.hash;
  }
  const actualSize = (await stat(last.path)).size;
  size = Math.max(size, actualSize);
  return {
    segment: last,
    size,
    lines,
    lastHash: lastHash ?? manifest.first.prev,
    ...(repaired ? { repaired } : {}),
    ...(problem ? { problem } : {}),
    ...(hashAt !== undefined ? { hashAtLine: hashAt } : {}),
  };
}

/** The `prev` the first event of `segment` must carry, when it can be known cheaply. */
async function expectedPrev(dir: string, manifest: AuditManifest, segments: readonly Segment[], segment: Segment): Promise<Sha256 | undefined> {
  if (segment.number === manifest.first.segment) return manifest.first.prev;
  const sealed = manifest.lastSealed;
  if (sealed && sealed.segment === segment.number - 1) return sealed.hash;
  // Crashed between creating this segment and recording the one before as sealed: read that one.
  const before = segments.find((s) => s.number === segment.number - 1) ?? segmentAt(dir, segment.number - 1);
  let hash: Sha256 | undefined;
  for await (const line of readLines(before.path)) {
    const check = checkLine(line.text);
    if (check.ok) hash = check.event.hash;
  }
  return hash;
}

async function appendNewline(path: string, fs: AuditFileSystem): Promise<void> {
  const file = await fs.openAppend(path);
  try {
    await file.write(Buffer.from('\n'));
    await file.datasync();
  } finally {
    await file.close();
  }
}

async function syncFile(path: string, fs: AuditFileSystem): Promise<void> {
  const file = await fs.openAppend(path);
  try {
    await file.datasync();
  } finally {
    await file.close();
  }
}
