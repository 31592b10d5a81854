import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/audit/audit-log.js';
import { verifyAuditLog } from '../../main/audit/verify.js';
import { callEvent } from './sample-events.js';
import { tempDir } from './temp-dir.js';

let dir: { path: string; cleanup: () => void };
beforeEach(() => (dir = tempDir()));
afterEach(() => dir.cleanup());

const headPath = () => join(dir.path, 'head.json');
const head = () => JSON.parse(readFileSync(headPath(), 'utf8')) as { segment: number; line: number; hash: string };

describe('the head anchor', () => {
  it('follows each commit without waiting for close, naming only durable events', async () => {
    const log = await AuditLog.open(dir.path);
    const events = [];
    for (let i = 0; i < 5; i++) events.push(await log.append(callEvent({ arguments: { i } })));
    // Rewritten after the commit resolved, off the append path.
    for (let t = 0; t < 100 && !(existsSync(headPath()) && head().line === 5); t++) await new Promise((r) => setTimeout(r, 10));
    expect(head()).toEqual({ version: 1, segment: 1, line: 5, hash: events[4]!.hash });
    await log.close();
    expect(head().hash).toBe(events[4]!.hash);
  });

  it('may lag the log (a crash before it was rewritten): verify and open accept it', async () => {
    const log = await AuditLog.open(dir.path);
    for (let i = 0; i < 3; i++) await log.append(callEvent({ arguments: { i } }));
    await log.close();
    const behind = readFileSync(headPath(), 'utf8');
    const reopened = await AuditLog.open(dir.path);
    for (let i = 3; i < 6; i++) await reopened.append(callEvent({ arguments: { i } }));
    await reopened.close();
    writeFileSync(headPath(), behind);
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: true, events: 6 });

    const again = await AuditLog.open(dir.path);
    expect(again.openReport.tailProblem).toBeUndefined();
    await again.append(callEvent());
    await again.close();
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: true, events: 7, segments: 1 });
  });

  it('may lag into the segment before a rotation', async () => {
    const log = await AuditLog.open(dir.path, { maxSegmentBytes: 1_500 });
    await log.append(callEvent());
    await log.close();
    const behind = readFileSync(headPath(), 'utf8');
    const reopened = await AuditLog.open(dir.path, { maxSegmentBytes: 1_500 });
    for (let i = 0; i < 12; i++) await reopened.append(callEvent({ arguments: { i } }));
    await reopened.close();
    writeFileSync(headPath(), behind);
    const result = await verifyAuditLog(dir.path);
    expect(result).toMatchObject({ ok: true, events: 13 });
    expect(result.ok && result.segments).toBeGreaterThan(1);
    const again = await AuditLog.open(dir.path, { maxSegmentBytes: 1_500 });
    expect(again.openReport.tailProblem).toBeUndefined();
    await again.close();
  });

  it('is written, and said so, at the first open of a log from before anchoring', async () => {
    const log = await AuditLog.open(dir.path);
    for (let i = 0; i < 4; i++) await log.append(callEvent({ arguments: { i } }));
    await log.close();
    unlinkSync(headPath()); // as a log written by an earlier version is
    const before = await verifyAuditLog(dir.path);
    expect(before).toMatchObject({ ok: false, broken: { file: 'head.json' } });
    expect(!before.ok && before.broken.problem).toMatch(/4 events but no head anchor/);

    const reopened = await AuditLog.open(dir.path);
    expect(reopened.openReport.anchored).toEqual({ reason: 'missing', head: 'audit-000001.jsonl line 4' });
    await reopened.close();
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: true, events: 4 });
  });

  it('anchors an empty log at line 0, which verifies', async () => {
    await (await AuditLog.open(dir.path)).close();
    expect(JSON.parse(readFileSync(headPath(), 'utf8'))).toMatchObject({ segment: 1, line: 0 });
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: true, events: 0 });
  });

  it('is not beaten by the torn-line repair at open', async () => {
    const log = await AuditLog.open(dir.path);
    await log.append(callEvent());
    await log.append(callEvent());
    await log.close();
    writeFileSync(join(dir.path, 'audit-000001.jsonl'), readFileSync(join(dir.path, 'audit-000001.jsonl'), 'utf8') + '{"kind":"call","argu');
    const reopened = await AuditLog.open(dir.path);
    expect(reopened.openReport).toMatchObject({ repaired: { action: 'truncated' } });
    expect(reopened.openReport.tailProblem).toBeUndefined();
    await reopened.close();
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: true, events: 2 });
  });
});

describe('a new log', () => {
  it('is anchored before its first event, so a crash before the first anchor write still verifies', async () => {
    const log = await AuditLog.open(dir.path);
    const genesis = readFileSync(headPath(), 'utf8');
    expect(JSON.parse(genesis)).toMatchObject({ line: 0 });
    for (let i = 0; i < 3; i++) await log.append(callEvent());
    await log.close();
    // As if the process died after the events' sync and before the anchor writer's first rename.
    writeFileSync(headPath(), genesis);
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: true, events: 3 });
  });
});
