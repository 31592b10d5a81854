import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/audit/audit-log.js';
import { verifyAuditLog } from '../../main/audit/verify.js';
import { callEvent } from './sample-events.js';
import { tempDir } from './temp-dir.js';

let dir: { path: string; cleanup: () => void };
beforeEach(async () => {
  dir = tempDir();
  // About 4 lines per segment: segments 1..5 with 20 events.
  const log = await AuditLog.open(dir.path, { maxSegmentBytes: 1_500 });
  for (let i = 0; i < 20; i++) await log.append(callEvent({ arguments: { i } }));
  await log.close();
});
afterEach(() => dir.cleanup());

const segment = (n: number) => join(dir.path, `audit-00000${n}.jsonl`);
const readLines = (n: number) => readFileSync(segment(n), 'utf8').split('\n').slice(0, -1);
const writeLines = (n: number, lines: string[]) => writeFileSync(segment(n), lines.map((l) => l + '\n').join(''));

describe('audit verify', () => {
  it('accepts the untouched log', async () => {
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: true, events: 20 });
  });

  it('reports an edited field at its file and line', async () => {
    const lines = readLines(2);
    lines[1] = lines[1]!.replace('"effect":"allow"', '"effect":"deny"');
    writeLines(2, lines);
    const result = await verifyAuditLog(dir.path);
    expect(result).toMatchObject({ ok: false, broken: { file: 'audit-000002.jsonl', line: 2 } });
    expect(!result.ok && result.broken.problem).toMatch(/does not match its hash/);
  });

  it("reports an edited field even when the attacker recomputed that line's hash", async () => {
    const { canonicalJson, sha256 } = await import('../../main/common/canonical-json.js');
    const lines = readLines(2);
    const { hash: _old, ...rest } = JSON.parse(lines[1]!);
    rest.decision.effect = 'deny';
    lines[1] = JSON.stringify({ ...rest, hash: sha256(canonicalJson(rest)) });
    writeLines(2, lines);
    // The next line's prev no longer matches.
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: false, broken: { file: 'audit-000002.jsonl', line: 3 } });
  });

  it('reports a deleted line at the line that follows it', async () => {
    const lines = readLines(3);
    lines.splice(1, 1);
    writeLines(3, lines);
    const result = await verifyAuditLog(dir.path);
    expect(result).toMatchObject({ ok: false, broken: { file: 'audit-000003.jsonl', line: 2 } });
    expect(!result.ok && result.broken.problem).toMatch(/prev does not match the hash of line 1/);
  });

  it('reports reordered lines at the first one out of place', async () => {
    const lines = readLines(2);
    [lines[1], lines[2]] = [lines[2]!, lines[1]!];
    writeLines(2, lines);
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: false, broken: { file: 'audit-000002.jsonl', line: 2 } });
  });

  it('reports a deleted middle segment as missing', async () => {
    unlinkSync(segment(3));
    const result = await verifyAuditLog(dir.path);
    expect(result).toMatchObject({ ok: false, broken: { file: 'audit-000003.jsonl' } });
    expect(!result.ok && result.broken.problem).toMatch(/missing/);
  });

  it('reports the first segment deleted outside retention', async () => {
    unlinkSync(segment(1));
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: false, broken: { file: 'audit-000001.jsonl' } });
  });

  it('reports the newest segment deleted', async () => {
    const newest = Math.max(
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9].filter((n) => {
        try {
          readFileSync(segment(n));
          return true;
        } catch {
          return false;
        }
      }),
    );
    unlinkSync(segment(newest));
    const result = await verifyAuditLog(dir.path);
    expect(result).toMatchObject({ ok: false, broken: { file: `audit-00000${newest}.jsonl` } });
  });

  it('reports lines cut from the end of a sealed segment together with the next segment', async () => {
    // Truncating segment 2 alone is caught by segment 3's first prev; here the attacker also
    // deleted everything after it, so only the manifest's seal can tell.
    for (const n of [3, 4, 5, 6, 7, 8, 9])
      try {
        unlinkSync(segment(n));
      } catch {
        /* not there */
      }
    writeLines(2, readLines(2).slice(0, -1));
    expect(await verifyAuditLog(dir.path)).toMatchObject({ ok: false });
  });
});
