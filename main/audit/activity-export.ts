import { createHash } from 'node:crypto';
import { ACTIVITY_EXPORT_CHUNK_CHARS, type ActivityExportChunk, type ActivityExportFormat, type ActivityFilter } from '../../shared/activity.js';
import { AuditEvent } from '../../shared/audit.js';
import type { ActivityIndex } from './activity-index.js';
import { ActivityLogChangedError, ActivityReader, type PlacedLine } from './activity-reader.js';
import { csvHeader, csvRow } from './export.js';

/** Rows read back per read pass of a chunk. */
const ROWS_PER_PASS = 512;

type Cursor = { snapshot: number; nextSeq: number; charOffset: number; tag: string };

/**
 * One chunk of an export of the events matching `filter`, oldest first, in the CLI's exact format
 * (main/audit/export.ts: JSONL is the stored lines, CSV its header and rows). The first call
 * (cursor null) fixes the newest event the export holds; each chunk returns the cursor of the
 * next, which names that snapshot, the next event and the filter it was made for. A record longer
 * than a chunk is split across chunks (never inside a UTF-16 surrogate pair).
 */
export async function exportChunk(
  index: ActivityIndex,
  format: ActivityExportFormat,
  filter: ActivityFilter,
  cursorText: string | null,
): Promise<ActivityExportChunk> {
  await index.ready();
  const tag = tagOf(format, filter);
  const cursor = cursorText === null ? { snapshot: index.size.newest, nextSeq: 0, charOffset: 0, tag } : parseCursor(cursorText);
  if (cursor.tag !== tag) throw new Error('activity:export: the cursor belongs to an export with another format or filter; start the export again');
  const { seqs, total } = index.select(filter, cursor.snapshot);
  // Copied: the selection is the index's cache, and reading the file awaits.
  const start = lowerBound(seqs, total, cursor.nextSeq);
  const pending = seqs.slice(start, total);
  const parts: string[] = [];
  let size = 0;
  if (cursorText === null && format === 'csv') {
    parts.push(csvHeader() + '\r\n');
    size = parts[0]!.length;
  }
  let done = start;
  let charOffset = cursor.charOffset;
  const reader = new ActivityReader(index.dir);
  try {
    for (let k = 0; k < pending.length && size < ACTIVITY_EXPORT_CHUNK_CHARS;) {
      const batch = pending.slice(k, k + ROWS_PER_PASS);
      const lines = await reader.lines(batch.map((seq) => placeOf(index, seq)));
      let j = 0;
      for (; j < lines.length; j++) {
        const record = recordOf(format, lines[j]!, batch[j]!, index).slice(charOffset);
        const room = ACTIVITY_EXPORT_CHUNK_CHARS - size;
        if (record.length > room) {
          if (size > 0 && record.length <= ACTIVITY_EXPORT_CHUNK_CHARS) break; // whole, in the next chunk
          const cut = safeCut(record, room);
          parts.push(record.slice(0, cut));
          size += cut;
          charOffset += cut;
          break;
        }
        parts.push(record);
        size += record.length;
        charOffset = 0;
        done++;
      }
      if (j < lines.length) break;
      k += batch.length;
    }
  } finally {
    await reader.close();
  }
  const next = done < total ? pending[done - start] : undefined;
  const cursorOut = next === undefined ? null : formatCursor({ snapshot: cursor.snapshot, nextSeq: next, charOffset, tag });
  return { chunk: parts.join(''), cursor: cursorOut, total, done };
}

function recordOf(format: ActivityExportFormat, line: string, seq: number, index: ActivityIndex): string {
  if (format === 'jsonl') return line + '\n';
  // As the CLI reads it (scanAuditLog's parseEvent): the stored line through the event schema.
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    raw = undefined;
  }
  const parsed = AuditEvent.safeParse(raw);
  if (!parsed.success || parsed.data.id !== index.placeOf(seq)?.id)
    throw new ActivityLogChangedError(`event #${seq} no longer reads as the event the index found (the log changed); run "verify chain", then export again`);
  return csvRow(parsed.data) + '\r\n';
}

function placeOf(index: ActivityIndex, seq: number): PlacedLine {
  const place = index.placeOf(seq);
  if (!place) throw new ActivityLogChangedError(`event #${seq} left the index while exporting (retention deleted its segment); export again`);
  return place;
}

/** Where to cut `text` to at most `room` code units without splitting a surrogate pair (at least one character). */
function safeCut(text: string, room: number): number {
  let cut = Math.max(1, room);
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff && cut > 1) cut--;
  return cut;
}

/** The first index in seqs[0..total) whose seq is ≥ value. */
function lowerBound(seqs: readonly number[], total: number, value: number): number {
  let lo = 0;
  let hi = total;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seqs[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function tagOf(format: ActivityExportFormat, filter: ActivityFilter): string {
  const ordered = Object.fromEntries(Object.entries(filter).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256')
    .update(JSON.stringify([format, ordered]))
    .digest('hex')
    .slice(0, 16);
}

function formatCursor(c: Cursor): string {
  return `v1.${c.snapshot}.${c.nextSeq}.${c.charOffset}.${c.tag}`;
}

function parseCursor(text: string): Cursor {
  const [, snapshot, nextSeq, charOffset, tag] = text.split('.');
  return { snapshot: Number(snapshot), nextSeq: Number(nextSeq), charOffset: Number(charOffset), tag: tag ?? '' };
}
