import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/audit/audit-log.js';
import { callEvent } from '../audit/sample-events.js';
import { cliPath } from '../helpers/paths.js';

type Run = { code: number; stdout: string; stderr: string };
const run = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> =>
  new Promise((resolve) => {
    execFile(process.execPath, [cliPath, 'audit', ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });

let home: string;
let auditDir: string;
beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'mcp-guard-cli-audit-'));
  auditDir = join(home, 'audit');
  const log = await AuditLog.open(auditDir, { maxSegmentBytes: 1_500 });
  for (let i = 0; i < 8; i++) await log.append(callEvent({ tool: i % 2 ? 'create_issue' : 'search_issues', arguments: { i } }));
  await log.append(callEvent({ time: '2020-01-01T00:00:00.000Z', tool: 'old_tool' }));
  await log.close();
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('mcp-guard audit', () => {
  it('verify finds the guard home from MCP_GUARD_HOME and counts the events', async () => {
    const result = await run(['verify'], { MCP_GUARD_HOME: home });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/^9 events verified in \d+ segments/);
  });

  it('tail filters by tool and --since as a duration', async () => {
    const result = await run(['tail', '--dir', auditDir, '--tool', 'create_issue', '--since', '1h']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(4);
    expect(result.stdout).not.toContain('search_issues');
    const json = await run(['tail', '--dir', auditDir, '-n', '1', '--json']);
    expect(JSON.parse(json.stdout).tool).toBe('old_tool');
  });

  it('export --format csv prints a header and one row per event', async () => {
    const result = await run(['export', '--dir', auditDir, '--format', 'csv']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\r\n').filter(Boolean)).toHaveLength(10);
  });

  it('exits 2 naming the flag on usage errors', async () => {
    expect(await run(['export', '--dir', auditDir])).toMatchObject({ code: 2, stderr: expect.stringContaining('--format jsonl') });
    expect(await run(['tail', '--dir', auditDir, '--since', 'yesterday'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--since "yesterday"') });
    expect(await run(['tail', '--dir', auditDir, '--decision', 'maybe'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('expected allow, ask or deny'),
    });
    expect(await run(['purge'])).toMatchObject({ code: 2 });
  });

  it('verify exits 1 with file:line when a line was edited', async () => {
    const copy = join(home, 'tampered');
    const log = await AuditLog.open(copy);
    for (let i = 0; i < 3; i++) await log.append(callEvent({ arguments: { i } }));
    await log.close();
    const file = join(copy, 'audit-000001.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"i":1', '"i":7'));
    const result = await run(['verify', '--dir', copy]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:2: content does not match its hash`);
  });
});
