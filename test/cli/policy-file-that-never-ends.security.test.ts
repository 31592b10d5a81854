/**
 * Threat: a policy file (or Claude Code settings file) that is a symlink to a device that never
 * ends (/dev/zero), or simply huge, makes `mcp-guard policy check` / `import-claude` hang and eat
 * memory. Each refuses it at once, naming the file, what it is and the cap, and saying what to do.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath } from '../helpers/paths.js';

/**
 * The CLI as a user runs it, but under a 3 GB address-space ceiling and a 10 s deadline: a
 * regression to an unbounded read then fails fast here instead of taking the machine's memory.
 */
function cli(args: string[]) {
  const home = mkdtempSync(join(tmpdir(), 'mcp-guard-cli-'));
  const script = 'ulimit -v 3000000; exec "$0" "$@"';
  const r = spawnSync('bash', ['-c', script, process.execPath, cliPath, ...args], {
    encoding: 'utf8',
    timeout: 10_000,
    killSignal: 'SIGKILL',
    env: { PATH: process.env['PATH'], HOME: home, MCP_GUARD_HOME: join(home, 'guard'), MCP_GUARD_MANAGED_POLICY: join(home, 'none.json') },
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'mcp-guard-file-'));
}

function linkToDevZero(): string {
  const file = join(dir(), 'policy.json');
  symlinkSync('/dev/zero', file);
  return file;
}

describe.skipIf(process.platform === 'win32')('files the CLI will not read without end', () => {
  it('policy check refuses a symlink to /dev/zero at once', () => {
    const file = linkToDevZero();
    const started = Date.now();
    const r = cli(['policy', 'check', file]);
    expect(r.signal).toBeNull();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `mcp-guard: policy file ${file}: a character device, not a regular file; MCP Guard reads policy only from a regular file of at most 4 MiB`,
    );
  }, 15_000);

  it('policy check refuses a file over the 4 MiB cap, saying how big it is', () => {
    const file = join(dir(), 'policy.json');
    writeFileSync(file, JSON.stringify({ version: 1, rules: [], padding: 'x'.repeat(5 * 1024 * 1024) }));
    const r = cli(['policy', 'check', file]);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`mcp-guard: policy file ${file}: 5.0 MiB, over the 4 MiB cap for policy`);
  }, 15_000);

  it('import-claude refuses settings that are a symlink to /dev/zero, and writes no policy', () => {
    const file = linkToDevZero();
    const r = cli(['policy', 'import-claude', '--settings', file]);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `mcp-guard: Claude Code settings ${file}: a character device, not a regular file; MCP Guard reads Claude Code settings only from a regular file of at most 4 MiB`,
    );
    expect(r.stdout).not.toMatch(/rules written/);
  }, 15_000);
});
