import { describe, expect, it } from 'vitest';
import { packageFromLaunch } from '../../main/policy/package-spec.js';

describe('the package behind Windows and bun launchers', () => {
  it('finds the package of a launcher started through cmd /c, as Windows configs must start npx', () => {
    expect(packageFromLaunch('cmd', ['/c', 'npx', '-y', '@modelcontextprotocol/server-memory@2026.8.31'])).toBe(
      'npm:@modelcontextprotocol/server-memory@2026.8.31',
    );
    expect(packageFromLaunch('C:\\Windows\\System32\\cmd.exe', ['/C', 'uvx', 'mcp-server-fetch'])).toBe('pypi:mcp-server-fetch');
    expect(packageFromLaunch('cmd', ['/c', 'node', 'server.js'])).toBeUndefined();
    expect(packageFromLaunch('cmd', ['/c'])).toBeUndefined();
  });

  it('finds the package of bun x and npm x, the spelled-out forms of bunx and npm exec', () => {
    expect(packageFromLaunch('bun', ['x', '@x/y@1.0.0'])).toBe('npm:@x/y@1.0.0');
    expect(packageFromLaunch('npm', ['x', '--yes', '--', 'pkg@2'])).toBe('npm:pkg@2');
    expect(packageFromLaunch('bun', ['run', 'server.ts'])).toBeUndefined();
  });
});
