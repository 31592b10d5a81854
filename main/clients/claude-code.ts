/**
 * Claude Code: `~/.claude.json` (in `$CLAUDE_CONFIG_DIR` when set) holds the user scope
 * (`mcpServers`) and the local scope of each project (`projects["<abs dir>"].mcpServers`); each
 * project may have a `.mcp.json` (project scope, `mcpServers`). Entries are `stdio` (the default),
 * `http` or `sse`; `${VAR}` and `${VAR:-default}` are expanded by Claude Code and kept as written.
 * Plugin servers live in the plugins' own files, which Claude Code replaces on update: listed as
 * unguarded.
 */
import { posix, win32 } from 'node:path';
import type { ClientAdapter, ClientEnvironment, ConfigDocument, ConfigLocation, UnguardedServer } from './client-adapter.js';
import { launchOf, type LaunchKeys } from './entry-launch.js';
import { JsonConfigDocument, type EntryContainer, type JsonClientRules } from './json-config.js';

const KEYS: LaunchKeys = { urlKeys: ['url'], cwd: false, types: { stdio: 'stdio', http: 'http', sse: 'sse' } };

const RULES: JsonClientRules = {
  jsonc: false,
  launchOf: (value) => {
    if (value['headersHelper'] !== undefined || value['oauth'] !== undefined) {
      return { problem: 'its headers come from "headersHelper" or "oauth", which Claude Code runs itself; left as it is (the guard does not wrap it yet)' };
    }
    return launchOf(value, KEYS);
  },
  launchKeys: ['type', 'command', 'args', 'env', 'url', 'headers'],
  envKeys: ['env'],
  headerKeys: ['headers'],
};

export class ClaudeCodeAdapter implements ClientAdapter {
  readonly client = 'claude-code' as const;
  readonly expandsVariables = /\$\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}/;

  discover(machine: ClientEnvironment): ConfigLocation[] {
    const path = pathOf(machine);
    const main = userFile(machine);
    const out: ConfigLocation[] = [{ client: this.client, scope: 'user', path: main }];
    for (const dir of new Set([...projectsOf(machine), ...machine.projects])) {
      out.push({ client: this.client, scope: 'project', path: path.join(dir, '.mcp.json'), projectDir: dir });
    }
    return out;
  }

  read(location: ConfigLocation, text: string): ConfigDocument {
    const containers: EntryContainer[] = [{ path: ['mcpServers'], scope: location.scope, ...(location.projectDir ? { projectDir: location.projectDir } : {}) }];
    if (location.scope === 'user') {
      for (const dir of projectDirsIn(text)) containers.push({ path: ['projects', dir, 'mcpServers'], scope: 'local', projectDir: dir });
    }
    return new JsonConfigDocument(location.path, text, containers, RULES);
  }

  unguarded(machine: ClientEnvironment): UnguardedServer[] {
    const path = pathOf(machine);
    const out: UnguardedServer[] = [];
    const installed = machine.readText(path.join(configDir(machine), 'plugins', 'installed_plugins.json'));
    for (const plugin of installedPlugins(installed)) {
      for (const file of [path.join(plugin.path, '.mcp.json'), path.join(plugin.path, '.claude-plugin', 'plugin.json')]) {
        for (const name of serverNamesIn(machine.readText(file), file.endsWith('plugin.json'))) {
          out.push({
            client: this.client,
            name,
            where: file,
            why: `a server of the plugin "${plugin.name}"; Claude Code replaces the plugin's files on update`,
          });
        }
      }
    }
    return out;
  }
}

/** The machine's path rules, not this process's: a win32 machine's paths join with backslashes wherever this runs. */
function pathOf(machine: ClientEnvironment): typeof posix {
  return machine.platform === 'win32' ? win32 : posix;
}

function configDir(machine: ClientEnvironment): string {
  return machine.env['CLAUDE_CONFIG_DIR'] || pathOf(machine).join(machine.home, '.claude');
}

function userFile(machine: ClientEnvironment): string {
  const dir = machine.env['CLAUDE_CONFIG_DIR'];
  return pathOf(machine).join(dir || machine.home, '.claude.json');
}

/** The projects ~/.claude.json knows (the keys of `projects`). */
function projectsOf(machine: ClientEnvironment): string[] {
  return projectDirsIn(machine.readText(userFile(machine)) ?? '');
}

function projectDirsIn(text: string): string[] {
  try {
    const value = JSON.parse(text) as { projects?: unknown };
    return value.projects && typeof value.projects === 'object' ? Object.keys(value.projects) : [];
  } catch {
    return [];
  }
}

/** `installed_plugins.json` (version 2: `plugins: { "name@market": [{ installPath }] }`): each plugin's directory. */
function installedPlugins(text: string | undefined): { name: string; path: string }[] {
  if (text === undefined) return [];
  try {
    const value = JSON.parse(text) as { plugins?: Record<string, unknown> };
    const out: { name: string; path: string }[] = [];
    for (const [name, installs] of Object.entries(value.plugins ?? {})) {
      for (const install of Array.isArray(installs) ? installs : [installs]) {
        const path = (install as { installPath?: unknown } | null)?.installPath;
        if (typeof path === 'string') out.push({ name, path });
      }
    }
    return out;
  } catch {
    return [];
  }
}

/** Server names of a plugin's `.mcp.json` (its top level, or `mcpServers`) or its plugin.json's `mcpServers`. */
function serverNamesIn(text: string | undefined, manifest: boolean): string[] {
  if (text === undefined) return [];
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const servers = value['mcpServers'] ?? (manifest ? undefined : value);
    return servers && typeof servers === 'object' ? Object.keys(servers) : [];
  } catch {
    return [];
  }
}
