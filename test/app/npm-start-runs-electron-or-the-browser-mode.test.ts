// `npm start` (build/start.js): the desktop app where the Electron binary is installed, else the
// browser mode, said in one line. Both paths run for real: the Electron path with a stand-in binary
// given through ELECTRON_OVERRIDE_DIST_PATH (the variable electron's own package honours), the
// browser path with the real `mcp-guard serve --ui --open` and a browser command that records the URL.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guardPaths } from '../../main/store/guard-paths.js';
import { repoRoot } from '../helpers/paths.js';
import { guardHomeWith, tempDir, waitUntil } from '../helpers/proxy.js';
import { electronBinary, electronBinaryName } from './electron-binary.js';

const startScript = join(repoRoot, 'build', 'start.js');
const FALLBACK_LINE =
  'mcp-guard: the Electron binary is not installed here, so starting the browser mode instead (same UI, same service): mcp-guard serve --ui';

function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = guardHomeWith();
  // HOME of its own: serve watches the MCP clients' config files under it.
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: tempDir('mcp-guard-user-'), MCP_GUARD_HOME: home, MCP_GUARD_MANAGED_POLICY: join(home, 'none.json') };
  delete env['ELECTRON_OVERRIDE_DIST_PATH'];
  return { ...env, ...extra };
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
});

describe.skipIf(process.platform === 'win32')('npm start (build/start.js)', () => {
  it('runs the Electron binary on the checkout, with this terminal, and exits with its code', () => {
    const dist = tempDir('mcp-guard-electron-dist-');
    const binary = join(dist, electronBinaryName());
    mkdirSync(join(binary, '..'), { recursive: true });
    writeFileSync(binary, '#!/bin/sh\necho "electron $*"\nexit 7\n', { mode: 0o755 });
    const result = spawnSync(process.execPath, [startScript], { env: isolatedEnv({ ELECTRON_OVERRIDE_DIST_PATH: dist }), encoding: 'utf8' });
    expect(result.stdout).toBe(`electron ${repoRoot.replace(/\/$/, '')}\n`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(7);
  });

  it.skipIf(electronBinary() !== undefined)(
    'without the Electron binary says so in one line and serves the UI to the browser, then stops cleanly on one Ctrl-C',
    async () => {
      const opened = join(tempDir('mcp-guard-browser-'), 'url');
      const recorder = join(opened, '..', 'record.cjs');
      writeFileSync(recorder, `require('node:fs').writeFileSync(${JSON.stringify(opened)}, process.argv[2]);\n`);
      const env = isolatedEnv({ MCP_GUARD_BROWSER: `"${process.execPath}" "${recorder}"` });
      // A process group of its own, like a terminal's foreground job, so the Ctrl-C below reaches the whole group.
      const child = spawn(process.execPath, [startScript], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      children.push(child);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

      expect(await waitUntil(() => /MCP Guard UI: http:\/\/127\.0\.0\.1:\d+\//.test(stdout) && existsSync(opened), 20_000)).toBe(true);
      expect(stderr.split('\n').filter((l) => l.startsWith('mcp-guard:'))).toEqual([FALLBACK_LINE]);
      expect(readFileSync(opened, 'utf8')).toBe(/MCP Guard UI: (\S+)/.exec(stdout)![1]); // --open: the browser got the URL
      const socket = guardPaths(env['MCP_GUARD_HOME']!).socket;
      expect(existsSync(socket)).toBe(true);

      // Ctrl-C in a terminal signals the foreground group. The service is in a group of its own and
      // gets it from start.js, once (a second SIGINT, if not merged with the first, would end it uncleanly).
      process.kill(-child.pid!, 'SIGINT');
      expect(await exited).toBe(0);
      expect(existsSync(socket)).toBe(false);
    },
  );
});
