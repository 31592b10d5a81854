import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliPath } from '../helpers/paths.js';
import { guardEnv, rawServer, tempDir } from '../helpers/proxy.js';
import { RawPeer } from '../helpers/raw-peer.js';

// An MCP client waits for `mcp-guard run` on every connect. What run loads before the server is
// spawned is the CommonJS bundle npm installs as `mcp-guard` (main/cli/bin.ts); it must stay small.
describe('what `mcp-guard run` loads before it starts the server', () => {
  const bundle = readFileSync(cliPath, 'utf8');

  const modulesOf = (text: string) => [...new Set([...text.matchAll(/^\/\/ (\S+\.[cm]?[jt]s)$/gm)].map((m) => m[1]!))].sort();

  it('is exactly the launch path: a module more is a decision, not an accident', () => {
    expect(modulesOf(bundle)).toEqual([
      'main/cli/bin.ts',
      'main/cli/run-args.ts',
      'main/cli/run-command.ts',
      // The server's process group must not outlive the proxy from its first moment on.
      'main/proxy/transport/group-watchdog.ts',
      'main/proxy/transport/server-output.ts',
      'main/proxy/transport/stdio-upstream.ts',
      // Whether a wrapped entry started it (MCP_GUARD_SERVER_ID).
      'shared/server-id.ts',
    ]);
  });

  it("keeps a wrapped entry's launch (record, validator, secrets) in a bundle of its own, which `run --` never reads", () => {
    expect(modulesOf(readFileSync(join(dirname(cliPath), 'run-registered.cjs'), 'utf8'))).toEqual([
      'main/cli/run-args.ts',
      'main/cli/run-registered.ts',
      // The secrets, from the keychain (its native module is required from node_modules) or credential helpers.
      'main/common/credential-patterns.ts',
      // The registry record, read and checked before the server starts.
      'main/policy/generated/server-record-validator.ts',
      'main/policy/schema-problems.ts',
      'main/proxy/registered-launch.ts',
      'main/secrets/credential-helper.ts',
      'main/secrets/keychain.ts',
      'main/secrets/launch-secrets.ts',
      'main/store/atomic-file.ts',
      'main/store/guard-paths.ts',
      'main/store/read-bounded.ts',
      'main/store/server-registry.ts',
      'shared/server-id.ts',
    ]);
  });

  it('requires only Node built-ins, and the bundle of the wrapped launch', () => {
    const required = [...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!);
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((name) => !name.startsWith('node:'))).toEqual(['./run-registered.cjs']);
  });

  it('leaves the rest of run, and every other command, to ES modules loaded when needed', () => {
    const imported = [...bundle.matchAll(/\bimport\("([^"]+)"\)/g)].map((m) => m[1]!);
    // run-registered.js only where the bundle is not (the ES modules of dist/); run-refusal.js for the audit event of a refused launch.
    expect(imported.sort()).toEqual(['./main.js', './run-proxy.js', './run-refusal.js', './run-registered.js']);
  });

  // /proc lists a process's children on Linux.
  it.runIf(process.platform === 'linux')('spawns the server before it loads the rest of the proxy', async () => {
    const note = join(tempDir(), 'note');
    // At the moment run-proxy.js loads, the proxy's process notes its children's names.
    const hook = loadHook([
      "  if (url.endsWith('/main/cli/run-proxy.js')) {",
      "    const pids = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(' ');",
      "    const children = pids.map((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim()).sort().join(' ');",
      `    appendFileSync(${JSON.stringify(note)}, \`run-proxy loads; children: [\${children}]\\n\`);`,
      '  }',
    ]);
    const peer = new RawPeer(process.execPath, ['--import', hook, cliPath, 'run', '--name', 'first', '--', ...rawServer()], guardEnv());
    try {
      const answer = await peer.initialize();
      expect(answer.result.serverInfo.name).toBe('raw-server');
      // The server (node) and the watchdog of its process group (sh, ./group-watchdog.ts).
      expect(readFileSync(note, 'utf8')).toBe('run-proxy loads; children: [node sh]\n');
    } finally {
      peer.closeStdin();
      await peer.exited;
    }
  });

  it('fails, and says why, when the rest of the CLI cannot load, whatever --unhandled-rejections says', async () => {
    const hook = loadHook(["  if (url.endsWith('/main/cli/main.js')) throw new Error('main.js is unreadable here');"]);
    const peer = new RawPeer(process.execPath, ['--unhandled-rejections=warn', '--import', hook, cliPath, '--version']);
    expect((await peer.exited).code).toBe(1);
    expect(peer.stderr).toContain('main.js is unreadable here');
  });
});

/** A module hook for the process started with `--import <returned path>`: `body` runs first in each `load(url, context, next)`. */
function loadHook(body: string[]): string {
  const dir = tempDir();
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    [
      "import { appendFileSync, readFileSync } from 'node:fs';",
      'export async function load(url, context, next) {',
      ...body,
      '  return next(url, context);',
      '}',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  return join(dir, 'register.mjs');
}
