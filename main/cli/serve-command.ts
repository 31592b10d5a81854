import { JsonLineLogger } from '../common/logger.js';
import { startGuard, type RunningGuard } from '../service/start-guard.js';
import { guardHome } from '../store/guard-paths.js';
import { clientWiring, launcherPath } from './client-wiring.js';

const USAGE = `usage: mcp-guard serve [--drift flag|rewrap]

Runs the MCP Guard service in the foreground (the same service the desktop app runs): proxies
connect to it to ask you about calls and to record audit events. It watches every client config
file for drift: a new server that is not wrapped, or a wrapped one someone unwrapped, is recorded
and logged (--drift flag, the default) or also wrapped again (--drift rewrap; the server is then
held until approved). Structured logs go to stderr. Stop it with Ctrl-C (SIGINT) or SIGTERM.`;

/** `mcp-guard serve`: the guard service, headless. */
export async function serveCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  let mode: 'flag' | 'rewrap' = 'flag';
  if (argv[0] === '--drift' && (argv[1] === 'flag' || argv[1] === 'rewrap') && argv.length === 2) mode = argv[1];
  else if (argv.length > 0) {
    process.stderr.write(`mcp-guard serve: unknown option "${argv.join(' ')}"\n${USAGE}\n`);
    return 2;
  }
  const log = new JsonLineLogger(process.stderr, { component: 'mcp-guard-service' });
  let guard: RunningGuard;
  try {
    const clients = clientWiring({ projects: [] });
    guard = await startGuard({
      home: guardHome(),
      log,
      drift: {
        adapters: clients.adapters,
        machine: clients.machine,
        mode,
        rewrap: async (drift) => {
          const result = clients.wrapper(launcherPath()).wrap({ clients: [drift.client], server: drift.name, files: [drift.file], dryRun: false });
          await clients.flush();
          if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.message).join('; '));
          return result.changed.length > 0 ? `wrapped again as ${result.changed.join(', ')}` : 'nothing to wrap';
        },
      },
    });
  } catch (error) {
    process.stderr.write(`mcp-guard serve: ${error instanceof Error ? error.message : String(error)}; not started\n`);
    return 1;
  }
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  log.log('info', 'stopping');
  await guard.stop();
  return 0;
}
