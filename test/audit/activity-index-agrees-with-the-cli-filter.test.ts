/**
 * The Activity page and `mcp-guard audit` must never disagree about which events a filter means:
 * on random events and random filters, the index's rows are exactly the events the CLI's
 * compileFilter picks (newest first), and the page's own filters (client, outcome, until, text)
 * pick exactly what their plain definition says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFilter, queryAuditLog } from '../../main/audit/query.js';
import type { ActivityIndex } from '../../main/audit/activity-index.js';
import { searchText } from '../../main/audit/activity-rows.js';
import type { ActivityFilter } from '../../shared/activity.js';
import type { AuditEvent } from '../../shared/audit.js';
import { allIds, logWithIndex, random, randomEvent, randomFilter } from './activity-events.js';
import { tempDir } from './temp-dir.js';

const EVENTS = 800;
let dir: { path: string; cleanup: () => void };
let index: ActivityIndex;
let events: AuditEvent[];

beforeAll(async () => {
  dir = tempDir();
  // Small segments: the index reads across rotation as the CLI does.
  const opened = await logWithIndex(dir.path, { maxSegmentBytes: 32 * 1024 });
  const next = random(16);
  for (let i = 0; i < EVENTS; i += 50) await Promise.all(Array.from({ length: 50 }, () => opened.log.append(randomEvent(next))));
  await opened.log.close();
  index = opened.index;
  events = [];
  for await (const e of queryAuditLog(dir.path)) events.push(e);
});
afterAll(() => dir.cleanup());

/** The page's filter as its schema defines it, event by event: the CLI's part, then the page's own. */
function reference(filter: ActivityFilter): (e: AuditEvent) => boolean {
  const cli = compileFilter({
    ...(filter.server !== undefined ? { server: filter.server } : {}),
    ...(filter.tool !== undefined ? { tool: filter.tool } : {}),
    ...(filter.decision !== undefined ? { decision: filter.decision } : {}),
    ...(filter.kind !== undefined ? { kind: filter.kind } : {}),
    ...(filter.since !== undefined ? { since: filter.since } : {}),
  });
  return (e) =>
    cli(e) &&
    (filter.client === undefined || e.client?.name === filter.client) &&
    (filter.outcome === undefined || e.outcome?.kind === filter.outcome) &&
    (filter.until === undefined || Date.parse(e.time) <= filter.until) &&
    (filter.text === undefined || searchText(e).includes(filter.text.toLowerCase()));
}

describe('the activity index and the CLI filter', () => {
  it('holds every event of the log, newest first, with the fields the table shows', async () => {
    const window = await index.query({ filter: {}, offset: 0, limit: 500 });
    expect(window.total).toBe(EVENTS);
    expect(events).toHaveLength(EVENTS);
    const newest = events.at(-1)!;
    expect(window.rows[0]).toMatchObject({ seq: EVENTS, id: newest.id, time: Date.parse(newest.time), kind: newest.kind });
    expect(window.rows[0]!.server).toBe(newest.server?.name);
    expect(window.rows[0]!.decision).toBe(newest.decision?.effect);
    const asked = events.findLast((e) => e.approval)!;
    const row = (await allIds(index, {})).indexOf(asked.id);
    const [shown] = (await index.query({ filter: {}, offset: row, limit: 1 })).rows;
    expect(shown!.approval).toMatchObject({ approver: asked.approval!.approver, answer: asked.approval!.answer });
  });

  it('agrees with compileFilter on 300 random CLI filters', async () => {
    const next = random(7);
    let nonEmpty = 0;
    for (let n = 0; n < 300; n++) {
      const filter = randomFilter(next, false);
      const expected = events
        .filter(compileFilter(filter))
        .map((e) => e.id)
        .reverse();
      if (expected.length > 0 && expected.length < EVENTS) nonEmpty++;
      expect(await allIds(index, filter), JSON.stringify(filter)).toEqual(expected);
    }
    // The filters must have discriminated, or the comparison proves little.
    expect(nonEmpty).toBeGreaterThan(150);
  });

  it("agrees with the plain definition of the page's own filters on 300 random ones", async () => {
    const next = random(11);
    for (let n = 0; n < 300; n++) {
      const filter = randomFilter(next, true);
      const expected = events
        .filter(reference(filter))
        .map((e) => e.id)
        .reverse();
      expect(await allIds(index, filter), JSON.stringify(filter)).toEqual(expected);
    }
  });

  it('takes "the last N ms" from the clock at each query', async () => {
    const times = events.map((e) => Date.parse(e.time)).sort((a, b) => a - b);
    const newest = times.at(-1)!;
    const { ActivityIndex } = await import('../../main/audit/activity-index.js');
    // On a whole second: the index resolves the range to the second.
    const now = Math.floor(newest / 1000) * 1000 + 2000;
    const clocked = new ActivityIndex({ dir: dir.path, onDidAppend: () => () => undefined, now: () => now });
    const expected = events.filter((e) => Date.parse(e.time) >= now - 3_600_000).length;
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(EVENTS);
    expect((await clocked.query({ filter: { lastMs: 3_600_000 }, offset: 0, limit: 1 })).total).toBe(expected);
  });
});
