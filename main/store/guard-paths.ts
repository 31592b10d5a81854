import { createHash } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
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
    socket: socketPath(home),
    token: join(home, 'run', 'token'),
    deviceId: join(home, 'device-id'),
    servers: join(home, 'servers'),
    serverApprovals: join(home, 'server-approvals.json'),
    backups: join(home, 'backups'),
    /** The app's own settings (main/store/settings-store.ts): start at login, drift behaviour. */
    settings: join(home, 'settings.json'),
  } as const;
}

/** Unix socket paths are limited to ~104 bytes; a deep home gets a short private path instead. */
const MAX_SOCKET_PATH = 100;

function socketPath(home: string, platform: NodeJS.Platform = process.platform): string {
  const digest = createHash('sha256').update(home).digest('hex').slice(0, 16);
  if (platform === 'win32') return `\\\\.\\pipe\\mcp-guard-${digest}`;
  const inHome = join(home, 'run', 'guard.sock');
  return inHome.length <= MAX_SOCKET_PATH ? inHome : join(tmpdir(), `mcp-guard-${process.getuid?.() ?? 0}-${digest}`, 'guard.sock');
}
export type GuardPaths = ReturnType<typeof guardPaths>;
