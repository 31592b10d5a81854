import { open } from 'node:fs/promises';
import { AuditEvent } from '../../shared/audit.js';
import type { AuditPosition } from './query.js';
import type { RowPlace } from './activity-rows.js';
import { listSegments, readManifest } from './segments.js';

/** Bytes read at a time; a longer line gets a buffer of its own. */
const CHUNK = 256 * 1024;

/**
 * The events of the log's complete lines from `from` (default: the oldest retained segment) to its
 * end, each with its place: what scanAuditLog yields (the same segments, the same parse, lines that
 * are not valid events skipped), read through one reused buffer, so that indexing 100,000 events
 * leaves no megabytes of read buffers behind. Returns where to go on from next time (a last line
 * still being written is left for then) and the oldest segment retention kept.
 */
export async function scanEvents(
  dir: string,
  from: AuditPosition | undefined,
  onEvent: (event: AuditEvent, place: RowPlace) => void,
): Promise<{ next: AuditPosition | undefined; firstSegment: number }> {
  const manifest = await readManifest(dir);
  const segments = (await listSegments(dir)).filter((s) => s.number >= Math.max(manifest.first.segment, from?.segment ?? 0));
  let position = from;
  let buffer = Buffer.allocUnsafe(CHUNK);
  for (const segment of segments) {
    if (!position || segment.number > position.segment) position = { segment: segment.number, offset: 0, line: 1 };
    let handle;
    try {
      handle = await open(segment.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // deleted by retention meanwhile
      throw error;
    }
    try {
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position.offset);
        if (bytesRead === 0) break;
        let start = 0;
        let newline: number;
        while ((newline = buffer.indexOf(0x0a, start)) !== -1 && newline < bytesRead) {
          const event = parseEvent(buffer.toString('utf8', start, newline));
          if (event) onEvent(event, { segment: segment.number, offset: position.offset + start, length: newline - start, line: position.line });
          position = { segment: segment.number, offset: position.offset, line: position.line + 1 };
          start = newline + 1;
        }
        if (start === 0) {
          if (bytesRead < buffer.length) break; // an incomplete last line: read it whole next time
          buffer = Buffer.allocUnsafe(buffer.length * 2); // a line longer than the buffer
          continue;
        }
        position = { ...position, offset: position.offset + start };
        if (bytesRead < buffer.length) break; // the end of the file; what is left is a line still being written
      }
    } finally {
      await handle.close();
    }
    if (buffer.length > CHUNK) buffer = Buffer.allocUnsafe(CHUNK);
  }
  return { next: position, firstSegment: manifest.first.segment };
}

function parseEvent(text: string): AuditEvent | undefined {
  try {
    const parsed = AuditEvent.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
