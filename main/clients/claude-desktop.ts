/**
 * Claude Desktop: `claude_desktop_config.json` in the app's data folder, local servers under
 * `mcpServers` (`command`, `args`, `env`), nothing expanded. The MCP user quickstart and the
 * servers' setup guides name the file at `~/Library/Application Support/Claude/` (macOS) and
 * `%APPDATA%\Claude\` (Windows); the Linux build keeps it in `~/.config/Claude/`, and the Microsoft
 * Store build in its package's `LocalCache\Roaming\Claude\` (anthropics/claude-code#27041).
 * Remote servers are connectors added in the app's settings, not entries of this file: an entry
 * with a URL is left alone. Extensions (`.mcpb`, formerly `.dxt`) run from the app's own folder
 * and are replaced on update: listed as unguarded.
 */
import { posix, win32 } from 'node:path';
import type { ClientAdapter, ClientEnvironment, ConfigDocument, ConfigLocation, UnguardedServer } from './client-adapter.js';
import { launchOf, type LaunchKeys } from './entry-launch.js';
import { JsonConfigDocument, type JsonClientRules } from './json-config.js';

const KEYS: LaunchKeys = { urlKeys: [], cwd: false, types: { stdio: 'stdio' } };

const RULES: JsonClientRules = {
  jsonc: false,
  launchOf: (value) => {
    if (value['url'] !== undefined || value['serverUrl'] !== undefined) {
      return { problem: 'Claude Desktop runs only local (command) servers from this file; add a remote server as a connector in its settings' };
    }
    return launchOf(value, KEYS);
  },
  launchKeys: ['type', 'command', 'args', 'env'],
  envKeys: ['env'],
  headerKeys: [],
};

/** The Microsoft Store build's package family: its `%APPDATA%` is redirected into the package. */
const STORE_PACKAGE = 'Claude_pzs8sxrjxfjjc';

export class ClaudeDesktopAdapter implements ClientAdapter {
  readonly client = 'claude-desktop' as const;
  readonly expandsVariables = undefined;

  discover(machine: ClientEnvironment): ConfigLocation[] {
    return [{ client: this.client, scope: 'user', path: pathOf(machine).join(dataDir(machine), 'claude_desktop_config.json') }];
  }

  read(location: ConfigLocation, text: string): ConfigDocument {
    return new JsonConfigDocument(location.path, text, [{ path: ['mcpServers'], scope: location.scope }], RULES);
  }

  /**
   * The installed extensions, from `extensions-installations.json` (`extensions: { "<id>": { manifest } }`),
   * each unpacked in `Claude Extensions/<id>/` and switched on or off in `Claude Extensions Settings/<id>.json`
   * (`isEnabled`). Anthropic does not document this layout; it is the one the app writes and
   * third-party installers reproduce. A machine hands adapters no directory listing, so an extension
   * folder the registry does not name is not seen.
   */
  unguarded(machine: ClientEnvironment): UnguardedServer[] {
    const path = pathOf(machine);
    const dir = dataDir(machine);
    const out: UnguardedServer[] = [];
    const registry = objectOf(parsed(machine.readText(path.join(dir, 'extensions-installations.json'))));
    for (const [id, install] of Object.entries(objectOf(registry['extensions']))) {
      if (id === '' || id === '.' || id === '..' || /[\\/]/.test(id)) continue; // an id is a folder name, never a path
      const where = path.join(dir, 'Claude Extensions', id);
      const manifest = objectOf(objectOf(install)['manifest']);
      const fromFolder = Object.keys(manifest).length > 0 ? manifest : objectOf(parsed(machine.readText(path.join(where, 'manifest.json'))));
      const name = typeof fromFolder['name'] === 'string' && fromFolder['name'] !== '' ? fromFolder['name'] : id;
      const enabled = objectOf(parsed(machine.readText(path.join(dir, 'Claude Extensions Settings', `${id}.json`))))['isEnabled'];
      out.push({
        client: this.client,
        name,
        where,
        why: `a Claude Desktop extension${enabled === false ? ' (switched off)' : ''}; the app runs it from its own folder and replaces it on update`,
      });
    }
    return out;
  }
}

function pathOf(machine: ClientEnvironment): typeof posix {
  return machine.platform === 'win32' ? win32 : posix;
}

/** The app's data folder: where its config, extension registry and extensions live. */
function dataDir(machine: ClientEnvironment): string {
  const path = pathOf(machine);
  switch (machine.platform) {
    case 'darwin':
      return path.join(machine.home, 'Library', 'Application Support', 'Claude');
    case 'win32': {
      // The Store build reads its own copy once it has one; until then, and for the installer build, %APPDATA%.
      const local = machine.env['LOCALAPPDATA'] || path.join(machine.home, 'AppData', 'Local');
      const store = path.join(local, 'Packages', STORE_PACKAGE, 'LocalCache', 'Roaming', 'Claude');
      if (machine.readText(path.join(store, 'claude_desktop_config.json')) !== undefined) return store;
      return path.join(machine.env['APPDATA'] || path.join(machine.home, 'AppData', 'Roaming'), 'Claude');
    }
    default:
      return path.join(machine.env['XDG_CONFIG_HOME'] || path.join(machine.home, '.config'), 'Claude');
  }
}

function parsed(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function objectOf(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
