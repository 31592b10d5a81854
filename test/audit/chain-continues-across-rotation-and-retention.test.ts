import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_PREV } from '../../shared/audit.js';
import { AuditLog } from '../../main/audit/audit-log.js';
import { readManifest } from '../../main/audit/segments.js';
import { verifyAuditLog } from '../../main/audit/verify.js';
import { callEvent } from './sample-events.js';
import { tempDir } from './temp-dir.js';

let dir: { path: string; cleanup: () => void };
beforeEach(() => (dir = tempDir()));
afterEach(() => dir.cleanup());

const segmentFiles = (path: string) =>
  readdirSync(path)
    .filter((n) => n.endsWith('.jsonl'))
    .sort();

describe('the hash chain', () => {
  it('links every event to the one before, starting from genesis', async () => {
    const log = await AuditLog.open(dir.path);
    const first = await log.append(callEvent());
    const second = await log.append(callEvent({ tool: 'create_issue' }));
    await log.close();
    expect(first.prev).toBe(GENESIS_PREV);
    expect(second.prev).toBe(first.hash);
    expect(second.id > first.id).toBe(true);
  });

  it('verifies across rotated segments and continues after reopening', async () => {
    const log = await AuditLog.open(dir.path, { maxSegmentBytes: 2_000 });
    for (let i = 0; i < 60; i++) await log.append(callEvent({ arguments: { i } }));
    await log.close();
    expect(segmentFiles(dir.path).length).toBeGreaterThan(5);

    const reopened = await AuditLog.open(dir.path, { maxSegmentBytes: 2_000 });
    expect(reopened.openReport.tailProblem).toBeUndefined();
    await Promise.all(Array.from({ length: 40 }, (_, i) => reopened.append(callEvent({ arguments: { i: 100 + i } }))));
    await reopened.close();

    const result = await verifyAuditLog(dir.path);
    expect(result).toMatchObject({ ok: true, events: 100 });
  });

  it('treats segments deleted by retention as the new start, not as tampering', async () => {
    const log = await AuditLog.open(dir.path, { maxSegmentBytes: 2_000, maxTotalBytes: 8_000 });
    for (let i = 0; i < 80; i++) await log.append(callEvent({ arguments: { i } }));
    await log.close();
    const files = segmentFiles(dir.path);
    expect(files[0]).not.toBe('audit-000001.jsonl');
    const total = files.reduce((sum, f) => sum + statSync(join(dir.path, f)).size, 0);
    expect(total).toBeLessThanOrEqual(8_000 + 2_500);

    const manifest = await readManifest(dir.path);
    expect(manifest.first.segment).toBe(Number(/\d+/.exec(files[0]!)![0]));
    expect(manifest.first.prev).not.toBe(GENESIS_PREV);
    const result = await verifyAuditLog(dir.path);
    expect(result.ok).toBe(true);
    expect(result.events).toBeLessThan(80);
  });

  it('deletes segments older than the age limit on open, keeping the active one', async () => {
    let now = Date.parse('2025-01-01T00:00:00Z');
    const log = await AuditLog.open(dir.path, { maxSegmentBytes: 1_000, now: () => now });
    for (let i = 0; i < 20; i++) await log.append(callEvent({ arguments: { i } }));
    await log.close();
    const before = segmentFiles(dir.path);
    now = Date.now() + 10 * 24 * 3600 * 1000;
    const reopened = await AuditLog.open(dir.path, { maxSegmentBytes: 1_000, maxAgeMs: 24 * 3600 * 1000, now: () => now });
    expect(reopened.openReport.deleted).toEqual(before.slice(0, -1));
    expect(segmentFiles(dir.path)).toEqual(before.slice(-1));
    await reopened.append(callEvent());
    await reopened.close();
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: true });
  });

  it('creates the directory 0700 and segments 0600', async () => {
    const path = join(dir.path, 'nested', 'audit');
    const log = await AuditLog.open(path);
    await log.append(callEvent());
    await log.close();
    expect(statSync(path).mode & 0o777).toBe(0o700);
    expect(statSync(join(path, 'audit-000001.jsonl')).mode & 0o777).toBe(0o600);
  });
});
