/**
 * VS Code: `mcp.json` in the user profile (`Code/User/` in the platform's app-data folder) and
 * `<project>/.vscode/mcp.json`. VS Code's MCP configuration reference: servers sit under `servers`
 * (not `mcpServers`), beside an `inputs` array the guard never touches; `type` is `stdio` (with
 * `command`, `args`, `env`, `envFile`, `cwd`), `http` or `sse` (with `url`, `headers`); predefined
 * variables such as `${workspaceFolder}`, and `${env:NAME}` and `${input:id}`, are resolved by VS
 * Code. The files are JSONC: comments and trailing commas are read and kept. A wrapped entry says
 * `"type": "stdio"`, and keeps `envFile` (VS Code still loads it and passes it on to the guard).
 * Only the default profile's file is read: another profile's sits under an id the guard cannot list,
 * and VS Code Insiders' would give its servers the same ids as VS Code's.
 */
import { posix, win32 } from 'node:path';
import type { ClientAdapter, ClientEnvironment, ConfigDocument, ConfigLocation, UnguardedServer } from './client-adapter.js';
import { launchOf, type LaunchKeys } from './entry-launch.js';
import { JsonConfigDocument, type JsonClientRules } from './json-config.js';

const KEYS: LaunchKeys = { urlKeys: ['url'], cwd: true, types: { stdio: 'stdio', http: 'http', sse: 'sse' } };

const RULES: JsonClientRules = {
  jsonc: true,
  launchOf: (value) => launchOf(value, KEYS),
  launchKeys: ['type', 'command', 'args', 'env', 'cwd', 'url', 'headers'],
  envKeys: ['env'],
  headerKeys: ['headers'],
  stdioType: 'stdio',
};

export class VscodeAdapter implements ClientAdapter {
  readonly client = 'vscode' as const;
  /**
   * Any `${…}`: VS Code resolves an open set (`${env:…}`, `${input:…}`, `${config:…}`, `${command:…}`,
   * the predefined names) and leaves one it does not know as written, so passing every such
   * reference through the client costs nothing and misses none.
   */
  readonly expandsVariables = /\$\{[^}]+\}/;

  discover(machine: ClientEnvironment): ConfigLocation[] {
    const path = machine.platform === 'win32' ? win32 : posix;
    const out: ConfigLocation[] = [{ client: this.client, scope: 'user', path: path.join(appData(machine), 'Code', 'User', 'mcp.json') }];
    for (const dir of new Set(machine.projects)) {
      out.push({ client: this.client, scope: 'project', path: path.join(dir, '.vscode', 'mcp.json'), projectDir: dir });
    }
    return out;
  }

  read(location: ConfigLocation, text: string): ConfigDocument {
    const container = { path: ['servers'], scope: location.scope, ...(location.projectDir !== undefined ? { projectDir: location.projectDir } : {}) };
    return new JsonConfigDocument(location.path, text, [container], RULES);
  }

  /** Servers that extensions register run inside VS Code, outside any file; they cannot be listed from here. */
  unguarded(): UnguardedServer[] {
    return [];
  }
}

/** Electron's app-data folder, where VS Code keeps its user profile. */
function appData(machine: ClientEnvironment): string {
  const path = machine.platform === 'win32' ? win32 : posix;
  switch (machine.platform) {
    case 'darwin':
      return path.join(machine.home, 'Library', 'Application Support');
    case 'win32':
      return machine.env['APPDATA'] || path.join(machine.home, 'AppData', 'Roaming');
    default:
      return machine.env['XDG_CONFIG_HOME'] || path.join(machine.home, '.config');
  }
}
