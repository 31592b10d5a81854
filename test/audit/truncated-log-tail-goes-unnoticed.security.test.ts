/**
 * Threat: someone with the user's files deletes the newest audit events (the tools/call records of
 * what an agent just did) from the end of the active segment. The chain of what remains still
 * links, so before the head anchor `audit verify` passed. Now the anchored head must be reached.
 */
import { execFile } from 'node:child_process';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/audit/audit-log.js';
import { canonicalJson, sha256 } from '../../main/common/canonical-json.js';
import { verifyAuditLog } from '../../main/audit/verify.js';
import { cliPath } from '../helpers/paths.js';
import { callEvent } from './sample-events.js';
import { tempDir } from './temp-dir.js';

let dir: { path: string; cleanup: () => void };
beforeEach(async () => {
  dir = tempDir();
  const log = await AuditLog.open(dir.path);
  for (let i = 0; i < 10; i++) await log.append(callEvent({ tool: i === 9 ? 'delete_repository' : 'search_issues', arguments: { i } }));
  await log.close();
});
afterEach(() => dir.cleanup());

const segment = () => join(dir.path, 'audit-000001.jsonl');
const lines = () => readFileSync(segment(), 'utf8').split('\n').slice(0, -1);
const keepLines = (n: number) =>
  writeFileSync(
    segment(),
    lines()
      .slice(0, n)
      .map((l) => l + '\n')
      .join(''),
  );

const verifyCli = (auditDir: string): Promise<{ code: number; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, [cliPath, 'audit', 'verify', '--dir', auditDir], (error, _stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr }),
    );
  });

describe('events deleted from the end of the audit log', () => {
  it('fail verify, naming the segment and the missing lines', async () => {
    expect(lines()[9]).toContain('delete_repository');
    keepLines(7);
    const result = await verifyAuditLog(dir.path);
    expect(result).toMatchObject({ ok: false, events: 7, broken: { file: 'audit-000001.jsonl' } });
    expect(!result.ok && result.broken.problem).toMatch(/truncated.*lines 8–10 are missing/);
  });

  it('make `mcp-guard audit verify` exit 1 with the file and the missing range', async () => {
    keepLines(9);
    const result = await verifyCli(dir.path);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${segment()}: truncated`);
    expect(result.stderr).toContain('line 10 is missing');
  });

  it('stay reported after the service reopened the log and recorded more', async () => {
    keepLines(7);
    const reopened = await AuditLog.open(dir.path);
    expect(reopened.openReport.tailProblem).toMatchObject({ file: 'audit-000001.jsonl', problem: expect.stringMatching(/lines 8–10/) });
    for (let i = 0; i < 3; i++) await reopened.append(callEvent({ arguments: { later: i } }));
    await reopened.close();
    const result = await verifyAuditLog(dir.path);
    expect(result).toMatchObject({ ok: false, broken: { file: 'audit-000001.jsonl' } });
    expect(!result.ok && result.broken.problem).toMatch(/lines 8–10 are missing/);
  });

  it('fail verify when the whole active segment was deleted', async () => {
    unlinkSync(segment());
    const result = await verifyAuditLog(dir.path);
    expect(result).toMatchObject({ ok: false, broken: { file: 'audit-000001.jsonl' } });
    expect(!result.ok && result.broken.problem).toMatch(/missing/);
  });

  it('fail verify when the newest event was rewritten with a recomputed hash', async () => {
    const all = lines();
    const { hash: _old, ...rest } = JSON.parse(all[9]!) as Record<string, unknown>;
    rest['tool'] = 'search_issues';
    all[9] = JSON.stringify({ ...rest, hash: sha256(canonicalJson(rest)) });
    writeFileSync(segment(), all.map((l) => l + '\n').join(''));
    const result = await verifyAuditLog(dir.path);
    expect(result).toMatchObject({ ok: false, broken: { file: 'audit-000001.jsonl', line: 10 } });
    expect(!result.ok && result.broken.problem).toMatch(/head anchor/);
  });

  it('fail verify when the anchor was deleted together with the events', async () => {
    keepLines(7);
    unlinkSync(join(dir.path, 'head.json'));
    const result = await verifyAuditLog(dir.path);
    expect(result).toMatchObject({ ok: false, broken: { file: 'head.json' } });
    expect(!result.ok && result.broken.problem).toMatch(/no head anchor/);
  });
});
