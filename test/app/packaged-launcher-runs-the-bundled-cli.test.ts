// In a packaged app, wrapped client configs run build/launcher/mcp-guard (macOS, Linux) or
// mcp-guard.cmd (Windows), which runs the CLI inside app.asar with the app's own binary as Node.
// The POSIX launcher runs for real here, in the layouts electron-builder makes, with a stand-in for
// the app binary that reports what it was started with (the real one cannot run here).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packagedLauncherPath, usePackagedLauncher } from '../../main/app/packaged-launcher.js';
import { repoRoot } from '../helpers/paths.js';
import { tempDir } from '../helpers/proxy.js';

const launcher = join(repoRoot, 'build', 'launcher', 'mcp-guard');
const windowsLauncher = join(repoRoot, 'build', 'launcher', 'mcp-guard.cmd');
/** Stands in for the app binary: prints how it was run, then echoes stdin (the MCP client's channel). */
const FAKE_APP = '#!/bin/sh\nprintf \'%s\\n\' "ELECTRON_RUN_AS_NODE=${ELECTRON_RUN_AS_NODE:-}" "$0" "$@"\ncat\n';

function install(layout: 'linux' | 'mac', withApp = true) {
  const root = tempDir('mcp-guard-package-');
  const contents = layout === 'mac' ? join(root, 'MCP Guard.app', 'Contents') : join(root, 'opt', 'MCP Guard');
  const resources = layout === 'mac' ? join(contents, 'Resources') : join(contents, 'resources');
  const app = layout === 'mac' ? join(contents, 'MacOS', 'MCP Guard') : join(contents, 'mcp-guard-app');
  mkdirSync(join(resources, 'launcher'), { recursive: true });
  copyFileSync(launcher, join(resources, 'launcher', 'mcp-guard'));
  chmodSync(join(resources, 'launcher', 'mcp-guard'), 0o755);
  if (withApp) {
    mkdirSync(join(app, '..'), { recursive: true });
    writeFileSync(app, FAKE_APP, { mode: 0o755 });
  }
  return { root, resources, app, launcher: packagedLauncherPath(resources, 'linux') };
}

const run = (file: string, args: string[] = [], input = '') => spawnSync(file, args, { input, encoding: 'utf8' });

describe.skipIf(process.platform === 'win32')('the packaged launcher (POSIX sh, run for real)', () => {
  it('runs the bundled CLI in app.asar with the Linux app binary as Node, passing arguments and stdin through', () => {
    const { resources, app, launcher: path } = install('linux');
    const result = run(path, ['run', '--name', 'two words', '"quoted"', ''], '{"jsonrpc":"2.0"}\n');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'ELECTRON_RUN_AS_NODE=1',
      app,
      join(resources, 'app.asar', 'dist', 'main', 'cli', 'mcp-guard.cjs'),
      'run',
      '--name',
      'two words',
      '"quoted"',
      '',
      '{"jsonrpc":"2.0"}',
      '',
    ]);
    expect(result.stderr).toBe('');
  });

  it('finds the macOS app binary in Contents/MacOS', () => {
    const { app, launcher: path } = install('mac');
    const lines = run(path, ['--help']).stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual(['ELECTRON_RUN_AS_NODE=1', app]);
  });

  it('follows a symlink to it (an absolute one, and a relative one), so it can be put on PATH', () => {
    const { root, app, launcher: path } = install('linux');
    mkdirSync(join(root, 'bin'));
    symlinkSync(path, join(root, 'bin', 'mcp-guard'));
    symlinkSync(join('..', 'opt', 'MCP Guard', 'resources', 'launcher', 'mcp-guard'), join(root, 'bin', 'relative'));
    for (const link of ['mcp-guard', 'relative']) expect(run(join(root, 'bin', link)).stdout.split('\n')[1]).toBe(app);
  });

  it('says what is wrong, on stderr only, when the app binary is gone', () => {
    const { launcher: path } = install('linux', false);
    const result = run(path, ['run'], 'request');
    expect(result.status).toBe(127);
    expect(result.stdout).toBe(''); // stdout is the MCP client's channel
    expect(result.stderr).toMatch(/^mcp-guard: the MCP Guard app is not at .*mcp-guard-app .*reinstall MCP Guard/);
  });

  it('is a POSIX sh script that the strictest shell here parses', () => {
    expect(readFileSync(launcher, 'utf8').startsWith('#!/bin/sh\n')).toBe(true);
    expect(() => execFileSync('sh', ['-n', launcher])).not.toThrow();
  });
});

describe('the packaged launcher: where the app points wraps, and what the package holds', () => {
  it('points MCP_GUARD_LAUNCHER at the launcher in the resources when packaged, keeps a user choice, and leaves a checkout alone', () => {
    const env: NodeJS.ProcessEnv = {};
    usePackagedLauncher(env, false, '/Applications/MCP Guard.app/Contents/Resources', 'darwin');
    expect(env['MCP_GUARD_LAUNCHER']).toBeUndefined();
    usePackagedLauncher(env, true, '/Applications/MCP Guard.app/Contents/Resources', 'darwin');
    expect(env['MCP_GUARD_LAUNCHER']).toBe('/Applications/MCP Guard.app/Contents/Resources/launcher/mcp-guard');
    const chosen: NodeJS.ProcessEnv = { MCP_GUARD_LAUNCHER: '/usr/local/bin/mcp-guard' };
    usePackagedLauncher(chosen, true, '/opt/MCP Guard/resources', 'linux');
    expect(chosen['MCP_GUARD_LAUNCHER']).toBe('/usr/local/bin/mcp-guard');
    expect(packagedLauncherPath('C:\\MCP Guard\\resources', 'win32')).toMatch(/launcher[\\/]mcp-guard\.cmd$/);
  });

  it('ships each launcher where the app looks for it (electron-builder.yml extraResources)', () => {
    const config = readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8');
    expect(config).toMatch(/mac:[\s\S]*?extraResources:\s*\n\s*- from: build\/launcher\/mcp-guard\n\s*to: launcher\/mcp-guard\n/);
    expect(config).toMatch(/win:[\s\S]*?extraResources:\s*\n\s*- from: build\/launcher\/mcp-guard\.cmd\n\s*to: launcher\/mcp-guard\.cmd\n/);
    expect(config).toMatch(
      /linux:[\s\S]*?executableName: mcp-guard-app[\s\S]*?extraResources:\s*\n\s*- from: build\/launcher\/mcp-guard\n\s*to: launcher\/mcp-guard\n/,
    );
    expect(config).toMatch(/runAsNode: true/); // the launchers need it
  });

  it('keeps the Windows launcher in CRLF, runs the same CLI with ELECTRON_RUN_AS_NODE=1, and keeps its variables local', () => {
    const text = readFileSync(windowsLauncher, 'utf8');
    expect(
      text
        .split('\r\n')
        .slice(0, -1)
        .every((line) => !line.includes('\n')),
    ).toBe(true); // cmd.exe mis-parses labels in LF-only files
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text).toContain('\r\nsetlocal\r\n');
    expect(text).toContain('set "ELECTRON_RUN_AS_NODE=1"');
    expect(text).toContain('"%APP%" "%RESOURCES%\\app.asar\\dist\\main\\cli\\mcp-guard.cjs" %*');
    expect(text).toContain('set "APP=%RESOURCES%\\..\\MCP Guard.exe"');
  });
});
