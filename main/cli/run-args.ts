import type { LaunchSpec } from '../../shared/launch-spec.js';
import type { ServerRecord } from '../../shared/server-registry.js';

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

export type RunArgs = {
  spec: LaunchSpec;
  allow: string[] | undefined;
  deny: string[];
  maxLineBytes: number;
  /** Set for a wrapped entry's launch (./run-registered.ts). */
  record?: ServerRecord;
};

export const RUN_USAGE = `usage:
  mcp-guard run                  (as a wrapped entry runs it: MCP_GUARD_SERVER_ID names the server)
  mcp-guard run [--name NAME] [--allow TOOL,...] [--deny TOOL,...] -- <command> [args...]
  mcp-guard run --url <http(s)-url> [--name NAME] [--header "K: V"]... [--allow ...] [--deny ...]

options:
  --name NAME            the server's name in tool names (mcp__NAME__tool) and messages
  --allow TOOL[,TOOL]    only these tools (plain or mcp__server__tool names, * wildcards)
  --deny TOOL[,TOOL]     never these tools; they are hidden and their calls refused
  --max-line-bytes N     largest JSON-RPC message accepted (default 64 MiB)`;

export class UsageError extends Error {}

/** Parses `mcp-guard run` arguments into a launch spec; throws UsageError naming the flag. */
export function parseRunArgs(argv: string[]): RunArgs {
  let name: string | undefined;
  let url: string | undefined;
  const headers: Record<string, string> = {};
  let allow: string[] | undefined;
  const deny: string[] = [];
  let maxLineBytes = DEFAULT_MAX_LINE_BYTES;
  let command: string[] | undefined;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--':
        command = argv.slice(i + 1);
        i = argv.length;
        break;
      case '--name':
        name = value();
        if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new UsageError(`--name "${name}": use letters, digits, "-" and "_" only`);
        break;
      case '--url':
        url = value();
        break;
      case '--header': {
        const header = value();
        const colon = header.indexOf(':');
        if (colon <= 0) throw new UsageError(`--header: expected "Name: value", got a value without a colon`);
        headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
        break;
      }
      case '--allow':
        allow = [...(allow ?? []), ...splitList(value())];
        break;
      case '--deny':
        deny.push(...splitList(value()));
        break;
      case '--max-line-bytes': {
        const raw = value();
        maxLineBytes = Number(raw);
        if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1024)
          throw new UsageError(`--max-line-bytes "${raw}": expected a whole number of bytes >= 1024`);
        break;
      }
      default:
        throw new UsageError(`unknown option "${arg}" (put the server's command after --)`);
    }
  }

  if (url !== undefined && command !== undefined) throw new UsageError('give either --url or a command after --, not both');
  if (url !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UsageError('--url: not a valid URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--url: expected http:// or https://, got ${parsed.protocol}`);
    return { spec: { kind: 'http', name: name ?? serverNameFromHost(parsed.hostname), url, headers }, allow, deny, maxLineBytes };
  }
  if (Object.keys(headers).length > 0) throw new UsageError('--header goes with --url');
  if (!command || command.length === 0) throw new UsageError('no server to run: give a command after -- or --url');
  const [program, ...args] = command as [string, ...string[]];
  return { spec: { kind: 'stdio', name: name ?? serverNameFromCommand(program, args), command: program, args }, allow, deny, maxLineBytes };
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** `npx -y @modelcontextprotocol/server-memory@1.2` → `server-memory`; `/usr/bin/foo` → `foo`. */
export function serverNameFromCommand(program: string, args: string[]): string {
  const runner = baseName(program).replace(/\.(cmd|exe)$/, '');
  const packageArg = ['npx', 'pnpx', 'bunx', 'uvx', 'pipx'].includes(runner) ? args.find((a) => !a.startsWith('-')) : undefined;
  const source = packageArg ?? runner;
  const bare = baseName(source.replace(/^@[^/]+\//, '')).replace(/@.*$/, '');
  return sanitize(bare) || 'server';
}

function serverNameFromHost(host: string): string {
  return sanitize(host.replace(/\./g, '-')) || 'remote';
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}
