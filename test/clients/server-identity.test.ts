import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { identityChanges, identityOf, identityRiskHints, MAX_HASHED_BYTES, type IdentityWhere } from '../../main/clients/server-identity.js';
import { identityHash } from '../../main/store/server-approvals.js';
import { nodeIdentityFs } from '../../main/clients/identity-fs.js';
import type { RegisteredLaunch, ServerIdentity } from '../../shared/server-registry.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-guard-'));
  dirs.push(dir);
  return dir;
}

function write(path: string, text: string, mode?: number): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  if (mode !== undefined) chmodSync(path, mode);
  return path;
}

const sha256Of = (text: string) => createHash('sha256').update(text).digest('hex');
const stdio = (command: string, args: string[] = [], cwd?: string): RegisteredLaunch => ({
  transport: 'stdio',
  command,
  args,
  ...(cwd !== undefined ? { cwd } : {}),
});
/** A machine whose PATH has only `bin` (none: nothing is found), its home `home`. */
const machine = (home: string, extra: Partial<IdentityWhere> = {}, bin?: string): [IdentityWhere, ReturnType<typeof nodeIdentityFs>] => {
  const env = { PATH: bin ?? join(home, 'no-bin'), ...extra.env };
  return [{ home, env, ...extra }, nodeIdentityFs(env)];
};

describe('a local file the server runs is hashed', () => {
  it('hashes a script given by absolute path, and the hash follows its content', () => {
    const dir = tempDir();
    const script = write(join(dir, 'server.sh'), '#!/bin/sh\necho one\n', 0o755);
    const [where, fs] = machine(dir);
    const first = identityOf(stdio(script), where, fs);
    expect(first).toEqual({ transport: 'stdio', command: script, args: [], pinned: true, file: script, fileSha256: sha256Of('#!/bin/sh\necho one\n') });

    write(script, '#!/bin/sh\necho two\n');
    const second = identityOf(stdio(script), where, fs);
    expect(second.fileSha256).toBe(sha256Of('#!/bin/sh\necho two\n'));
    expect(identityHash(second)).not.toBe(identityHash(first));
    expect(identityChanges(first, second)).toEqual([`file SHA-256 ${first.fileSha256!.slice(0, 12)}… → ${second.fileSha256!.slice(0, 12)}…`]);
  });

  it('hashes the script node runs, not a file given to one of its flags', () => {
    const dir = tempDir();
    write(join(dir, 'preload.js'), 'globalThis.x = 1;\n');
    write(join(dir, 'server.js'), 'console.log("server");\n');
    const [where, fs] = machine(dir, { cwd: dir });
    expect(identityOf(stdio('node', ['--require', './preload.js', '--no-warnings', 'server.js']), where, fs).fileSha256).toBe(
      sha256Of('console.log("server");\n'),
    );
    expect(identityOf(stdio('python3', ['-u', join(dir, 'server.js')]), where, fs).fileSha256).toBe(sha256Of('console.log("server");\n'));
    expect(identityOf(stdio('uv', ['run', '--with', 'mcp', 'python', 'server.js']), where, fs).fileSha256).toBe(sha256Of('console.log("server");\n'));
  });

  it('does not hash inline code, a module, or a script that is not there, and says so', () => {
    const dir = tempDir();
    write(join(dir, 'server.js'), 'x');
    const [where, fs] = machine(dir, { cwd: dir });
    for (const launch of [stdio('node', ['-e', 'require("./server.js")']), stdio('python', ['-m', 'server.js']), stdio('node', ['missing.js'])]) {
      const identity = identityOf(launch, where, fs);
      expect(identity).toMatchObject({ pinned: false });
      expect(identity.fileSha256).toBeUndefined();
      expect(identityRiskHints(identity)).toEqual([expect.stringMatching(/^runs a local file that is not hashed/)]);
    }
  });

  it('resolves a relative command against the launch cwd, itself relative to the project', () => {
    const project = tempDir();
    write(join(project, 'tools', 'bin', 'server'), 'binary v1', 0o755);
    const [where, fs] = machine(tempDir(), { projectDir: project });
    expect(identityOf(stdio('./bin/server', [], 'tools'), where, fs).fileSha256).toBe(sha256Of('binary v1'));
    expect(identityOf(stdio('tools/bin/server'), where, fs).fileSha256).toBe(sha256Of('binary v1'));
    const [nowhere, fs2] = machine(tempDir());
    expect(identityOf(stdio('tools/bin/server'), nowhere, fs2).fileSha256).toBeUndefined();
  });

  it('looks a plain name up on PATH only to see it is an interpreter, and hashes its script, not the interpreter', () => {
    const dir = tempDir();
    const realNode = write(join(dir, 'opt', 'node'), 'pretend node binary', 0o755);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(realNode, join(bin, 'node-lts'));
    write(join(bin, 'my-server'), 'pretend server binary', 0o755);
    write(join(dir, 'server.mjs'), 'export {};\n');
    const [where, fs] = machine(dir, { cwd: dir }, bin);

    const viaAlias = identityOf(stdio('node-lts', ['server.mjs']), where, fs);
    expect(viaAlias.fileSha256).toBe(sha256Of('export {};\n'));

    const onPath = identityOf(stdio('my-server', ['--stdio']), where, fs);
    expect(onPath).toEqual({ transport: 'stdio', command: 'my-server', args: ['--stdio'], pinned: false });
    expect(identityRiskHints(onPath)).toEqual([expect.stringContaining('runs "my-server" found on PATH, which is not hashed')]);
  });

  it('hashes no more than the cap and never a FIFO', () => {
    const dir = tempDir();
    const fs = nodeIdentityFs({});
    const file = write(join(dir, 'ten'), '0123456789');
    expect(fs.sha256File(file, 10)).toBe(sha256Of('0123456789'));
    expect(fs.sha256File(file, 9)).toBeUndefined();
    expect(MAX_HASHED_BYTES).toBe(256 * 1024 * 1024);
    if (process.platform !== 'win32') {
      const fifo = join(dir, 'fifo');
      execFileSync('mkfifo', [fifo]);
      expect(fs.sha256File(fifo, MAX_HASHED_BYTES)).toBeUndefined();
      const [where] = machine(dir);
      expect(identityOf(stdio(fifo), where, fs).fileSha256).toBeUndefined();
    }
  });
});

describe('the package a launch runs', () => {
  const [where, fs] = machine(join(tmpdir(), 'mcp-guard-no-such-home'));
  it.each([
    ['npx', ['-y', '@modelcontextprotocol/server-memory@2026.8.31'], 'npm:@modelcontextprotocol/server-memory@2026.8.31', true],
    ['npx', ['-y', '@modelcontextprotocol/server-memory'], 'npm:@modelcontextprotocol/server-memory', false],
    ['npx', ['-y', 'mcp-remote@^0.1'], 'npm:mcp-remote@^0.1', false],
    ['uvx', ['mcp-server-fetch==2025.4.7'], 'pypi:mcp-server-fetch==2025.4.7', true],
    ['uvx', ['mcp-server-fetch'], 'pypi:mcp-server-fetch', false],
    [
      'docker',
      ['run', '-i', '--rm', `ghcr.io/github/github-mcp-server@sha256:${'a'.repeat(64)}`],
      `oci:ghcr.io/github/github-mcp-server@sha256:${'a'.repeat(64)}`,
      true,
    ],
    ['docker', ['run', '-i', '--rm', '-e', 'TOKEN', 'ghcr.io/github/github-mcp-server:v1'], 'oci:ghcr.io/github/github-mcp-server:v1', false],
  ] as const)('%s %j runs %s (pinned: %s)', (command, args, pkg, pinned) => {
    const identity = identityOf(stdio(command, [...args]), where, fs);
    expect(identity).toEqual({ transport: 'stdio', command, args, package: pkg, pinned });
    expect(identityRiskHints(identity).some((h) => h.startsWith('unpinned'))).toBe(!pinned);
  });

  it('says why an unpinned npx, uvx or docker launch is a risk', () => {
    const hint = (command: string, args: string[]) => identityRiskHints(identityOf(stdio(command, args), where, fs));
    expect(hint('npx', ['-y', '@x/y'])).toEqual(['unpinned package npm:@x/y (npx -y without a version runs whatever is newest)']);
    expect(hint('uvx', ['x'])).toEqual(['unpinned package pypi:x (uvx without ==version runs whatever is newest)']);
    expect(hint('docker', ['run', '-i', 'img:1'])).toEqual(['unpinned image oci:img:1 (a tag, not a digest: the registry can move it)']);
  });

  it('identifies a remote server by its URL and flags plain http off this machine', () => {
    const remote = (url: string) => identityOf({ transport: 'http', url, headers: { Authorization: 'Bearer x' } }, where, fs);
    expect(remote('https://mcp.example.com/mcp')).toEqual({ transport: 'http', url: 'https://mcp.example.com/mcp', pinned: false });
    expect(identityRiskHints(remote('https://mcp.example.com/mcp'))).toEqual([]);
    expect(identityRiskHints(remote('http://mcp.example.com/mcp'))).toEqual([
      expect.stringMatching(/^remote server over plain http \(http:\/\/mcp\.example\.com\/mcp\)/),
    ]);
    expect(identityRiskHints(remote('http://127.0.0.1:3000/mcp'))).toEqual([]);
  });
});

/**
 * The npx cache as npm 11.19.1 left it on this machine after
 * `HOME=$(mktemp -d) npx -y @modelcontextprotocol/server-memory@2026.8.31` and the same without a
 * version: one directory per requested spec, named by the first 16 hex digits of its SHA-512
 * (c98ccc168155bafa and 15b07286cbcc3329, as observed), holding package.json (`dependencies` and
 * `_npx.packages`), package-lock.json (v3), node_modules/.package-lock.json and the package. The
 * machine's own cache is not used: what it holds depends on what ran and on the registry.
 */
const MEMORY = '@modelcontextprotocol/server-memory';
const OBSERVED_INTEGRITY = 'sha512-ljj/3S4aGjxdNSQWw6gucKKGnTLdBPWxzapyY/MT2tOVyZwvxChvevXSLPwx59nKJAlVpUVW+cOlnVRXRwiqMQ==';

function installPackage(dir: string, name: string, version: string, integrity: string, lockName: string, deps: Record<string, string>) {
  const entry = {
    version,
    resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`,
    integrity,
    license: 'SEE LICENSE IN LICENSE',
    dependencies: { '@modelcontextprotocol/sdk': '^1.30.0' },
    bin: { 'mcp-server-memory': 'dist/index.js' },
  };
  const lock = (root: boolean) =>
    JSON.stringify(
      { name: lockName, lockfileVersion: 3, requires: true, packages: { ...(root ? { '': { dependencies: deps } } : {}), [`node_modules/${name}`]: entry } },
      null,
      2,
    );
  write(join(dir, 'package-lock.json'), lock(true));
  write(join(dir, 'node_modules', '.package-lock.json'), lock(false));
  write(join(dir, 'node_modules', ...name.split('/'), 'package.json'), JSON.stringify({ name, version, bin: entry.bin, type: 'module' }, null, 2));
  write(join(dir, 'node_modules', ...name.split('/'), 'dist', 'index.js'), '#!/usr/bin/env node\n');
}

function npxCacheEntry(home: string, key: string, spec: string, version: string, integrity = OBSERVED_INTEGRITY) {
  const dir = join(home, '.npm', '_npx', key);
  write(join(dir, 'package.json'), JSON.stringify({ dependencies: { [MEMORY]: `^${version}` }, _npx: { packages: [spec] } }, null, 2));
  installPackage(dir, MEMORY, version, integrity, key, { [MEMORY]: `^${version}` });
}

describe('the version an npm launch resolved to, from local data only', () => {
  it('reads a pinned npx launch from the npx cache directory npx keys by its spec', () => {
    const home = tempDir();
    npxCacheEntry(home, 'c98ccc168155bafa', `${MEMORY}@2026.8.31`, '2026.8.31');
    const [where, fs] = machine(home);
    expect(identityOf(stdio('npx', ['-y', `${MEMORY}@2026.8.31`]), where, fs)).toEqual({
      transport: 'stdio',
      command: 'npx',
      args: ['-y', `${MEMORY}@2026.8.31`],
      package: `npm:${MEMORY}@2026.8.31`,
      pinned: true,
      resolved: { version: '2026.8.31', integrity: OBSERVED_INTEGRITY },
    });
    // The unpinned spec has a directory of its own: the pinned one says nothing about it.
    expect(identityOf(stdio('npx', ['-y', MEMORY]), where, fs).resolved).toBeUndefined();
  });

  it('finds an entry written before npm 9 (only `dependencies`, no `_npx`) by the key npx computes from the spec', () => {
    const home = tempDir();
    npxCacheEntry(home, '15b07286cbcc3329', MEMORY, '2026.8.31');
    write(join(home, '.npm', '_npx', '15b07286cbcc3329', 'package.json'), JSON.stringify({ dependencies: { [MEMORY]: '^2026.8.31' } }));
    const [where, fs] = machine(home);
    expect(identityOf(stdio('npx', ['-y', MEMORY]), where, fs).resolved?.version).toBe('2026.8.31');
    expect(identityOf(stdio('npx', ['-y', `${MEMORY}@latest`]), where, fs).resolved).toBeUndefined();
  });

  it('treats a new version in the cache of an unpinned npx launch as a changed identity', () => {
    const home = tempDir();
    npxCacheEntry(home, '15b07286cbcc3329', MEMORY, '2026.8.31');
    const [where, fs] = machine(home);
    const launch = stdio('npx', ['-y', MEMORY]);
    const before = identityOf(launch, where, fs);
    expect(before.resolved).toEqual({ version: '2026.8.31', integrity: OBSERVED_INTEGRITY });
    expect(identityRiskHints(before)).toEqual([
      `unpinned package npm:${MEMORY} (npx -y without a version runs whatever is newest; the local copy is 2026.8.31, which the next launch may replace)`,
    ]);

    npxCacheEntry(home, '15b07286cbcc3329', MEMORY, '2026.9.1', `sha512-${'B'.repeat(86)}==`);
    const after = identityOf(launch, where, fs);
    expect(after.resolved?.version).toBe('2026.9.1');
    expect(identityHash(after)).not.toBe(identityHash(before));
    expect(identityChanges(before, after)).toEqual(['version 2026.8.31 → 2026.9.1']);
  });

  it('follows npm_config_cache to a cache outside the home', () => {
    const home = tempDir();
    const cache = tempDir();
    npxCacheEntry(cache, 'c98ccc168155bafa', `${MEMORY}@2026.8.31`, '2026.8.31');
    const moved = join(cache, '.npm');
    const [where, fs] = machine(home, { env: { npm_config_cache: moved } });
    expect(identityOf(stdio('npx', ['-y', `${MEMORY}@2026.8.31`]), where, fs).resolved?.version).toBe('2026.8.31');
  });

  it('prefers the copy installed in the project the launch runs from, as npx does, when it satisfies the spec', () => {
    const home = tempDir();
    const project = tempDir();
    npxCacheEntry(home, '15b07286cbcc3329', MEMORY, '2026.8.31');
    write(join(project, 'package.json'), JSON.stringify({ name: 'app', dependencies: { [MEMORY]: '^2026.7.0' } }));
    installPackage(project, MEMORY, '2026.7.1', 'sha512-projectcopy==', 'app', { [MEMORY]: '^2026.7.0' });
    mkdirSync(join(project, 'src'));
    const [where, fs] = machine(home, { cwd: join(project, 'src') });

    expect(identityOf(stdio('npx', ['-y', MEMORY]), where, fs).resolved).toEqual({ version: '2026.7.1', integrity: 'sha512-projectcopy==' });
    expect(identityOf(stdio('npx', ['-y', `${MEMORY}@^2026.7.0`]), where, fs).resolved?.version).toBe('2026.7.1');
    // A version the project does not have: npx fetches it into its cache, where there is none yet.
    expect(identityOf(stdio('npx', ['-y', `${MEMORY}@2026.8.31`]), where, fs).resolved).toBeUndefined();
  });

  it('takes the version the project has installed, and its integrity only from a lock entry of that version', () => {
    const home = tempDir();
    const project = tempDir();
    installPackage(project, MEMORY, '2026.7.1', 'sha512-projectcopy==', 'app', {});
    write(join(project, 'node_modules', ...MEMORY.split('/'), 'package.json'), JSON.stringify({ name: MEMORY, version: '2026.7.2' }));
    const [where, fs] = machine(home, { projectDir: project });
    expect(identityOf(stdio('npx', [MEMORY]), where, fs).resolved).toEqual({ version: '2026.7.2' });
  });
});

describe('the identity hash keys approvals', () => {
  const base: ServerIdentity = {
    transport: 'stdio',
    command: 'npx',
    args: ['-y', 'pkg@1.2.0'],
    package: 'npm:pkg@1.2.0',
    pinned: true,
    resolved: { version: '1.2.0' },
  };

  it('does not depend on key order', () => {
    const reordered = JSON.parse(
      '{"resolved":{"version":"1.2.0"},"pinned":true,"package":"npm:pkg@1.2.0","args":["-y","pkg@1.2.0"],"command":"npx","transport":"stdio"}',
    ) as ServerIdentity;
    expect(identityHash(reordered)).toBe(identityHash(base));
    expect(identityHash(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with the version, the file hash and the URL, and names each change', () => {
    const newer: ServerIdentity = { ...base, args: ['-y', 'pkg@1.3.0'], package: 'npm:pkg@1.3.0', resolved: { version: '1.3.0' } };
    expect(identityHash(newer)).not.toBe(identityHash(base));
    expect(identityChanges(base, newer)).toEqual(['arguments -y pkg@1.2.0 → -y pkg@1.3.0', 'version 1.2.0 → 1.3.0']);

    const file: ServerIdentity = { transport: 'stdio', command: '/usr/bin/x', args: [], pinned: true, fileSha256: 'ab12'.repeat(16) };
    const moved: ServerIdentity = { ...file, command: '/opt/x', fileSha256: 'cd34'.repeat(16) };
    expect(identityHash(moved)).not.toBe(identityHash(file));
    expect(identityChanges(file, moved)).toEqual(['command /usr/bin/x → /opt/x', 'file SHA-256 ab12ab12ab12… → cd34cd34cd34…']);

    const a: ServerIdentity = { transport: 'http', url: 'https://a', pinned: false };
    const b: ServerIdentity = { ...a, url: 'https://b' };
    expect(identityHash(b)).not.toBe(identityHash(a));
    expect(identityChanges(a, b)).toEqual(['URL https://a → https://b']);
    expect(identityChanges(a, { ...a })).toEqual([]);
  });

  it('ignores what the cache says of a pinned package, which its spec already names', () => {
    const cached: ServerIdentity = { ...base, resolved: { version: '1.2.0', integrity: 'sha512-abc==' } };
    const uncached: ServerIdentity = { ...base };
    delete uncached.resolved;
    expect(identityHash(cached)).toBe(identityHash(base));
    expect(identityHash(uncached)).toBe(identityHash(base));
    expect(identityChanges(uncached, cached)).toEqual([]);
  });

  it('counts the first version the cache shows for an unpinned package as a change', () => {
    const unknown: ServerIdentity = { transport: 'stdio', command: 'npx', args: ['-y', 'pkg'], package: 'npm:pkg', pinned: false };
    const known: ServerIdentity = { ...unknown, resolved: { version: '1.2.0', integrity: 'sha512-abc==' } };
    expect(identityHash(known)).not.toBe(identityHash(unknown));
    expect(identityChanges(unknown, known)).toEqual(['version (not found locally) → 1.2.0']);
    expect(identityChanges(known, { ...known, resolved: { version: '1.2.0', integrity: 'sha512-def==' } })).toEqual(['integrity sha512-abc== → sha512-def==']);
  });
});
