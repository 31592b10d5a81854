import { open, type FileHandle } from 'node:fs/promises';
import type { RowPlace } from './activity-rows.js';
import { segmentAt } from './segments.js';

/** A stored line as the index placed it, and the id the index recorded for it. */
export type PlacedLine = RowPlace & { id: string };

export class ActivityLogChangedError extends Error {}

/** The most bytes read with one read() when consecutive lines are read together. */
const RUN_BYTES = 1 << 20;

/**
 * Reads stored lines back from the log's segments by the byte places the index recorded. A line
 * that is not where the index put it (the file was edited, truncated or replaced since) is an
 * ActivityLogChangedError naming the file and line, never another event shown in its place.
 */
export class ActivityReader {
  private readonly handles = new Map<number, FileHandle>();

  constructor(private readonly dir: string) {}

  /** The lines, in the order given; neighbours in one file are read with one read(). */
  async lines(places: readonly PlacedLine[]): Promise<string[]> {
    const out: string[] = [];
    for (let start = 0; start < places.length;) {
      let end = start + 1;
      const first = places[start]!;
      while (end < places.length) {
        const prev = places[end - 1]!;
        const next = places[end]!;
        if (next.segment !== first.segment || next.offset !== prev.offset + prev.length + 1 || next.offset + next.length - first.offset > RUN_BYTES) break;
        end++;
      }
      const last = places[end - 1]!;
      const bytes = await this.read(first.segment, first.offset, last.offset + last.length - first.offset);
      for (let k = start; k < end; k++) {
        const place = places[k]!;
        const text = bytes.toString('utf8', place.offset - first.offset, place.offset - first.offset + place.length);
        if (!text.includes(`"id":"${place.id}"`)) throw changed(place);
        out.push(text);
      }
      start = end;
    }
    return out;
  }

  async line(place: PlacedLine): Promise<string> {
    return (await this.lines([place]))[0]!;
  }

  async close(): Promise<void> {
    const handles = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
  }

  private async read(segment: number, offset: number, length: number): Promise<Buffer> {
    let handle = this.handles.get(segment);
    if (!handle) {
      const { path, name } = segmentAt(this.dir, segment);
      try {
        handle = await open(path, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          throw new ActivityLogChangedError(`${name} is gone (deleted by retention, or by hand); run "verify chain" to see what the log still holds`);
        throw error;
      }
      this.handles.set(segment, handle);
    }
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return buffer.subarray(0, bytesRead);
  }
}

function changed(place: PlacedLine): ActivityLogChangedError {
  const { name } = segmentAt('', place.segment);
  return new ActivityLogChangedError(
    `${name} line ${place.line} no longer holds the event the index found there (${place.id}): the file changed since it was read; run "verify chain" to see where`,
  );
}
