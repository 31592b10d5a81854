/**
 * OpenAI Codex: `$CODEX_HOME/config.toml` (`~/.codex/config.toml` by default, `%USERPROFILE%\.codex`
 * on Windows) holds the user scope; a project's `.codex/config.toml`, which Codex reads once the
 * project is trusted (`[projects."<dir>"] trust_level = "trusted"` in the user file), the project
 * scope. Servers are `[mcp_servers.<name>]` tables: `command`, `args`, `env` (a subtable or inline),
 * `env_vars`, `cwd` for a stdio server; `url`, `bearer_token_env_var`, `http_headers`,
 * `env_http_headers` for a Streamable HTTP one; `enabled`, `required`, timeouts, `enabled_tools`,
 * `disabled_tools` and `[mcp_servers.<name>.tools.<tool>]` approvals for either, which wrap keeps.
 * Codex refuses a stdio key on a URL entry and the reverse, and an inline `bearer_token`. Sources:
 * openai/codex docs/config.md ("MCP integration"), developers.openai.com/codex/mcp, and
 * codex-rs/config/src/mcp_types.rs (`RawMcpServerConfig`, the keys and those refusals).
 *
 * Codex expands no `${VAR}` in these fields (openai/codex#7367, closed unplanned): a value is what
 * it says. `env_vars` names variables Codex passes from its own environment; the wrapped entry
 * keeps it, Codex passes them to the guard and the guard to the server. A header Codex fills from
 * the environment at request time (`bearer_token_env_var`, `env_http_headers`) the guard cannot
 * fill yet, so such an entry is left as it is, as is one that signs in with OAuth or runs in a
 * remote executor. Servers in the system config (`/etc/codex/config.toml`,
 * `%ProgramData%\OpenAI\Codex\config.toml`; codex-rs config_loader `system_config_toml_file`) and
 * `/etc/codex/managed_config.toml` belong to the administrator: listed as unguarded.
 */
import { posix, win32 } from 'node:path';
import { parse } from 'smol-toml';
import type { ClientAdapter, ClientEnvironment, ConfigDocument, ConfigLocation, EntryLaunch, UnguardedServer } from './client-adapter.js';
import { TomlConfigDocument, type TomlClientRules } from './toml-config.js';

const STDIO_KEYS = ['args', 'env', 'env_vars', 'cwd'] as const;
const REMOTE_KEYS = ['bearer_token_env_var', 'bearer_token', 'http_headers', 'env_http_headers', 'oauth', 'oauth_resource'] as const;

const RULES: TomlClientRules = {
  container: 'mcp_servers',
  launchOf: codexLaunchOf,
  launchKeys: ['command', 'args', 'env', 'cwd', 'url', 'bearer_token_env_var', 'http_headers', 'env_http_headers'],
  envKey: 'env',
  headerKeys: ['http_headers'],
};

export class CodexAdapter implements ClientAdapter {
  readonly client = 'codex' as const;
  readonly expandsVariables = undefined;

  discover(machine: ClientEnvironment): ConfigLocation[] {
    const path = pathsOf(machine);
    const user = userFile(machine);
    const out: ConfigLocation[] = [{ client: this.client, scope: 'user', path: user }];
    for (const dir of new Set([...trustedProjects(machine.readText(user)), ...machine.projects])) {
      const file = path.join(dir, '.codex', 'config.toml');
      // A project in the Codex home's parent (the home directory itself) would name the user file again.
      if (file !== user) out.push({ client: this.client, scope: 'project', path: file, projectDir: dir });
    }
    return out;
  }

  read(location: ConfigLocation, text: string): ConfigDocument {
    return new TomlConfigDocument(location.path, text, { scope: location.scope, ...(location.projectDir ? { projectDir: location.projectDir } : {}) }, RULES);
  }

  unguarded(machine: ClientEnvironment): UnguardedServer[] {
    const path = pathsOf(machine);
    const files =
      machine.platform === 'win32'
        ? [path.join(machine.env['ProgramData'] || machine.env['PROGRAMDATA'] || 'C:\\ProgramData', 'OpenAI', 'Codex', 'config.toml')]
        : ['/etc/codex/config.toml', '/etc/codex/managed_config.toml'];
    const out: UnguardedServer[] = [];
    for (const file of files) {
      for (const name of Object.keys(tableAt(machine.readText(file), 'mcp_servers'))) {
        out.push({
          client: this.client,
          name,
          where: file,
          why: "a server of Codex's system config, which the administrator owns; it runs unguarded unless wrapped there",
        });
      }
    }
    return out;
  }
}

/** One `[mcp_servers.<name>]` table → the launch it describes, or why the guard leaves it alone. */
export function codexLaunchOf(value: unknown): EntryLaunch | { problem: string } {
  if (!isTable(value)) return { problem: 'the entry is not a table' };
  const environment = value['experimental_environment'];
  if (environment !== undefined && environment !== 'local') {
    return {
      problem: `"experimental_environment" = ${JSON.stringify(environment)}: Codex starts it in a remote executor, where the guard does not run; left as it is`,
    };
  }
  const { command, url } = value;
  if (command !== undefined && url !== undefined) return { problem: 'it has both "command" and "url", which Codex refuses' };
  if (command !== undefined) {
    const remote = REMOTE_KEYS.find((k) => value[k] !== undefined);
    if (remote) return { problem: `"${remote}" is for a URL server, and Codex refuses it beside "command"` };
    const { args = [], env = {}, cwd } = value;
    if (typeof command !== 'string' || command === '') return { problem: '"command" is not a string' };
    if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) return { problem: '"args" is not a list of strings' };
    const envProblem = stringTableProblem(env, 'env');
    if (envProblem) return { problem: envProblem };
    if (cwd !== undefined && typeof cwd !== 'string') return { problem: '"cwd" is not a string' };
    return { transport: 'stdio', command, args: args as string[], env: env as Record<string, string>, ...(typeof cwd === 'string' ? { cwd } : {}) };
  }
  if (url === undefined) return { problem: 'it has neither "command" nor "url", which Codex refuses ("invalid transport")' };
  const local = STDIO_KEYS.find((k) => value[k] !== undefined);
  if (local) return { problem: `"${local}" is for a stdio server, and Codex refuses it beside "url"` };
  if (value['bearer_token'] !== undefined)
    return { problem: 'Codex refuses an inline "bearer_token"; name the variable that holds it in "bearer_token_env_var"' };
  const fromEnvironment =
    value['bearer_token_env_var'] !== undefined ? 'bearer_token_env_var' : value['env_http_headers'] !== undefined ? 'env_http_headers' : undefined;
  if (fromEnvironment) {
    return {
      problem: `Codex reads its headers from environment variables at request time ("${fromEnvironment}"), which the guard cannot pass on yet; left as it is`,
    };
  }
  const oauth = ['oauth', 'oauth_resource', 'scopes'].find((k) => value[k] !== undefined);
  if (oauth) return { problem: `it signs in with OAuth ("${oauth}"), which Codex runs itself; left as it is (the guard does not wrap it yet)` };
  if (typeof url !== 'string' || url === '') return { problem: '"url" is not a string' };
  const headers = value['http_headers'] ?? {};
  const headerProblem = stringTableProblem(headers, 'http_headers');
  if (headerProblem) return { problem: headerProblem };
  return { transport: 'http', url, headers: headers as Record<string, string> };
}

function pathsOf(machine: ClientEnvironment): typeof posix {
  return machine.platform === 'win32' ? win32 : posix;
}

function userFile(machine: ClientEnvironment): string {
  const path = pathsOf(machine);
  return path.join(machine.env['CODEX_HOME'] || path.join(machine.home, '.codex'), 'config.toml');
}

/** The projects the user file trusts, whose `.codex/config.toml` Codex reads. */
function trustedProjects(text: string | undefined): string[] {
  return Object.entries(tableAt(text, 'projects'))
    .filter(([, project]) => isTable(project) && project['trust_level'] === 'trusted')
    .map(([dir]) => dir);
}

/** A top-level table of a TOML text, or none when the text is absent or does not parse (read() reports that). */
function tableAt(text: string | undefined, key: string): Record<string, unknown> {
  if (text === undefined) return {};
  try {
    const value = parse(text)[key];
    return isTable(value) ? value : {};
  } catch {
    return {};
  }
}

function stringTableProblem(value: unknown, field: string): string | undefined {
  if (!isTable(value)) return `"${field}" is not a table`;
  for (const [k, v] of Object.entries(value)) if (typeof v !== 'string') return `"${field}.${k}" is not a string`;
  return undefined;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}
