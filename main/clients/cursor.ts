/**
 * Cursor: `~/.cursor/mcp.json` (every project) and `<project>/.cursor/mcp.json` (that project), both
 * `mcpServers`. Cursor's MCP docs: a local server is `command`, `args`, `env` and `envFile`; a remote
 * one is `url` and `headers` (Cursor tells streamable HTTP from SSE itself, so `type` is optional);
 * `${env:NAME}`, `${userHome}`, `${workspaceFolder}`, `${workspaceFolderBasename}` and
 * `${pathSeparator}` (or `${/}`) are filled in by Cursor. `envFile` stays in a wrapped entry: Cursor
 * still loads it and passes those variables on to the guard, which hands them to the server.
 */
import type { ClientAdapter, ClientEnvironment, ConfigDocument, ConfigLocation, UnguardedServer } from './client-adapter.js';
import { pathOf, userAndProjectFiles } from './config-locations.js';
import { launchOf, type LaunchKeys } from './entry-launch.js';
import { JsonConfigDocument, type JsonClientRules } from './json-config.js';

const KEYS: LaunchKeys = { urlKeys: ['url'], cwd: false, types: { stdio: 'stdio', http: 'http', sse: 'sse' } };

const RULES: JsonClientRules = {
  jsonc: false,
  launchOf: (value) => {
    if (value['auth'] !== undefined) {
      return { problem: 'it signs in through "auth" (OAuth), which Cursor runs itself; left as it is (the guard does not wrap it yet)' };
    }
    return launchOf(value, KEYS);
  },
  launchKeys: ['type', 'command', 'args', 'env', 'url', 'headers'],
  envKeys: ['env'],
  headerKeys: ['headers'],
};

export class CursorAdapter implements ClientAdapter {
  readonly client = 'cursor' as const;
  readonly expandsVariables = /\$\{(env:[A-Za-z_][A-Za-z0-9_]*|userHome|workspaceFolder|workspaceFolderBasename|pathSeparator|\/)\}/;

  discover(machine: ClientEnvironment): ConfigLocation[] {
    return userAndProjectFiles(this.client, machine, pathOf(machine).join(machine.home, '.cursor', 'mcp.json'), ['.cursor', 'mcp.json']);
  }

  read(location: ConfigLocation, text: string): ConfigDocument {
    const container = { path: ['mcpServers'], scope: location.scope, ...(location.projectDir !== undefined ? { projectDir: location.projectDir } : {}) };
    return new JsonConfigDocument(location.path, text, [container], RULES);
  }

  /** Cursor's one-click installs write to mcp.json like everything else: nothing runs from elsewhere. */
  unguarded(): UnguardedServer[] {
    return [];
  }
}
