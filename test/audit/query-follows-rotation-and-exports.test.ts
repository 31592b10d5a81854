import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/audit/audit-log.js';
import { csvCell, exportAuditLog } from '../../main/audit/export.js';
import { queryAuditLog } from '../../main/audit/query.js';
import { callEvent } from './sample-events.js';
import { tempDir } from './temp-dir.js';

let dir: { path: string; cleanup: () => void };
beforeEach(() => (dir = tempDir()));
afterEach(() => dir.cleanup());

const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('querying the audit log', () => {
  it('filters by server, tool (plain or mcp__ form), decision and time', async () => {
    const log = await AuditLog.open(dir.path, { maxSegmentBytes: 1_000 });
    await log.append(callEvent({ time: '2025-01-01T00:00:00.000Z' }));
    await log.append(
      callEvent({ time: '2025-01-02T00:00:00.000Z', tool: 'create_issue', decision: { effect: 'deny', layer: 'managed', rule: 'm1', reason: 'no writes' } }),
    );
    await log.append(callEvent({ time: '2025-01-03T00:00:00.000Z', server: { name: 'slack' }, tool: 'post_message' }));
    await log.close();
    const tools = async (filter: Parameters<typeof queryAuditLog>[1]) => (await collect(queryAuditLog(dir.path, filter))).map((e) => e.tool);
    expect(await tools({})).toEqual(['search_issues', 'create_issue', 'post_message']);
    expect(await tools({ server: 'github' })).toEqual(['search_issues', 'create_issue']);
    expect(await tools({ tool: 'mcp__github__create_*' })).toEqual(['create_issue']);
    expect(await tools({ tool: 'post_message' })).toEqual(['post_message']);
    expect(await tools({ decision: 'deny' })).toEqual(['create_issue']);
    expect(await tools({ since: Date.parse('2025-01-02T00:00:00Z') })).toEqual(['create_issue', 'post_message']);
  });

  it('follows new events across rotation until aborted', async () => {
    const log = await AuditLog.open(dir.path, { maxSegmentBytes: 1_000 });
    await log.append(callEvent({ arguments: { i: -1 } }));
    const stop = new AbortController();
    const seen: unknown[] = [];
    const following = (async () => {
      for await (const event of queryAuditLog(dir.path, {}, { follow: true, pollMs: 10, signal: stop.signal })) {
        seen.push((event.arguments as { i: number }).i);
        if (seen.length === 31) stop.abort();
      }
    })();
    for (let i = 0; i < 30; i++) {
      await log.append(callEvent({ arguments: { i } }));
      if (i % 7 === 0) await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await following;
    await log.close();
    expect(seen).toEqual([-1, ...Array.from({ length: 30 }, (_, i) => i)]);
  });
});

describe('exporting the audit log', () => {
  it('writes CSV with quoting, nested fields as JSON and formulas defused', async () => {
    const log = await AuditLog.open(dir.path);
    await log.append(callEvent({ arguments: { q: 'a,"b"\nc' }, decision: { effect: 'allow', layer: 'user', rule: 'r', reason: '=HYPERLINK("x")' } }));
    await log.close();
    const chunks: string[] = [];
    const count = await exportAuditLog(dir.path, 'csv', { write: (c) => (chunks.push(c), true), once: () => undefined });
    expect(count).toBe(1);
    const [header, row] = chunks;
    expect(header).toMatch(/^id,time,kind,/);
    expect(row).toContain('"{""q"":""a,\\""b\\""\\nc""}"');
    expect(row).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(['npx', 'x'])).toBe('"[""npx"",""x""]"');
    expect(csvCell(42)).toBe('42');
  });

  it('writes JSONL exactly as stored', async () => {
    const log = await AuditLog.open(dir.path);
    const stored = await log.append(callEvent());
    await log.close();
    const chunks: string[] = [];
    await exportAuditLog(dir.path, 'jsonl', { write: (c) => (chunks.push(c), true), once: () => undefined });
    expect(JSON.parse(chunks[0]!)).toEqual(JSON.parse(JSON.stringify(stored)));
  });
});
