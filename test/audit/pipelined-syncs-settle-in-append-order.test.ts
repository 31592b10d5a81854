import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NodeAuditFileSystem, type AuditFile, type AuditFileSystem } from '../../main/audit/audit-fs.js';
import { AuditLog } from '../../main/audit/audit-log.js';
import { verifyAuditLog } from '../../main/audit/verify.js';
import { callEvent } from './sample-events.js';
import { tempDir } from './temp-dir.js';

type Sync = { release: () => void; fail: (error: Error) => void };

/** The real file system; every datasync of a segment waits until the test releases (or fails) it. */
class GatedSyncFs implements AuditFileSystem {
  writes = 0;
  readonly syncs: Sync[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly real = new NodeAuditFileSystem();

  async openAppend(path: string): Promise<AuditFile> {
    const file = await this.real.openAppend(path);
    return {
      write: (data) => (this.writes++, file.write(data)),
      datasync: async () => {
        this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
        try {
          await new Promise<void>((release, fail) => this.syncs.push({ release, fail }));
          await file.datasync();
        } finally {
          this.inFlight--;
        }
      },
      close: () => file.close(),
    };
  }

  syncDir(dir: string): Promise<void> {
    return this.real.syncDir(dir);
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

/** Appends, then lets the writer run (write done, datasync started) before the next append; `done` is when it settled. */
async function appendInOwnBatch(log: AuditLog, order: string[], name: string): Promise<{ done: Promise<unknown> }> {
  const done = log.append(callEvent({ tool: name })).then(
    () => order.push(name),
    () => order.push(`${name} rejected`),
  );
  await settle();
  return { done };
}

let dir: { path: string; cleanup: () => void };
beforeEach(() => (dir = tempDir()));
afterEach(() => dir.cleanup());

describe('pipelined group commit', () => {
  it('writes the next batch during the previous sync, but resolves it only after that sync', async () => {
    const fs = new GatedSyncFs();
    const log = await AuditLog.open(dir.path, { fs });
    const order: string[] = [];
    const first = await appendInOwnBatch(log, order, 'first');
    const second = await appendInOwnBatch(log, order, 'second');
    expect(fs.writes).toBe(2); // the second batch did not wait for the first sync to be written
    expect(fs.syncs).toHaveLength(2);

    fs.syncs[1]!.release(); // the later sync finishes first
    await settle();
    expect(order).toEqual([]); // durable on disk, but the batch before it is not yet known to be

    fs.syncs[0]!.release();
    await Promise.all([first.done, second.done]);
    expect(order).toEqual(['first', 'second']);
    await log.close();
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: true, events: 2 });
  });

  it('has at most three syncs in flight; later appends wait and form one batch', async () => {
    const fs = new GatedSyncFs();
    const log = await AuditLog.open(dir.path, { fs });
    const order: string[] = [];
    const appends: Array<Promise<unknown>> = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) appends.push((await appendInOwnBatch(log, order, name)).done);
    expect(fs.syncs).toHaveLength(3);
    expect(fs.writes).toBe(3); // d and e are queued, not written

    fs.syncs[0]!.release();
    await settle();
    expect(order).toEqual(['a']);
    expect(fs.writes).toBe(4); // d and e went out together
    while (order.length < 5) {
      for (const sync of fs.syncs) sync.release();
      await settle();
    }
    await Promise.all(appends);
    expect(order).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(fs.maxInFlight).toBe(3);
    await log.close();
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: true, events: 5 });
  });

  it('rejects a batch whose sync failed and every batch after it, even when their own sync succeeded', async () => {
    const fs = new GatedSyncFs();
    const log = await AuditLog.open(dir.path, { fs });
    const order: string[] = [];
    const before = await appendInOwnBatch(log, order, 'before');
    fs.syncs[0]!.release();
    await before.done;
    const failing = await appendInOwnBatch(log, order, 'failing');
    const after = await appendInOwnBatch(log, order, 'after');
    fs.syncs[2]!.release();
    await settle();
    expect(order).toEqual(['before']);

    fs.syncs[1]!.fail(new Error('EIO: i/o error, fdatasync'));
    await Promise.all([failing.done, after.done]);
    expect(order).toEqual(['before', 'failing rejected', 'after rejected']);
    await expect(log.append(callEvent())).rejects.toThrow(/an earlier write failed \(.*EIO/);
    await log.close();
  });

  it('close waits for the syncs in flight', async () => {
    const fs = new GatedSyncFs();
    const log = await AuditLog.open(dir.path, { fs });
    const order: string[] = [];
    const append = await appendInOwnBatch(log, order, 'only');
    let closed = false;
    const closing = log.close().then(() => (closed = true));
    await settle();
    expect(closed).toBe(false);
    fs.syncs[0]!.release();
    await Promise.all([append.done, closing]);
    expect(order).toEqual(['only']);
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: true, events: 1 });
  });
});
