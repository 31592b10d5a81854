import { setTimeout as sleep } from 'node:timers/promises';
import { AuditEvent, type AuditEventKind } from '../../shared/audit.js';
import type { Effect } from '../../shared/decision.js';
import { listSegments, readLines, readManifest, segmentAt } from './segments.js';

export type AuditFilter = {
  /** Server name; `*` wildcards. */
  server?: string;
  /** Tool name as the server lists it or as `mcp__server__tool`; `*` wildcards. */
  tool?: string;
  /** The policy's effect (asked calls are `ask`; their answer is in `approval`). */
  decision?: Effect;
  kind?: AuditEventKind;
  /** Only events at or after this time (ms since epoch). */
  since?: number;
};

/** Where a reader is in the log: the byte offset and next line number in a segment. */
export type AuditPosition = { segment: number; offset: number; line: number };

export type AuditRecord = { event: AuditEvent; line: string; file: string; lineNumber: number; next: AuditPosition };

export type ScanOptions = {
  filter?: AuditFilter;
  /** Keep reading as the log grows (tail -f); follows rotation and survives retention deleting files. */
  follow?: boolean;
  /** Start here instead of at the oldest retained event. */
  from?: AuditPosition;
  pollMs?: number;
  signal?: AbortSignal;
  /** Lines that are not valid events are skipped; verify is the tool that judges them. */
  onInvalid?: (file: string, line: number) => void;
};

/** The events matching `filter`, oldest first. */
export async function* queryAuditLog(dir: string, filter: AuditFilter = {}, options: Omit<ScanOptions, 'filter'> = {}): AsyncGenerator<AuditEvent> {
  for await (const record of scanAuditLog(dir, { ...options, filter })) yield record.event;
}

/** Stored lines with their events and positions; the base of query, tail and export. */
export async function* scanAuditLog(dir: string, options: ScanOptions = {}): AsyncGenerator<AuditRecord> {
  const { filter = {}, follow = false, pollMs = 200, signal } = options;
  const manifest = await readManifest(dir);
  const segments = (await listSegments(dir)).filter((s) => s.number >= manifest.first.segment);
  let position: AuditPosition = options.from ?? { segment: segments[0]?.number ?? manifest.first.segment, offset: 0, line: 1 };
  const matches = compileFilter(filter);
  while (!signal?.aborted) {
    const current = segmentAt(dir, position.segment);
    for await (const line of readLines(current.path, position.offset, position.line)) {
      if (!line.complete) break; // still being written: read it whole next time
      position = { segment: position.segment, offset: line.end, line: line.number + 1 };
      const event = parseEvent(line.text);
      if (!event) {
        options.onInvalid?.(current.name, line.number);
        continue;
      }
      if (matches(event)) yield { event, line: line.text, file: current.name, lineNumber: line.number, next: position };
    }
    const next = (await listSegments(dir)).find((s) => s.number > position.segment);
    if (next) {
      // The writer may have appended to this segment after the pass above and then rotated:
      // finish it first. A deleted segment (retention) simply has nothing more.
      if (!(await hasCompleteLine(current.path, position))) position = { segment: next.number, offset: 0, line: 1 };
      continue;
    }
    if (!follow) return;
    try {
      await sleep(pollMs, undefined, signal ? { signal } : {});
    } catch {
      return; // aborted
    }
  }
}

async function hasCompleteLine(path: string, position: AuditPosition): Promise<boolean> {
  for await (const line of readLines(path, position.offset, position.line)) return line.complete;
  return false;
}

function parseEvent(text: string): AuditEvent | undefined {
  try {
    const parsed = AuditEvent.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function compileFilter(filter: AuditFilter): (event: AuditEvent) => boolean {
  const server = filter.server !== undefined ? glob(filter.server) : undefined;
  const tool = filter.tool !== undefined ? glob(filter.tool) : undefined;
  return (event) => {
    if (filter.kind !== undefined && event.kind !== filter.kind) return false;
    if (filter.decision !== undefined && event.decision?.effect !== filter.decision) return false;
    if (server && !server.test(event.server?.name ?? '')) return false;
    if (tool) {
      if (event.tool === undefined) return false;
      if (!tool.test(event.tool) && !tool.test(`mcp__${event.server?.name ?? ''}__${event.tool}`)) return false;
    }
    if (filter.since !== undefined && Date.parse(event.time) < filter.since) return false;
    return true;
  };
}

function glob(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}
