/**
 * Gemini CLI: `~/.gemini/settings.json` (user) and `<project>/.gemini/settings.json` (project),
 * servers under `mcpServers`. Gemini CLI's MCP docs: a server is `command` (stdio, with `args`,
 * `env`, `cwd`), `httpUrl` (streamable HTTP) or `url` (SSE, or as `type` says: `sse` or `http`),
 * with `headers`; `timeout`, `trust`, `includeTools`, `excludeTools` are its own and stay in a wrapped
 * entry, which carries no `type` (Gemini CLI's has no stdio value). String values may reference the
 * environment as `$NAME` or `${NAME}`; the settings files take `//` comments. The system settings
 * file belongs to the administrator: its servers are listed as unguarded.
 */
import { parse } from 'jsonc-parser';
import type { ClientAdapter, ClientEnvironment, ConfigDocument, ConfigLocation, UnguardedServer } from './client-adapter.js';
import { pathOf, userAndProjectFiles } from './config-locations.js';
import { launchOf, type LaunchKeys } from './entry-launch.js';
import { JsonConfigDocument, type JsonClientRules } from './json-config.js';

const KEYS: LaunchKeys = { urlKeys: ['httpUrl', 'url'], cwd: true, types: { sse: 'sse', http: 'http' } };

const RULES: JsonClientRules = {
  jsonc: true,
  launchOf: (value) => {
    if (value['oauth'] !== undefined || value['authProviderType'] !== undefined) {
      return { problem: 'it signs in through "oauth" or "authProviderType", which Gemini CLI runs itself; left as it is (the guard does not wrap it yet)' };
    }
    const launch = launchOf(value, KEYS);
    // `url` without a type is the SSE transport; `httpUrl`, or `"type": "http"`, streamable HTTP.
    if ('url' in launch && value['httpUrl'] === undefined && value['type'] === undefined) return { ...launch, transport: 'sse' };
    return launch;
  },
  launchKeys: ['type', 'command', 'args', 'env', 'cwd', 'httpUrl', 'url', 'headers'],
  envKeys: ['env'],
  headerKeys: ['headers'],
  stdioType: null,
};

export class GeminiCliAdapter implements ClientAdapter {
  readonly client = 'gemini-cli' as const;
  readonly expandsVariables = /\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)/;

  discover(machine: ClientEnvironment): ConfigLocation[] {
    return userAndProjectFiles(this.client, machine, pathOf(machine).join(machine.home, '.gemini', 'settings.json'), ['.gemini', 'settings.json']);
  }

  read(location: ConfigLocation, text: string): ConfigDocument {
    const container = { path: ['mcpServers'], scope: location.scope, ...(location.projectDir !== undefined ? { projectDir: location.projectDir } : {}) };
    return new JsonConfigDocument(location.path, text, [container], RULES);
  }

  /** The servers of the system settings file, which override the user's and which only an administrator may change. */
  unguarded(machine: ClientEnvironment): UnguardedServer[] {
    const file = systemSettings(machine);
    const text = machine.readText(file);
    if (text === undefined) return [];
    const value: unknown = parse(text, [], { allowTrailingComma: true });
    const servers = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)['mcpServers'] : undefined;
    if (servers === null || typeof servers !== 'object') return [];
    return Object.keys(servers).map((name) => ({
      client: this.client,
      name,
      where: file,
      why: 'in the system settings file, which an administrator owns and which overrides the user’s',
    }));
  }
}

function systemSettings(machine: ClientEnvironment): string {
  const path = pathOf(machine);
  switch (machine.platform) {
    case 'darwin':
      return path.join('/Library', 'Application Support', 'GeminiCli', 'settings.json');
    case 'win32':
      return path.join(machine.env['ProgramData'] || 'C:\\ProgramData', 'gemini-cli', 'settings.json');
    default:
      return path.join('/etc', 'gemini-cli', 'settings.json');
  }
}
