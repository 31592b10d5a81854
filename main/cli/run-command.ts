import { StdioUpstream } from '../proxy/transport/stdio-upstream.js';
import { SERVER_ID_VARIABLE } from '../../shared/server-id.js';
import type * as Registered from './run-registered.js';
import { parseRunArgs, RUN_USAGE, UsageError, type RunArgs } from './run-args.js';

/**
 * `mcp-guard run`: the proxy the MCP client starts in place of the real server. A stdio server
 * is started first and boots while the rest of the proxy loads (./run-proxy.ts), so the guard
 * adds little to the client's connect time.
 */
export async function runCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') && !argv.slice(0, argv.indexOf('--help')).includes('--')) {
    process.stdout.write(RUN_USAGE + '\n');
    return 0;
  }
  let args: RunArgs;
  const serverId = process.env[SERVER_ID_VARIABLE];
  if (argv.length === 0 && serverId !== undefined) {
    try {
      args = await (await loadRegistered()).registeredRunArgs(serverId, process.env);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(`mcp-guard run: ${reason}\n`);
      // Loaded only on refusal: the spool brings the audit schemas.
      await import('./run-refusal.js').then(({ auditRefusal }) => auditRefusal(serverId, reason, process.env)).catch(() => undefined);
      return 1;
    }
  } else {
    try {
      args = parseRunArgs(argv);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      process.stderr.write(`mcp-guard run: ${error.message}\n${RUN_USAGE}\n`);
      return 2;
    }
  }
  let stdio: StdioUpstream | undefined;
  if (args.spec.kind === 'stdio') {
    stdio = new StdioUpstream(args.spec, process.env);
    // Spawned before the rest loads: the server's start-up is most of a connect.
    await stdio.launch();
  }
  const { runProxy } = await import('./run-proxy.js');
  return runProxy(args, stdio);
}

/**
 * The wrapped entry's launch path (record, validator, keychain): a bundle of its own beside this
 * one (dist/main/cli/run-registered.cjs, `npm run build:cli`), so `run --` never parses it. Run
 * from the ES modules of dist/ (as in development), it is the module itself.
 */
async function loadRegistered(): Promise<typeof Registered> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS require of the sibling bundle, only inside the bundle
  if (typeof require === 'function') return require('./run-registered.cjs') as typeof Registered;
  return import('./run-registered.js');
}
