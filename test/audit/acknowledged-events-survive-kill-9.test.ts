import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/audit/audit-log.js';
import { queryAuditLog } from '../../main/audit/query.js';
import { verifyAuditLog } from '../../main/audit/verify.js';
import { repoRoot } from '../helpers/paths.js';
import { tempDir } from './temp-dir.js';

// Built by the global setup (tsc -p tsconfig.node.json), like the CLI.
const writerPath = join(repoRoot, 'dist', 'test', 'fixtures', 'audit-writer.js');

let dir: { path: string; cleanup: () => void };
beforeEach(() => (dir = tempDir()));
afterEach(() => dir.cleanup());

describe('a writer killed with SIGKILL mid-burst', () => {
  it('loses no acknowledged event, and the reopened log verifies and continues', async () => {
    expect(existsSync(writerPath), `${writerPath} missing; run npm run build`).toBe(true);
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, [writerPath, dir.path, '32'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const acknowledged: string[] = [];
      let buffer = '';
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          const lines = buffer.split('\n');
          buffer = lines.pop()!;
          for (const line of lines) if (line !== 'ready') acknowledged.push(line);
          if (acknowledged.length >= 3_000 + round * 500) resolve();
        });
        void exited.then(() => reject(new Error(`writer exited early: ${stderr}`)));
      });
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      // A partial id line at the end was being printed when the kill came: not acknowledged.

      const log = await AuditLog.open(dir.path, { maxSegmentBytes: 32 * 1024 });
      await log.close();
      const stored = new Set<string>();
      for await (const event of queryAuditLog(dir.path)) stored.add(event.id);
      const lost = acknowledged.filter((id) => !stored.has(id));
      expect(lost).toEqual([]);
      const verified = await verifyAuditLog(dir.path);
      expect(verified).toMatchObject({ ok: true, events: stored.size });
      expect(verified.ok && verified.segments).toBeGreaterThan(1);
    }
  });
});
