import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where MCP Guard keeps its data. `MCP_GUARD_HOME` overrides the per-OS default:
 * Linux `$XDG_DATA_HOME/mcp-guard` (else `~/.local/share/mcp-guard`), macOS
 * `~/Library/Application Support/MCP Guard`, Windows `%APPDATA%\MCP Guard`.
 */
export function guardHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = env['MCP_GUARD_HOME'];
  if (override) return override;
  const home = env['HOME'] ?? homedir();
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'MCP Guard');
    case 'win32':
      return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'MCP Guard');
    default:
      return join(env['XDG_DATA_HOME'] || join(home, '.local', 'share'), 'mcp-guard');
  }
}

/** The files and folders below the guard's home; one place names them all. */
export function guardPaths(home: string) {
  return {
    home,
    userPolicy: join(home, 'policy.json'),
    pins: join(home, 'pins.json'),
    grants: join(home, 'grants.json'),
    auditDir: join(home, 'audit'),
    spoolDir: join(home, 'spool'),
    runDir: join(home, 'run'),
    socket: join(home, 'run', 'guard.sock'),
    token: join(home, 'run', 'token'),
  } as const;
}
export type GuardPaths = ReturnType<typeof guardPaths>;
