/**
 * Windsurf: `~/.codeium/windsurf/mcp_config.json` (`%USERPROFILE%` on Windows), servers under
 * `mcpServers`, one file for every project. Windsurf's Cascade MCP docs: a local server is `command`,
 * `args`, `env`; a remote one needs `serverUrl` or `url` (and may have `headers`); Windsurf
 * interpolates environment variables (`${env:NAME}`) in command, args, env, serverUrl, url and
 * headers. Everything else in an entry (`disabled`, `disabledTools`, …) is Windsurf's own and stays
 * in a wrapped entry.
 */
import { posix, win32 } from 'node:path';
import type { ClientAdapter, ClientEnvironment, ConfigDocument, ConfigLocation, UnguardedServer } from './client-adapter.js';
import { launchOf, type LaunchKeys } from './entry-launch.js';
import { JsonConfigDocument, type JsonClientRules } from './json-config.js';

const KEYS: LaunchKeys = { urlKeys: ['serverUrl', 'url'], cwd: false, types: { stdio: 'stdio', http: 'http', sse: 'sse' } };

const RULES: JsonClientRules = {
  jsonc: false,
  launchOf: (value) => launchOf(value, KEYS),
  launchKeys: ['type', 'command', 'args', 'env', 'serverUrl', 'url', 'headers'],
  envKeys: ['env'],
  headerKeys: ['headers'],
};

export class WindsurfAdapter implements ClientAdapter {
  readonly client = 'windsurf' as const;
  /** `${env:NAME}`, and `${file:/path}` (a file's content), which Windsurf reads in the same fields. */
  readonly expandsVariables = /\$\{(env|file):[^}]+\}/;

  discover(machine: ClientEnvironment): ConfigLocation[] {
    const path = machine.platform === 'win32' ? win32 : posix;
    return [{ client: this.client, scope: 'user', path: path.join(machine.home, '.codeium', 'windsurf', 'mcp_config.json') }];
  }

  read(location: ConfigLocation, text: string): ConfigDocument {
    return new JsonConfigDocument(location.path, text, [{ path: ['mcpServers'], scope: location.scope }], RULES);
  }

  /** Windsurf's marketplace installs write to mcp_config.json like everything else. */
  unguarded(): UnguardedServer[] {
    return [];
  }
}
