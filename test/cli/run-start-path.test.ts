import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliPath } from '../helpers/paths.js';

// An MCP client waits for `mcp-guard run` on every connect. What run loads before the server is
// spawned is the CommonJS bundle npm installs as `mcp-guard` (main/cli/bin.ts); it must stay small.
describe('what `mcp-guard run` loads before it starts the server', () => {
  const bundle = readFileSync(cliPath, 'utf8');

  it('is our own run path: no npm package (the MCP SDK included), no policy or service code', () => {
    const modules = [...bundle.matchAll(/^\/\/ (\S+\.[cm]?[jt]s)$/gm)].map((m) => m[1]!);
    expect(modules).toContain('main/cli/run-command.ts');
    expect(modules).toContain('main/proxy/stdio-upstream.ts');
    expect(modules.filter((m) => !/^main\/(cli|proxy)\/[\w-]+\.ts$/.test(m))).toEqual([]);
  });

  it('requires only Node built-ins', () => {
    const required = [...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!);
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((name) => !name.startsWith('node:'))).toEqual([]);
  });

  it('leaves the rest of run, and every other command, to ES modules loaded when needed', () => {
    const imported = [...bundle.matchAll(/\bimport\("([^"]+)"\)/g)].map((m) => m[1]!);
    expect(imported.sort()).toEqual(['./main.js', './run-proxy.js']);
  });
});
