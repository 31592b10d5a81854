import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { GENESIS_PREV, Sha256 } from '../../shared/audit.js';
import { replaceFile, type AuditFileSystem } from './audit-fs.js';

/**
 * The files of an audit directory: numbered segments `audit-000001.jsonl`, … and `manifest.json`,
 * which says where the retained chain starts (retention deletes the oldest whole segments and
 * records the `prev` of the first event it keeps, so deleting old segments is not tampering) and
 * which segment was last sealed by rotation (so deleting or truncating the newest segments is seen).
 * `head.json` (head-anchor.ts) anchors the newest event of the active segment.
 */

const SEGMENT_NAME = /^audit-(\d{6,})\.jsonl$/;
export const MANIFEST_NAME = 'manifest.json';

export type Segment = { number: number; name: string; path: string };

export function segmentName(number: number): string {
  return `audit-${String(number).padStart(6, '0')}.jsonl`;
}

export function segmentAt(dir: string, number: number): Segment {
  const name = segmentName(number);
  return { number, name, path: join(dir, name) };
}

/** The segments in the directory, oldest first. */
export async function listSegments(dir: string): Promise<Segment[]> {
  const names = await readdir(dir);
  const segments: Segment[] = [];
  for (const name of names) {
    const match = SEGMENT_NAME.exec(name);
    if (match) segments.push({ number: Number(match[1]), name, path: join(dir, name) });
  }
  return segments.sort((a, b) => a.number - b.number);
}

export const AuditManifest = z.object({
  version: z.literal(1),
  /** The oldest retained segment and the `prev` of its first event. */
  first: z.object({ segment: z.number().int().positive(), prev: Sha256 }),
  /** The newest segment closed by rotation: its last hash and line count. */
  lastSealed: z.object({ segment: z.number().int().positive(), hash: Sha256, lines: z.number().int().nonnegative() }).optional(),
  /**
   * Heads the anchor (head.json) recorded that the log no longer reached when it was opened: the
   * anchored segment and line, its hash, and how many lines the segment had then. The log went on
   * in a new segment; these stay, so verify keeps reporting the loss.
   */
  lostHeads: z
    .array(z.object({ segment: z.number().int().positive(), line: z.number().int().positive(), hash: Sha256, found: z.number().int().nonnegative() }))
    .optional(),
});
export type AuditManifest = z.infer<typeof AuditManifest>;

export const EMPTY_MANIFEST: AuditManifest = { version: 1, first: { segment: 1, prev: GENESIS_PREV } };

export class AuditManifestError extends Error {}

/** The manifest, or the implicit one of a log that never rotated (chain starts at segment 1 from genesis). */
export async function readManifest(dir: string): Promise<AuditManifest> {
  const path = join(dir, MANIFEST_NAME);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_MANIFEST;
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AuditManifestError(`${path}: not valid JSON; the audit log's start cannot be trusted (restore it or move the directory aside)`);
  }
  const parsed = AuditManifest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AuditManifestError(`${path}: ${issue?.path.join('.') || '(manifest)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Replaces the manifest atomically and durably (temp file, fsync, rename, fsync the directory). */
export async function writeManifest(dir: string, manifest: AuditManifest, fs: AuditFileSystem): Promise<void> {
  await replaceFile(join(dir, MANIFEST_NAME), JSON.stringify(manifest) + '\n', fs);
}

export type Line = {
  text: string;
  /** 1-based line number in the segment. */
  number: number;
  /** Byte offset of the line's start and just past its newline (or its end, if incomplete). */
  start: number;
  end: number;
  /** False for a last line without its newline (a torn write, or one still being written). */
  complete: boolean;
};

/** The lines of a segment from a byte offset, streamed; a missing file yields nothing. */
export async function* readLines(path: string, fromOffset = 0, firstNumber = 1): AsyncGenerator<Line> {
  const stream = createReadStream(path, { start: fromOffset, highWaterMark: 1 << 20 });
  let pending: Buffer = Buffer.alloc(0);
  let offset = fromOffset;
  let number = firstNumber;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let data = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      let newline: number;
      while ((newline = data.indexOf(0x0a)) !== -1) {
        const text = data.toString('utf8', 0, newline);
        yield { text, number: number++, start: offset, end: offset + newline + 1, complete: true };
        offset += newline + 1;
        data = data.subarray(newline + 1);
      }
      pending = Buffer.from(data);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  } finally {
    stream.destroy();
  }
  if (pending.length > 0) yield { text: pending.toString('utf8'), number, start: offset, end: offset + pending.length, complete: false };
}

/** The first line of a segment (complete or not), without reading the rest. */
export async function readFirstLine(path: string): Promise<Line | undefined> {
  for await (const line of readLines(path)) return line;
  return undefined;
}
