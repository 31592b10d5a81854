/**
 * The page's export, chunk by chunk through the contract, is byte for byte what `mcp-guard audit
 * export` writes for the same filter (JSONL: the stored lines; CSV: its header and rows), even with
 * a record longer than a chunk, and while the log grows (the export holds what was there when it
 * started).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportChunk } from '../../main/audit/activity-export.js';
import type { ActivityIndex } from '../../main/audit/activity-index.js';
import type { AuditLog } from '../../main/audit/audit-log.js';
import { exportAuditLog, type ExportFormat } from '../../main/audit/export.js';
import type { AuditFilter } from '../../main/audit/query.js';
import { ACTIVITY_EXPORT_CHUNK_CHARS, type ActivityFilter } from '../../shared/activity.js';
import { logWithIndex, random, randomEvent } from './activity-events.js';
import { callEvent } from './sample-events.js';
import { tempDir } from './temp-dir.js';

let dir: { path: string; cleanup: () => void };
let log: AuditLog;
let index: ActivityIndex;

beforeAll(async () => {
  dir = tempDir();
  ({ log, index } = await logWithIndex(dir.path, { maxSegmentBytes: 256 * 1024 }));
  const next = random(5);
  for (let i = 0; i < 30; i++) await Promise.all(Array.from({ length: 100 }, () => log.append(randomEvent(next))));
  // Longer than a chunk, with characters outside the BMP (surrogate pairs) across the cut, and a formula a spreadsheet would run.
  await log.append(callEvent({ tool: 'write_file', arguments: { content: '😀'.repeat(ACTIVITY_EXPORT_CHUNK_CHARS), formula: '=HYPERLINK("x")' } }));
  await log.append(callEvent({ tool: '=cmd|calc', arguments: { note: 'a "quoted", multi\nline value' } }));
});
afterAll(async () => {
  await log.close();
  dir.cleanup();
});

async function cliExport(format: ExportFormat, filter: AuditFilter): Promise<string> {
  let out = '';
  await exportAuditLog(dir.path, format, { write: (chunk) => ((out += chunk), true), once: () => undefined }, filter);
  return out;
}

async function pageExport(format: ExportFormat, filter: ActivityFilter, between?: () => Promise<void>) {
  const chunks: string[] = [];
  let cursor: string | null = null;
  let last = { total: -1, done: -1 };
  do {
    const chunk = await exportChunk(index, format, filter, cursor);
    expect(chunk.chunk.length).toBeLessThanOrEqual(ACTIVITY_EXPORT_CHUNK_CHARS);
    // Each chunk becomes UTF-8 on its own (a Blob part): half a surrogate pair would become U+FFFD.
    expect(/[\uD800-\uDBFF]$/.test(chunk.chunk), 'a chunk ends inside a surrogate pair').toBe(false);
    chunks.push(chunk.chunk);
    cursor = chunk.cursor;
    last = chunk;
    await between?.();
  } while (cursor !== null);
  return { text: chunks.join(''), chunks: chunks.length, ...last };
}

describe('the activity export', () => {
  for (const format of ['jsonl', 'csv'] as const) {
    it(`writes ${format} exactly as the CLI does, in chunks, the long record split between them`, async () => {
      const page = await pageExport(format, {});
      const cli = await cliExport(format, {});
      expect(page.chunks).toBeGreaterThan(2);
      expect(page.text.length).toBe(cli.length);
      expect(page.text === cli).toBe(true);
      expect(page.done).toBe(3002);
      expect(page.total).toBe(3002);
    });

    it(`writes ${format} of a filter exactly as the CLI does with the same flags`, async () => {
      const filter = { server: 'git*', decision: 'ask' as const, since: Date.parse('2025-06-01T13:00:00Z') };
      const page = await pageExport(format, filter);
      const cli = await cliExport(format, filter);
      expect(page.total).toBeGreaterThan(10);
      expect(page.text === cli).toBe(true);
    });
  }

  it('holds what the log held when it started while events are appended between chunks', async () => {
    const before = await cliExport('jsonl', {});
    const next = random(9);
    const page = await pageExport('jsonl', {}, async () => {
      await Promise.all(Array.from({ length: 20 }, () => log.append(randomEvent(next))));
      await index.settled();
    });
    expect(page.text === before).toBe(true);
    expect(index.size.count).toBeGreaterThan(3002);
  });

  it('refuses a cursor made for another filter or format', async () => {
    const first = await exportChunk(index, 'jsonl', {}, null);
    expect(first.cursor).not.toBeNull();
    await expect(exportChunk(index, 'csv', {}, first.cursor)).rejects.toThrow(/another format or filter/);
    await expect(exportChunk(index, 'jsonl', { decision: 'deny' }, first.cursor)).rejects.toThrow(/another format or filter/);
  });
});
