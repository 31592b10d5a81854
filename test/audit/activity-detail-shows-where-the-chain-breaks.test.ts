/**
 * An event opened on the Activity page is read back from its file: the stored event with its
 * hash, prev and place in the chain. An edited line shows as not matching its hash, verify names
 * the row where the chain breaks, and a file changed under the index is refused rather than
 * showing another event in the opened one's place.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readActivityEvent } from '../../main/audit/activity-event.js';
import type { ActivityIndex } from '../../main/audit/activity-index.js';
import { verifyActivity } from '../../main/audit/activity-verify.js';
import type { AuditLog } from '../../main/audit/audit-log.js';
import { queryAuditLog } from '../../main/audit/query.js';
import type { AuditEvent } from '../../shared/audit.js';
import { logWithIndex } from './activity-events.js';
import { callEvent } from './sample-events.js';
import { tempDir } from './temp-dir.js';

let dir: { path: string; cleanup: () => void };
let log: AuditLog;
let index: ActivityIndex;
let events: AuditEvent[];
const segment = (n: number) => join(dir.path, `audit-00000${n}.jsonl`);

beforeEach(async () => {
  dir = tempDir();
  // About 4 events per segment.
  ({ log, index } = await logWithIndex(dir.path, { maxSegmentBytes: 1_500 }));
  for (let i = 0; i < 20; i++) {
    const asked = i === 6;
    await log.append(
      callEvent({
        arguments: { i },
        ...(asked
          ? {
              decision: { effect: 'ask', layer: 'user', rule: 'writes', reason: 'writes need a look' },
              approval: { approver: 'alice', answer: 'allow-timed', until: '2025-06-01T12:15:00.000Z', scope: 'exact-arguments' },
            }
          : {}),
      }),
    );
  }
  await log.close();
  events = [];
  for await (const e of queryAuditLog(dir.path)) events.push(e);
});
afterEach(() => dir.cleanup());

describe('an event opened on the Activity page', () => {
  it('is the stored event, with its hash, its prev linked to the event before, and its place', async () => {
    const detail = await readActivityEvent(index, 7);
    expect(detail.event).toEqual(events[6]);
    expect(detail.event.approval).toEqual({ approver: 'alice', answer: 'allow-timed', until: '2025-06-01T12:15:00.000Z', scope: 'exact-arguments' });
    expect(detail).toMatchObject({ seq: 7, newest: 20, hashValid: true, previous: { seq: 6, hash: events[5]!.hash, linked: true } });
    expect(detail.position.file).toMatch(/^audit-\d{6}\.jsonl$/);
    const lines = readFileSync(join(dir.path, detail.position.file), 'utf8').split('\n');
    expect(JSON.parse(lines[detail.position.line - 1]!).id).toBe(events[6]!.id);
    expect((await readActivityEvent(index, 1)).previous).toBeUndefined();
    await expect(readActivityEvent(index, 21)).rejects.toThrow(/no event #21 in the index \(it holds #1–#20\)/);
  });

  it('shows an edited line as not matching its hash, and verify names that row', async () => {
    await index.ready();
    const lines = readFileSync(segment(2), 'utf8').split('\n');
    const original = lines[1]!;
    // Same length, so the index's byte places still hold: the edit itself is what must show.
    lines[1] = original.replace('"effect":"allow"', '"effect":"deny!"');
    writeFileSync(segment(2), lines.join('\n'));
    const seq = index.seqAt(2, 2)!;
    expect(seq).toBeGreaterThan(1);
    await expect(readActivityEvent(index, seq)).rejects.toThrow(/no longer matches the audit event schema/);

    lines[1] = original.replace('"effect":"allow"', '"effect":"deny" ');
    writeFileSync(segment(2), lines.join('\n'));
    const edited = await readActivityEvent(index, seq);
    expect(edited.hashValid).toBe(false);
    expect(edited.event.decision?.effect).toBe('deny');

    const verdict = await verifyActivity(index, () => 1234);
    expect(verdict).toMatchObject({ ok: false, broken: { file: 'audit-000002.jsonl', line: 2, seq }, checkedAt: 1234 });
    expect(!verdict.ok && verdict.broken.problem).toMatch(/does not match its hash/);
  });

  it('refuses to show an event whose line moved (the file changed under the index)', async () => {
    await index.ready();
    const lines = readFileSync(segment(2), 'utf8').split('\n');
    lines.splice(0, 1);
    writeFileSync(segment(2), lines.join('\n'));
    const seq = index.seqAt(2, 2)!;
    await expect(readActivityEvent(index, seq)).rejects.toThrow(/audit-000002\.jsonl line 2 no longer holds the event the index found there/);
    expect(await verifyActivity(index, Date.now)).toMatchObject({ ok: false, broken: { file: 'audit-000002.jsonl', line: 1 } });
  });

  it('verifies an untouched chain', async () => {
    expect(await verifyActivity(index, () => 5)).toEqual({ ok: true, events: 20, segments: expect.any(Number), warnings: [], checkedAt: 5 });
  });
});
