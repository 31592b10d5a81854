/**
 * Zed: the user settings file (`~/.config/zed/settings.json` on macOS and Linux, in
 * `$XDG_CONFIG_HOME/zed/` when that is set on Linux, `%APPDATA%\Zed\` on Windows; JSON with `//`
 * comments), servers under `context_servers`. Zed's MCP docs: a custom server is
 * `"source": "custom"` with `command`, `args`, `env`, or a remote one with `url` and `headers`;
 * a server an extension provides has `"source": "extension"` and only its `settings` here, and
 * Zed runs whatever command the extension hands it: listed as unguarded, like an entry with
 * neither command nor URL (the older form of the same). The oldest form, `"command": { "path", … }`,
 * is left alone. Zed expands nothing in these fields.
 */
import { posix, win32 } from 'node:path';
import { parse } from 'jsonc-parser';
import type { ClientAdapter, ClientEntry, ClientEnvironment, ConfigDocument, ConfigLocation, EntryEdit, UnguardedServer } from './client-adapter.js';
import { launchOf, type LaunchKeys } from './entry-launch.js';
import { JsonConfigDocument, type JsonClientRules } from './json-config.js';

const KEYS: LaunchKeys = { urlKeys: ['url'], cwd: false, types: {} };

const RULES: JsonClientRules = {
  jsonc: true,
  launchOf: (value) => {
    if (value['command'] !== null && typeof value['command'] === 'object') {
      return {
        problem:
          'it is written in the older "command": { "path", "args", "env" } form; write it as "source": "custom" with "command", "args" and "env" to guard it',
      };
    }
    return launchOf(value, KEYS);
  },
  launchKeys: ['command', 'args', 'env', 'url', 'headers'],
  envKeys: ['env'],
  headerKeys: ['headers'],
};

export class ZedAdapter implements ClientAdapter {
  readonly client = 'zed' as const;
  readonly expandsVariables = undefined;

  discover(machine: ClientEnvironment): ConfigLocation[] {
    const path = machine.platform === 'win32' ? win32 : posix;
    const dir =
      machine.platform === 'win32'
        ? path.join(machine.env['APPDATA'] || path.join(machine.home, 'AppData', 'Roaming'), 'Zed')
        : path.join((machine.platform === 'linux' && machine.env['XDG_CONFIG_HOME']) || path.join(machine.home, '.config'), 'zed');
    return [{ client: this.client, scope: 'user', path: path.join(dir, 'settings.json') }];
  }

  read(location: ConfigLocation, text: string): ConfigDocument {
    return new ZedSettings(location, text);
  }

  /** Extension servers are named in the settings file itself: each document lists its own. */
  unguarded(): UnguardedServer[] {
    return [];
  }
}

/** The settings file, with extension servers moved from the entries to the unguarded list. */
class ZedSettings implements ConfigDocument {
  readonly entries: ClientEntry[] = [];
  readonly unguarded: UnguardedServer[] = [];
  private readonly document: JsonConfigDocument;

  constructor(location: ConfigLocation, text: string) {
    this.document = new JsonConfigDocument(location.path, text, [{ path: ['context_servers'], scope: location.scope }], RULES);
    for (const entry of this.document.entries) {
      const value: unknown = parse(entry.text, [], { allowTrailingComma: true });
      const record = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
      if (record && (record['source'] === 'extension' || (record['command'] === undefined && record['url'] === undefined))) {
        this.unguarded.push({
          client: 'zed',
          name: entry.name,
          where: location.path,
          why: 'a Zed extension’s server; Zed runs the command the extension gives it',
        });
      } else {
        this.entries.push(entry);
      }
    }
  }

  edit(edits: readonly EntryEdit[]): string {
    return this.document.edit(edits);
  }
}
