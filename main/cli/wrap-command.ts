/**
 * `mcp-guard wrap` and `mcp-guard unwrap`: put the guard between every client and its servers, and
 * take it out again exactly. Thin: parse the options, run the Wrapper (main/clients/wrapper.ts),
 * print what changed.
 */
import { CLIENT_NAMES, type ClientName } from '../../shared/server-registry.js';
import type { WrapResult, WrapSelection } from '../clients/wrapper.js';
import { clientWiring, launcherPath } from './client-wiring.js';

const OPTIONS = `options:
  --client NAME|all   only this client (${CLIENT_NAMES.join(', ')}); default all
  --server NAME       only the server with this name (its key in the client's config)
  --project DIR       also look in this project's files (repeatable; the current directory and
                      the projects Claude Code knows are always looked in)
  --dry-run           print the diff of every file, change nothing`;

const WRAP_USAGE = `usage: mcp-guard wrap [--client NAME|all] [--server NAME] [--project DIR]... [--dry-run]

Rewrites each server entry of each client to launch the guard (\`<launcher> run\`, the server id in
MCP_GUARD_SERVER_ID), keeps the original in the guard's registry, and moves secret values (tokens
in env and headers) to the OS keychain. Wrapped servers are new to the guard: their calls follow
defaults.newServers until approved (mcp-guard servers approve).

${OPTIONS}`;

const UNWRAP_USAGE = `usage: mcp-guard unwrap [--client NAME|all] [--server NAME|ID] [--project DIR]... [--dry-run]

Restores each wrapped entry as it was written, secrets read back from the keychain, so the client
runs the server without the guard.

${OPTIONS}`;

type Parsed = WrapSelection & { projects: string[] };

function parse(argv: string[]): Parsed | string {
  const out: Parsed = { dryRun: false, projects: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => argv[++i];
    switch (arg) {
      case '--dry-run':
        out.dryRun = true;
        break;
      case '--client': {
        const v = value();
        if (v === undefined) return '--client needs a value';
        if (v === 'all') break;
        if (!(CLIENT_NAMES as readonly string[]).includes(v)) return `--client "${v}": expected one of ${CLIENT_NAMES.join(', ')} or all`;
        out.clients = [...(out.clients ?? []), v as ClientName];
        break;
      }
      case '--server': {
        const v = value();
        if (v === undefined) return '--server needs a value';
        out.server = v;
        break;
      }
      case '--project': {
        const v = value();
        if (v === undefined) return '--project needs a directory';
        out.projects.push(v);
        break;
      }
      default:
        return `unknown option "${arg}"`;
    }
  }
  return out;
}

export const wrapCommand = (argv: string[]) => run('wrap', argv);
export const unwrapCommand = (argv: string[]) => run('unwrap', argv);

async function run(verb: 'wrap' | 'unwrap', argv: string[]): Promise<number> {
  const usage = verb === 'wrap' ? WRAP_USAGE : UNWRAP_USAGE;
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  const sel = parse(argv);
  if (typeof sel === 'string') {
    process.stderr.write(`mcp-guard ${verb}: ${sel}\n${usage}\n`);
    return 2;
  }
  const wiring = clientWiring({ projects: sel.projects });
  let launcher: string;
  try {
    launcher = launcherPath();
  } catch (error) {
    process.stderr.write(`mcp-guard ${verb}: the guard's launcher is not an executable file (${String(error)}); set MCP_GUARD_LAUNCHER to its absolute path\n`);
    return 1;
  }
  const wrapper = wiring.wrapper(launcher);
  const result = verb === 'wrap' ? wrapper.wrap(sel) : wrapper.unwrap(sel);
  await wiring.flush();
  process.stdout.write(report(verb, result, sel.dryRun));
  return result.errors.length > 0 ? 1 : 0;
}

function report(verb: 'wrap' | 'unwrap', r: WrapResult, dryRun: boolean): string {
  const lines: string[] = [];
  if (dryRun) {
    for (const d of r.diffs) lines.push(d.diff, '');
    lines.push(r.diffs.length === 0 ? `nothing to ${verb}` : `dry run: ${r.diffs.length} file(s) would change; nothing was written`);
  } else {
    const done = verb === 'wrap' ? 'wrapped' : 'unwrapped';
    lines.push(r.changed.length === 0 ? `nothing ${done}` : `${done} ${r.changed.length} server(s):`);
    for (const id of r.changed) lines.push(`  ${id}`);
    if (verb === 'wrap' && r.changed.length > 0) {
      lines.push('', 'New servers are held until you approve them: review with `mcp-guard servers`, then `mcp-guard servers approve ID`.');
      lines.push('Restart the clients (or reload their MCP servers) to launch them through the guard.');
    }
  }
  for (const s of r.skipped) lines.push(`skipped ${s.server ?? ''} in ${s.file}: ${s.message}`);
  for (const e of r.errors) lines.push(`error: ${e.message.startsWith(e.file) ? e.message : `${e.file}${e.server ? ` (${e.server})` : ''}: ${e.message}`}`);
  return lines.join('\n') + '\n';
}
