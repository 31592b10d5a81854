/**
 * `mcp-guard` subcommands: picks one and loads only its module. `run` is started by ./bin.ts
 * directly (the MCP client waits for it); this table still lists it for the usage text.
 */
type Command = { summary: string; load: () => Promise<(argv: string[]) => Promise<number>> };

const commands: Record<string, Command> = {
  run: {
    summary: 'run an MCP server under guard (stdio or --url)',
    load: async () => (await import('./run-command.js')).runCommand,
  },
  wrap: {
    summary: "wrap every client's MCP servers with the guard; secrets to the OS keychain",
    load: async () => (await import('./wrap-command.js')).wrapCommand,
  },
  unwrap: {
    summary: 'restore wrapped entries exactly as they were, secrets included',
    load: async () => (await import('./wrap-command.js')).unwrapCommand,
  },
  servers: {
    summary: 'every server of every client (wrapped / unwrapped / unguarded); approve identities',
    load: async () => (await import('./servers-command.js')).serversCommand,
  },
  secrets: {
    summary: "list, set or remove a wrapped server's secrets in the OS keychain",
    load: async () => (await import('./secrets-command.js')).secretsCommand,
  },
  audit: {
    summary: 'show, verify and export the audit log (tail, verify, export)',
    load: async () => (await import('./audit-command.js')).auditCommand,
  },
  policy: {
    summary: 'check, explain, show or import policy; print its JSON Schema',
    load: async () => (await import('./policy-command.js')).policyCommand,
  },
  pins: {
    summary: 'list, diff, approve or reset tool pins',
    load: async () => (await import('./pins-command.js')).pinsCommand,
  },
  serve: {
    summary: 'run the guard service in the foreground (approvals, grants, audit log)',
    load: async () => (await import('./serve-command.js')).serveCommand,
  },
  status: {
    summary: 'is the service running; connected proxies, pending approvals, policy',
    load: async () => (await import('./status-command.js')).statusCommand,
  },
  admin: {
    summary: "IT's signing tools: keygen, root (make or rotate), sign and verify policy bundles",
    load: async () => (await import('./admin-command.js')).adminCommand,
  },
  sync: {
    summary: 'central management: the managed configuration in force (status)',
    load: async () => (await import('./sync-command.js')).syncCommand,
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ['usage: mcp-guard <command> [options]', '', 'commands:', ...lines, '', 'mcp-guard <command> --help for its options'].join('\n');
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write('mcp-guard 0.1.0\n');
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`mcp-guard: unknown command "${name}"\n${usage()}\n`);
    return 2;
  }
  const run = await command.load();
  return run(rest);
}
