/**
 * After a restart the service reads the ids of the last week's events from the log, so a proxy's
 * replay (after a reconnect, or an orphan spool) of events already recorded is dropped, while an
 * event older than that window, and any new one, is recorded. Real log files in a temp dir.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProxyAuditEvent } from '../../shared/proxy-protocol.js';
import { AuditIntake } from '../../main/audit/audit-intake.js';
import { AuditLog } from '../../main/audit/audit-log.js';
import { AuditIdGenerator } from '../../main/audit/ids.js';
import { tempDir } from '../helpers/proxy.js';

const DAY = 24 * 3600_000;
const stamp = { deviceId: 'device', osUser: 'someone' };

function callEvent(id: string, time: number): ProxyAuditEvent {
  return { id, time: new Date(time).toISOString(), kind: 'call', server: { name: 'fs' }, tool: 'read_file', outcome: { kind: 'ok' } };
}

function storedIds(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean))
    .map((line) => (JSON.parse(line) as { id: string }).id);
}

describe('the intake after a restart', () => {
  it("drops a replay of the last week's events and records older and new ones", async () => {
    const dir = tempDir('mcp-guard-intake-');
    const now = Date.now();
    const ids = new AuditIdGenerator();
    const old = callEvent(ids.next(), now - 8 * DAY);
    const recent = Array.from({ length: 50 }, (_, i) => callEvent(ids.next(), now - i * 60_000));
    const first = await AuditLog.open(dir);
    await new AuditIntake(first, stamp).record([old, ...recent]);
    await first.close();

    // The service starts again: a fresh intake over the same log, the proxy replays everything it spooled.
    const log = await AuditLog.open(dir);
    const intake = new AuditIntake(log, stamp);
    await intake.rememberRecent(now);
    const fresh = callEvent(ids.next(), now);
    await intake.record([old, ...recent, fresh]);
    await log.close();

    const stored = storedIds(dir);
    for (const e of recent)
      expect(
        stored.filter((id) => id === e.id),
        `recent event ${e.id}`,
      ).toHaveLength(1);
    expect(stored.filter((id) => id === fresh.id)).toHaveLength(1);
    // Outside the window the log is not read back, so an event that old is recorded again (the receiver dedupes by id).
    expect(stored.filter((id) => id === old.id)).toHaveLength(2);
  });
});
