/**
 * A page of the Activity table names its snapshot (the newest seq it counts from): asking for the
 * same window again gives the same rows however much the log grew meanwhile, and every append
 * reaches the index (read back from the file) with a throttled word that it grew.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditLog } from '../../main/audit/audit-log.js';
import type { ActivityIndex } from '../../main/audit/activity-index.js';
import { queryAuditLog } from '../../main/audit/query.js';
import type { ActivityAppended } from '../../shared/activity.js';
import { allIds, logWithIndex, random, randomEvent } from './activity-events.js';
import { tempDir } from './temp-dir.js';

let dir: { path: string; cleanup: () => void };
let log: AuditLog;
let index: ActivityIndex;
const next = random(3);
const append = (n: number) => Promise.all(Array.from({ length: n }, () => log.append(randomEvent(next))));

beforeEach(async () => {
  dir = tempDir();
  ({ log, index } = await logWithIndex(dir.path, { maxSegmentBytes: 64 * 1024, growEveryMs: 200 }));
  await append(1000);
});
afterEach(async () => {
  await log.close();
  dir.cleanup();
});

describe('paging through the activity index while the log grows', () => {
  it('gives the same window for the same snapshot after appends, and the new rows on top without one', async () => {
    const filter = { decision: 'allow' as const };
    const first = await index.query({ filter, offset: 40, limit: 30 });
    expect(first.rows).toHaveLength(30);
    await append(400);
    await index.settled();
    const again = await index.query({ filter, offset: 40, limit: 30, snapshot: first.snapshot });
    expect(again.rows).toEqual(first.rows);
    expect(again.total).toBe(first.total);
    expect(again.newest).toBe(first.snapshot + 400);

    const latest = await index.query({ filter, offset: 0, limit: 500 });
    const added = latest.total - first.total;
    expect(added).toBeGreaterThan(0);
    const shifted = await index.query({ filter, offset: 40 + added, limit: 30 });
    expect(shifted.rows).toEqual(first.rows);
  });

  it('pages through one snapshot while appends run, and the pages put together are the log as it was', async () => {
    const snapshot = (await index.query({ filter: {}, offset: 0, limit: 1 })).snapshot;
    const before: string[] = [];
    for await (const e of queryAuditLog(dir.path)) before.push(e.id);
    const seen: string[] = [];
    const growing = (async () => {
      for (let i = 0; i < 20; i++) await append(25);
    })();
    for (let offset = 0; offset < before.length; offset += 37) {
      const window = await index.query({ filter: {}, offset, limit: 37, snapshot });
      expect(window.total).toBe(before.length);
      seen.push(...window.rows.map((r) => r.id));
      await new Promise((r) => setTimeout(r, 2));
    }
    await growing;
    expect(seen).toEqual(before.reverse());
    await index.settled();
    expect(index.size.count).toBe(1500);
  });

  it('reads every append, across rotation, and says it grew at most five times a second, the last time with the final size', async () => {
    await index.ready();
    const heard: Array<ActivityAppended & { at: number }> = [];
    index.onDidGrow((grown) => heard.push({ ...grown, at: Date.now() }));
    const started = Date.now();
    for (let i = 0; i < 40; i++) {
      await append(50);
      await new Promise((r) => setTimeout(r, 20));
    }
    await index.settled();
    await new Promise((r) => setTimeout(r, 300));
    const seconds = (Date.now() - started) / 1000;
    expect(heard.length).toBeGreaterThan(1);
    expect(heard.length).toBeLessThanOrEqual(Math.ceil(seconds * 5) + 1);
    for (let k = 1; k < heard.length; k++) expect(heard[k]!.at - heard[k - 1]!.at).toBeGreaterThanOrEqual(190);
    expect(heard.at(-1)).toMatchObject({ total: 3000, newest: 3000 });
    const everything: string[] = [];
    for await (const e of queryAuditLog(dir.path)) everything.push(e.id);
    expect(await allIds(index, {})).toEqual(everything.reverse());
  });

  it('drops the rows whose segments retention deleted, and still agrees with the CLI, text search included', async () => {
    const small = tempDir();
    const opened = await logWithIndex(small.path, { maxSegmentBytes: 16 * 1024, maxTotalBytes: 64 * 1024 });
    try {
      const more = random(21);
      for (let i = 0; i < 10; i++) await Promise.all(Array.from({ length: 50 }, () => opened.log.append(randomEvent(more))));
      await opened.index.ready();
      // Seqs count from the oldest event the index saw: retention had deleted the log's first segments already.
      const atFirstScan = opened.index.size.count;
      expect(atFirstScan).toBeLessThan(500);
      for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: 50 }, () => opened.log.append(randomEvent(more))));
      await opened.index.settled();
      const kept: string[] = [];
      for await (const e of queryAuditLog(small.path)) kept.push(e.id);
      expect(kept.length).toBeLessThan(1500);
      expect(opened.index.size.count).toBe(kept.length);
      expect(opened.index.size.newest).toBe(atFirstScan + 1000);
      expect(await allIds(opened.index, {})).toEqual([...kept].reverse());
      const notes: string[] = [];
      for await (const e of queryAuditLog(small.path))
        if (
          JSON.stringify(e.arguments ?? '')
            .toLowerCase()
            .includes('notes')
        )
          notes.push(e.id);
      expect(notes.length).toBeGreaterThan(0);
      expect(await allIds(opened.index, { text: 'NOTES' })).toEqual(notes.reverse());
      const oldest = (await opened.index.query({ filter: {}, offset: kept.length - 1, limit: 1 })).rows[0]!;
      expect(oldest).toMatchObject({ seq: atFirstScan + 1000 - kept.length + 1, id: kept[0] });
    } finally {
      await opened.log.close();
      small.cleanup();
    }
  });
});
