import { JsonLineLogger } from '../common/logger.js';
import { discardCallRecords } from '../proxy/call-record.js';
import { GuardProxy } from '../proxy/guard-proxy.js';
import { ListDecider } from '../proxy/list-decider.js';
import { StdioUpstream } from '../proxy/stdio-upstream.js';
import type { Upstream } from '../proxy/upstream.js';
import { parseRunArgs, RUN_USAGE, UsageError, type RunArgs } from './run-args.js';

/** `mcp-guard run`: the proxy the MCP client starts in place of the real server. */
export async function runCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') && !argv.slice(0, argv.indexOf('--help')).includes('--')) {
    process.stdout.write(RUN_USAGE + '\n');
    return 0;
  }
  let args: RunArgs;
  try {
    args = parseRunArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`mcp-guard run: ${error.message}\n${RUN_USAGE}\n`);
    return 2;
  }
  const log = new JsonLineLogger(process.stderr, { component: 'mcp-guard-proxy', server: args.spec.name });
  const upstream: Upstream =
    args.spec.kind === 'stdio'
      ? new StdioUpstream(args.spec, process.env)
      : new (await import('../proxy/http-upstream.js')).HttpUpstream(args.spec, (m) => log.log('info', m));
  const proxy = new GuardProxy({
    server: args.spec.name,
    upstream,
    decider: new ListDecider(args.allow, args.deny),
    records: discardCallRecords,
    log,
    input: process.stdin,
    output: process.stdout,
    maxLineBytes: args.maxLineBytes,
  });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => void proxy.shutdown(signal === 'SIGINT' ? 130 : 143));
  }
  const code = await proxy.run();
  // stdout may still hold bytes for the client; let them out before leaving.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}
