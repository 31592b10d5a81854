import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NodeAuditFileSystem, type AuditFile, type AuditFileSystem } from '../../main/audit/audit-fs.js';
import { AuditLog } from '../../main/audit/audit-log.js';
import { verifyAuditLog } from '../../main/audit/verify.js';
import { callEvent } from './sample-events.js';
import { tempDir } from './temp-dir.js';

/** The real file system, counting writes and datasyncs, with an optional gate held before each datasync. */
class CountingFs implements AuditFileSystem {
  writes = 0;
  datasyncs = 0;
  gate: Promise<void> | undefined;
  private readonly real = new NodeAuditFileSystem();

  async openAppend(path: string): Promise<AuditFile> {
    const file = await this.real.openAppend(path);
    return {
      write: (data) => (this.writes++, file.write(data)),
      datasync: async () => {
        await this.gate;
        this.datasyncs++;
        return file.datasync();
      },
      close: () => file.close(),
    };
  }

  syncDir(dir: string): Promise<void> {
    return this.real.syncDir(dir);
  }
}

let dir: { path: string; cleanup: () => void };
beforeEach(() => (dir = tempDir()));
afterEach(() => dir.cleanup());

describe('group commit', () => {
  it('writes and syncs appends that arrive during a sync as one batch', async () => {
    const fs = new CountingFs();
    const log = await AuditLog.open(dir.path, { fs });
    let release!: () => void;
    fs.gate = new Promise((resolve) => (release = resolve));
    const first = log.append(callEvent());
    await new Promise((resolve) => setTimeout(resolve, 20)); // the first batch is now waiting in datasync
    const rest = Array.from({ length: 200 }, (_, i) => log.append(callEvent({ arguments: { i } })));
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    fs.gate = undefined;
    await Promise.all([first, ...rest]);
    await log.close();
    expect(fs.writes).toBe(2);
    expect(fs.datasyncs).toBe(2);
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: true, events: 201 });
  });

  it('resolves an append only after its datasync completed', async () => {
    const fs = new CountingFs();
    const log = await AuditLog.open(dir.path, { fs });
    let release!: () => void;
    fs.gate = new Promise((resolve) => (release = resolve));
    let resolved = false;
    const append = log.append(callEvent()).then(() => (resolved = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(resolved).toBe(false);
    expect(fs.datasyncs).toBe(0);
    release();
    await append;
    expect(fs.datasyncs).toBe(1);
    await log.close();
  });

  it('syncs once per event when appends come one at a time', async () => {
    const fs = new CountingFs();
    const log = await AuditLog.open(dir.path, { fs });
    for (let i = 0; i < 10; i++) await log.append(callEvent());
    await log.close();
    expect(fs.datasyncs).toBe(10);
  });

  it('keeps chain order equal to append order under concurrency', async () => {
    const log = await AuditLog.open(dir.path, { maxSegmentBytes: 4_000 });
    const stored = await Promise.all(Array.from({ length: 300 }, (_, i) => log.append(callEvent({ arguments: { i } }))));
    await log.close();
    for (let i = 1; i < stored.length; i++) expect(stored[i]!.prev).toBe(stored[i - 1]!.hash);
    expect(new Set(stored.map((e) => e.id)).size).toBe(300);
    expect([...stored.map((e) => e.id)].sort()).toEqual(stored.map((e) => e.id));
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: true, events: 300 });
  });

  it('rejects an invalid event with the field named, and nothing is written', async () => {
    const log = await AuditLog.open(dir.path);
    await expect(log.append(callEvent({ outcome: { kind: 'exploded' as never } }))).rejects.toThrow(/outcome\.kind/);
    await log.close();
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: true, events: 0 });
    await expect(log.append(callEvent())).rejects.toThrow(/closed/);
  });
});
