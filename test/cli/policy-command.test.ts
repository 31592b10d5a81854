import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { cliPath, repoRoot } from '../helpers/paths.js';

const example = join(repoRoot, 'test', 'policy', 'issue-example.json');
function cli(args: string[], env: Record<string, string> = {}) {
  const home = mkdtempSync(join(tmpdir(), 'mcp-guard-cli-'));
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'], HOME: home, MCP_GUARD_HOME: join(home, 'guard'), MCP_GUARD_MANAGED_POLICY: join(home, 'none.json'), ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, home };
}
const write = (value: unknown) => {
  const file = join(mkdtempSync(join(tmpdir(), 'mcp-guard-file-')), 'p.json');
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};

describe('mcp-guard policy check', () => {
  it('accepts the issue example', () => {
    const r = cli(['policy', 'check', example]);
    expect(r).toMatchObject({ code: 0, stdout: expect.stringMatching(/valid \(3 rules, 1 server rules/) });
  });

  it('prints every problem with file and JSON path and exits 1', () => {
    const file = write({
      version: 1,
      rules: [
        { id: 'a', tool: 'x', action: 'allow' },
        { id: 'b', tool: 'mcp__a__b', action: 'deny', extra: 1 },
      ],
    });
    const r = cli(['policy', 'check', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`policy file ${file}: rules[0].tool: expected a string like "mcp__github__*"`);
    expect(r.stderr).toContain(`policy file ${file}: rules[1].extra: unknown field`);
  });

  it('exits 2 on a usage error', () => {
    expect(cli(['policy', 'check']).code).toBe(2);
    expect(cli(['policy', 'explain', '--tool', 'x']).code).toBe(2);
  });
});

describe('mcp-guard policy explain', () => {
  it('--json prints one object with effect, layer, rule and the rules that matched but lost', () => {
    const user = write({ version: 1, rules: [{ id: 'ok', tool: 'mcp__github__*', action: 'allow' }] });
    const managed = write({ version: 1, rules: [{ id: 'no-del', tool: 'mcp__*__delete_*', action: 'deny', reason: 'review' }] });
    const r = cli(['policy', 'explain', '--server', 'github', '--tool', 'delete_repo', '--policy', user, '--managed', managed, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ effect: 'deny', layer: 'managed', rule: 'no-del', reason: 'review' });
    expect(out.lost).toEqual([expect.objectContaining({ rule: 'ok', layer: 'user', effect: 'allow' })]);
  });

  it('evaluates arguments and client, and says so in text', () => {
    const r = cli([
      'policy',
      'explain',
      '--server',
      'filesystem',
      '--tool',
      'read_file',
      '--args',
      '{"path":"/home/dev/projects/x"}',
      '--client',
      'claude-code',
      '--policy',
      example,
    ]);
    expect(r.stdout).toMatch(/mcp__filesystem__read_file: ALLOW\n {2}decided by: user \/ fs-read-project/);
  });

  it('uses the user policy in force when no --policy is given', () => {
    const r0 = cli(['policy', 'explain', '--server', 'x', '--tool', 'y', '--json']);
    expect(JSON.parse(r0.stdout)).toMatchObject({ effect: 'ask', layer: 'default', rule: 'default' });
  });
});

describe('mcp-guard policy show, import-claude and schema', () => {
  it('imports Claude Code MCP permissions as user rules and shows them with their source', () => {
    const settings = write({ permissions: { deny: ['mcp__github__delete_repo'], allow: ['Bash(ls)'] } });
    const home = mkdtempSync(join(tmpdir(), 'mcp-guard-home-'));
    const env = { MCP_GUARD_HOME: home };
    const r = cli(['policy', 'import-claude', '--settings', settings], env);
    expect(r).toMatchObject({ code: 0, stdout: expect.stringMatching(/imported deny +mcp__github__delete_repo[\s\S]*skipped +Bash\(ls\)/) });
    expect(JSON.parse(readFileSync(join(home, 'policy.json'), 'utf8')).rules[0]).toMatchObject({ tool: 'mcp__github__delete_repo', action: 'deny' });
    const shown = JSON.parse(cli(['policy', 'show'], env).stdout);
    expect(shown.rules).toEqual([expect.objectContaining({ source: 'user', tool: 'mcp__github__delete_repo' })]);
    expect(shown.defaults.tools).toEqual({ value: 'ask', source: 'default' });
  });

  it('prints a JSON Schema that accepts the example and rejects unknown fields', () => {
    const schema = JSON.parse(cli(['policy', 'schema']).stdout);
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const doc = JSON.parse(readFileSync(example, 'utf8'));
    expect(validate(doc)).toBe(true);
    expect(validate({ ...doc, mdoe: 'monitor' })).toBe(false);
  });
});
