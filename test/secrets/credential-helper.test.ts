import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { CredentialHelperError, HelperCache, runCredentialHelper } from '../../main/secrets/credential-helper.js';

/** A helper script in a temp dir, run as [node, script, ...args]: a real process, as `gh auth token` would be. */
function helper(source: string, ...args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-guard-'));
  const file = join(dir, 'helper.mjs');
  writeFileSync(file, source);
  return [process.execPath, file, ...args];
}

async function failure(command: string[], timeoutMs?: number): Promise<CredentialHelperError> {
  const error: unknown = await runCredentialHelper({ command, timeoutMs }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CredentialHelperError)) throw new Error(`expected a CredentialHelperError, got ${String(error)}`);
  return error;
}

describe('runCredentialHelper', () => {
  it('returns what the helper prints, trimmed', async () => {
    expect(await runCredentialHelper({ command: helper(`process.stdout.write('  gho_value-123 \\n\\n');`) })).toBe('gho_value-123');
  });

  it('passes the arguments as they are, with no shell in between', async () => {
    const command = helper(`console.log(JSON.stringify(process.argv.slice(2)));`, '$HOME', '`id`', 'a b;c');
    expect(JSON.parse(await runCredentialHelper({ command }))).toEqual(['$HOME', '`id`', 'a b;c']);
  });

  it("gives the helper a closed stdin, so it never reads (or waits on) the MCP client's pipe", async () => {
    const command = helper(`let n = 0; process.stdin.on('data', (d) => (n += d.length)); process.stdin.on('end', () => console.log('stdin-closed-' + n));`);
    expect(await runCredentialHelper({ command })).toBe('stdin-closed-0');
  });

  it('fails on a non-zero exit, naming the command and the code and the first line of stderr, never stdout or later arguments', async () => {
    const command = helper(
      `console.log('half-printed-secret'); console.error('\\nnot logged in to github.com\\nsecond line'); process.exit(4);`,
      '--token=arg-secret',
    );
    const error = await failure(command);
    expect(error.message).toBe(`mcp-guard: credential helper ${JSON.stringify(process.execPath)} exited with code 4 (stderr: "not logged in to github.com")`);
    expect(error.command).toBe(process.execPath);
    expect(error.message).not.toContain('half-printed-secret');
    expect(error.message).not.toContain('arg-secret');
  });

  it('fails on a helper killed by a signal, naming the signal', async () => {
    const error = await failure(helper(`process.kill(process.pid, 'SIGTERM'); setTimeout(() => {}, 5000);`));
    expect(error.message).toMatch(/was killed by SIGTERM$/);
  });

  it('kills a helper that runs past its timeout, with what it started', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'mcp-guard-')), 'grandchild-survived');
    const command = helper(
      `import { spawn } from 'node:child_process';
       spawn(process.execPath, ['-e', 'setTimeout(() => require("fs").writeFileSync(${JSON.stringify(marker)}, "x"), 1500)'], { stdio: 'ignore' });
       setTimeout(() => {}, 60000);`,
    );
    const started = Date.now();
    const error = await failure(command, 400);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error.message).toMatch(/did not finish within 400 ms and was killed$/);
    await sleep(2000);
    expect(existsSync(marker)).toBe(false);
  });

  it('fails on empty output, which would start the server with an empty secret', async () => {
    const error = await failure(helper(`console.log('   ');`));
    expect(error.message).toMatch(/exited with code 0 but printed nothing on stdout/);
  });

  it('kills a helper whose output passes 64 KiB, and says so without any of it', async () => {
    const command = helper(
      `const chunk = 'ghp_' + 'Z'.repeat(8192); const pump = () => { while (process.stdout.write(chunk)); process.stdout.once('drain', pump); }; pump();`,
    );
    const error = await failure(command, 10_000);
    expect(error.message).toMatch(/wrote more than 64 KiB and was killed/);
    expect(error.message).not.toContain('ZZZZ');
  });

  it('keeps only a short first line of stderr, with credentials and echoes of stdout cut out', async () => {
    const long = await failure(helper(`console.error('x'.repeat(10000)); process.exit(1);`));
    expect(long.message.length).toBeLessThan(400);
    expect(long.message).toMatch(/x…"\)$/);
    const token = `ghp_${'Q7'.repeat(20)}`;
    const echo = await failure(helper(`console.log('printed-value-77'); console.error('debug: token=${token} value=printed-value-77'); process.exit(1);`));
    expect(echo.message).toContain('(stderr: "debug: token=[redacted] value=[redacted]")');
  });

  it('names a command that is not there', async () => {
    const error = await failure(['mcp-guard-no-such-helper', 'auth', 'token']);
    expect(error.message).toBe('mcp-guard: credential helper "mcp-guard-no-such-helper" was not found (is it installed and on PATH?)');
  });
});

describe('HelperCache', () => {
  /** A helper that counts its runs in a file and prints the count. */
  function counter() {
    const file = join(mkdtempSync(join(tmpdir(), 'mcp-guard-')), 'runs');
    writeFileSync(file, '0');
    const command = helper(
      `import { readFileSync, writeFileSync } from 'node:fs'; const n = Number(readFileSync(${JSON.stringify(file)}, 'utf8')) + 1; writeFileSync(${JSON.stringify(file)}, String(n)); console.log('value-' + n);`,
    );
    return { command, runs: () => Number(readFileSync(file, 'utf8')) };
  }

  it('returns the cached value until ttlSeconds pass, then runs the helper again', async () => {
    let now = 1_000_000;
    const cache = new HelperCache(undefined, () => now);
    const { command, runs } = counter();
    expect(await cache.get({ command, ttlSeconds: 60 })).toBe('value-1');
    now += 59_000;
    expect(await cache.get({ command, ttlSeconds: 60 })).toBe('value-1');
    expect(runs()).toBe(1);
    now += 1_000;
    expect(await cache.get({ command, ttlSeconds: 60 })).toBe('value-2');
    expect(runs()).toBe(2);
  });

  it('keeps a value without a TTL for as long as the cache lives', async () => {
    let now = 0;
    const cache = new HelperCache(undefined, () => now);
    const { command, runs } = counter();
    await cache.get({ command });
    now += 30 * 86_400_000;
    expect(await cache.get({ command })).toBe('value-1');
    expect(runs()).toBe(1);
  });

  it('runs the helper once for concurrent asks', async () => {
    const cache = new HelperCache();
    const { command, runs } = counter();
    expect(await Promise.all([cache.get({ command, ttlSeconds: 5 }), cache.get({ command, ttlSeconds: 5 })])).toEqual(['value-1', 'value-1']);
    expect(runs()).toBe(1);
  });

  it('does not keep a failure: the next ask runs the helper again', async () => {
    const flag = join(mkdtempSync(join(tmpdir(), 'mcp-guard-')), 'logged-in');
    const command = helper(
      `import { existsSync } from 'node:fs'; if (!existsSync(${JSON.stringify(flag)})) { console.error('not logged in'); process.exit(1); } console.log('token-after-login');`,
    );
    const cache = new HelperCache();
    await expect(cache.get({ command, ttlSeconds: 3600 })).rejects.toThrow(/exited with code 1 \(stderr: "not logged in"\)/);
    writeFileSync(flag, '');
    expect(await cache.get({ command, ttlSeconds: 3600 })).toBe('token-after-login');
  });
});
