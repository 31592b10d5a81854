import { stat, unlink } from 'node:fs/promises';
import { Sha256 } from '../../shared/audit.js';
import type { AuditFileSystem } from './audit-fs.js';
import { readFirstLine, writeManifest, type AuditManifest, type Segment } from './segments.js';

export type RetentionLimits = {
  /** Delete the oldest segments while all segments together are larger than this. */
  maxTotalBytes: number;
  /** Delete segments whose newest write is older than this. */
  maxAgeMs: number;
};

/**
 * Deletes the oldest whole segments beyond the limits, never the active one. The manifest is
 * rewritten first, naming the first kept segment and the `prev` of its first event, so a crash
 * between the two steps leaves extra old files (deleted at the next open), never a chain that
 * verify would call broken. Returns the new manifest and the deleted file names.
 */
export async function applyRetention(
  dir: string,
  segments: readonly Segment[],
  active: Segment,
  manifest: AuditManifest,
  limits: RetentionLimits,
  now: number,
  fs: AuditFileSystem,
): Promise<{ manifest: AuditManifest; deleted: string[] }> {
  const sized = await Promise.all(
    segments.map(async (segment) => {
      const info = await stat(segment.path).catch(() => undefined);
      return { segment, size: info?.size ?? 0, mtimeMs: info?.mtimeMs ?? 0 };
    }),
  );
  let total = sized.reduce((sum, s) => sum + s.size, 0);
  const doomed: Segment[] = [];
  for (const { segment, size, mtimeMs } of sized) {
    if (segment.number >= active.number) break;
    if (total <= limits.maxTotalBytes && now - mtimeMs <= limits.maxAgeMs) break;
    doomed.push(segment);
    total -= size;
  }
  const firstKept = segments.find((s) => !doomed.includes(s));
  if (doomed.length === 0 || !firstKept) return { manifest, deleted: [] };

  const first = await readFirstLine(firstKept.path);
  const prev = first ? firstPrev(first.text) : undefined;
  if (firstKept.number !== active.number && prev === undefined) {
    throw new Error(`${firstKept.name}: its first line has no readable "prev"; not deleting older segments (run mcp-guard audit verify)`);
  }
  const next: AuditManifest = {
    ...manifest,
    // An empty active segment continues from the last sealed hash.
    first: { segment: firstKept.number, prev: prev ?? manifest.lastSealed?.hash ?? manifest.first.prev },
  };
  await writeManifest(dir, next, fs);
  for (const segment of doomed) await unlink(segment.path).catch(() => undefined);
  await fs.syncDir(dir);
  return { manifest: next, deleted: doomed.map((s) => s.name) };
}

function firstPrev(text: string): Sha256 | undefined {
  try {
    const parsed = Sha256.safeParse((JSON.parse(text) as { prev?: unknown }).prev);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
