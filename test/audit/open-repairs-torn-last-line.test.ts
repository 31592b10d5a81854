import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/audit/audit-log.js';
import { verifyAuditLog } from '../../main/audit/verify.js';
import { callEvent } from './sample-events.js';
import { tempDir } from './temp-dir.js';

let dir: { path: string; cleanup: () => void };
beforeEach(() => (dir = tempDir()));
afterEach(() => dir.cleanup());

const segmentPath = () => join(dir.path, 'audit-000001.jsonl');

describe('opening a log after a crash', () => {
  it('cuts off a torn last line and continues the chain from the last whole event', async () => {
    const log = await AuditLog.open(dir.path);
    await log.append(callEvent());
    const last = await log.append(callEvent({ tool: 'create_issue' }));
    await log.close();
    appendFileSync(segmentPath(), '{"arguments":{"query":"half-writ');
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: true, warnings: [{ file: 'audit-000001.jsonl', line: 3 }] });

    const reopened = await AuditLog.open(dir.path);
    expect(reopened.openReport.repaired).toMatchObject({ file: 'audit-000001.jsonl', line: 3, action: 'truncated' });
    const next = await reopened.append(callEvent());
    await reopened.close();
    expect(next.prev).toBe(last.hash);
    expect(readFileSync(segmentPath(), 'utf8')).not.toContain('half-writ');
    expect(await verifyAuditLog(dir.path)).toEqual({ ok: true, events: 3, segments: 1, warnings: [] });
  });

  it('keeps a last event that is whole but lost only its newline', async () => {
    const log = await AuditLog.open(dir.path);
    await log.append(callEvent());
    const second = await log.append(callEvent({ tool: 'create_issue' }));
    await log.close();
    const text = readFileSync(segmentPath(), 'utf8');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(segmentPath(), text.slice(0, -1));

    const reopened = await AuditLog.open(dir.path);
    expect(reopened.openReport.repaired).toMatchObject({ line: 2, action: 'completed' });
    const third = await reopened.append(callEvent());
    await reopened.close();
    expect(third.prev).toBe(second.hash);
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: true, events: 3 });
  });

  it('reports a tail that does not verify and writes on in a new segment, leaving the evidence', async () => {
    const log = await AuditLog.open(dir.path);
    await log.append(callEvent());
    await log.append(callEvent());
    await log.close();
    const lines = readFileSync(segmentPath(), 'utf8').split('\n');
    lines[1] = lines[1]!.replace('alice', 'mallory');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(segmentPath(), lines.join('\n'));

    const reopened = await AuditLog.open(dir.path);
    expect(reopened.openReport.tailProblem).toMatchObject({ file: 'audit-000001.jsonl', line: 2 });
    await reopened.append(callEvent());
    await reopened.close();
    expect(readFileSync(segmentPath(), 'utf8')).toContain('mallory');
    expect(readFileSync(join(dir.path, 'audit-000002.jsonl'), 'utf8').split('\n')).toHaveLength(2);
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: false, broken: { file: 'audit-000001.jsonl', line: 2 } });
  });
});
