/**
 * What the fleet inventory (./fleet-inventory.ts) says of the device itself: its host name, OS and
 * user; which client config files exist; and which clients an administrator manages here, told by
 * the clients' own managed or system files. The reads are here; the inventory is built from their
 * values.
 *
 * Managed files, by client (each client's documentation names them):
 * - Claude Code: `managed-mcp.json` and `managed-settings.json` in `/etc/claude-code/` (Linux),
 *   `/Library/Application Support/ClaudeCode/` (macOS), `C:\Program Files\ClaudeCode\` (Windows;
 *   `C:\ProgramData\ClaudeCode\` before 2.1.75); on macOS also the `com.anthropic.claudecode`
 *   managed preferences.
 * - Claude Desktop: the `com.anthropic.claudefordesktop` managed preferences (macOS).
 * - VS Code: `/etc/vscode/policy.json` (Linux), the `com.microsoft.VSCode` managed preferences (macOS).
 * - Codex: `/etc/codex/` `managed_config.toml`, `requirements.toml` and the system `config.toml`
 *   (`%ProgramData%\OpenAI\Codex\` on Windows); the `com.openai.codex` managed preferences (macOS).
 * - Gemini CLI: its system settings file (as main/clients/gemini-cli.ts finds it).
 * - Cursor, Windsurf, Zed: no file that governs their MCP servers (Cursor's policies cover
 *   extensions and sign-in), so never managed here.
 * Windows registry policies (Claude Desktop, VS Code, Claude Code's HKLM key) are not read: a client
 * managed only through them shows as not managed.
 */
import { existsSync } from 'node:fs';
import { arch, hostname, platform, release, userInfo } from 'node:os';
import type { ClientName } from '../../shared/server-registry.js';
import type { ClientAdapter, ClientEnvironment } from '../clients/client-adapter.js';
import { pathOf } from '../clients/config-locations.js';

export type HostFacts = {
  hostname: string;
  os: { platform: string; release: string; arch: string };
  primaryUser: string;
};

/** This host, as the OS reports it; a user without a passwd entry is named from the environment. */
export function collectDeviceFacts(env: NodeJS.ProcessEnv = process.env): HostFacts {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = env['USER'] || env['USERNAME'] || 'unknown';
  }
  return { hostname: hostname(), os: { platform: platform(), release: release(), arch: arch() }, primaryUser: user };
}

/** A client config file that exists. */
export type ExistingConfigFile = { client: ClientName; scope: 'user' | 'project'; path: string; projectDir?: string };

/** Every config file the adapters discover that exists (has text) on this machine, in adapter order. */
export function existingConfigFiles(adapters: readonly ClientAdapter[], machine: ClientEnvironment): ExistingConfigFile[] {
  const out: ExistingConfigFile[] = [];
  for (const adapter of adapters) {
    for (const location of adapter.discover(machine)) {
      if (machine.readText(location.path) === undefined) continue;
      const scope = location.scope === 'project' ? 'project' : 'user';
      out.push({ client: location.client, scope, path: location.path, ...(location.projectDir !== undefined ? { projectDir: location.projectDir } : {}) });
    }
  }
  return out;
}

/** The managed or system files of `client` that would mean an administrator manages it on this machine, existing or not. */
export function managedFileCandidates(client: ClientName, machine: ClientEnvironment): string[] {
  const path = pathOf(machine);
  const programData = machine.env['ProgramData'] || machine.env['PROGRAMDATA'] || 'C:\\ProgramData';
  const programFiles = machine.env['ProgramFiles'] || machine.env['PROGRAMFILES'] || 'C:\\Program Files';
  const preferences = (domain: string) => {
    const user = machine.env['USER'];
    const file = `${domain}.plist`;
    return [path.join('/Library', 'Managed Preferences', file), ...(user ? [path.join('/Library', 'Managed Preferences', user, file)] : [])];
  };
  const os = machine.platform === 'darwin' ? 'darwin' : machine.platform === 'win32' ? 'win32' : 'linux';
  switch (client) {
    case 'claude-code': {
      const files = ['managed-mcp.json', 'managed-settings.json'];
      if (os === 'darwin')
        return [...files.map((f) => path.join('/Library', 'Application Support', 'ClaudeCode', f)), ...preferences('com.anthropic.claudecode')];
      if (os === 'win32') return [programFiles, programData].flatMap((dir) => files.map((f) => path.join(dir, 'ClaudeCode', f)));
      return files.map((f) => path.join('/etc', 'claude-code', f));
    }
    case 'claude-desktop':
      return os === 'darwin' ? preferences('com.anthropic.claudefordesktop') : [];
    case 'vscode':
      return os === 'darwin' ? preferences('com.microsoft.VSCode') : os === 'linux' ? [path.join('/etc', 'vscode', 'policy.json')] : [];
    case 'codex': {
      if (os === 'win32') return ['config.toml', 'requirements.toml'].map((f) => path.join(programData, 'OpenAI', 'Codex', f));
      const files = ['managed_config.toml', 'requirements.toml', 'config.toml'].map((f) => path.join('/etc', 'codex', f));
      return os === 'darwin' ? [...files, ...preferences('com.openai.codex')] : files;
    }
    case 'gemini-cli':
      if (os === 'darwin') return [path.join('/Library', 'Application Support', 'GeminiCli', 'settings.json')];
      if (os === 'win32') return [path.join(machine.env['ProgramData'] || 'C:\\ProgramData', 'gemini-cli', 'settings.json')];
      return [path.join('/etc', 'gemini-cli', 'settings.json')];
    case 'cursor':
    case 'windsurf':
    case 'zed':
      return [];
  }
}

/** The managed files that exist, by client (clients with none are absent). */
export function existingManagedFiles(
  clients: readonly ClientName[],
  machine: ClientEnvironment,
  exists: (path: string) => boolean = existsSync,
): Map<ClientName, string[]> {
  const out = new Map<ClientName, string[]>();
  for (const client of clients) {
    const found = managedFileCandidates(client, machine).filter((file) => exists(file));
    if (found.length > 0) out.set(client, found);
  }
  return out;
}
