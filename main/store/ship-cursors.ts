import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFileSync, writeFileAtomicSync, type FileProblem } from './atomic-file.js';

/**
 * Where each audit sink is in the local log (issue 17): `ship/<collector id>.json` in the guard's
 * home (0600, atomic), written only after the collector accepted every event up to it, so a
 * restart resumes after the last delivered event (at least once: a crash between delivery and
 * this write sends that batch again, and the receiver drops it by event id).
 */

export const ShipCursor = z.strictObject({
  format: z.literal(1),
  /** Where the next event to ship starts: segment, byte offset and line number. */
  position: z.strictObject({ segment: z.number().int().positive(), offset: z.number().int().nonnegative(), line: z.number().int().positive() }),
  /** The id of the last event delivered, and when. */
  lastId: z.string().max(64),
  lastAt: z.string().max(64),
});
export type ShipCursor = z.infer<typeof ShipCursor>;

const LIMIT = { what: 'a sink cursor', maxBytes: 4096, fix: 'remove it; the sink then starts from the oldest retained event' };

export type CursorRead = { state: 'missing' } | { state: 'ok'; cursor: ShipCursor } | { state: 'bad'; problems: FileProblem[] };

export class ShipCursorStore {
  private readonly dir: string;

  constructor(home: string) {
    this.dir = join(home, 'ship');
  }

  fileOf(sinkId: string): string {
    return join(this.dir, `${sinkId}.json`);
  }

  readSync(sinkId: string): CursorRead {
    const file = this.fileOf(sinkId);
    const read = readJsonFileSync(file, LIMIT);
    if (read.state !== 'parsed') return read;
    const parsed = ShipCursor.safeParse(read.value);
    if (parsed.success) return { state: 'ok', cursor: parsed.data };
    return { state: 'bad', problems: parsed.error.issues.map((i) => ({ file, path: i.path.join('.') || '(root)', message: i.message })) };
  }

  writeSync(sinkId: string, cursor: Omit<ShipCursor, 'format'>): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileAtomicSync(this.fileOf(sinkId), JSON.stringify({ format: 1, ...cursor }) + '\n');
  }
}
