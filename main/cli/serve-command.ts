import { JsonLineLogger } from '../common/logger.js';
import { startGuard, type RunningGuard } from '../service/start-guard.js';
import { guardHome } from '../store/guard-paths.js';

const USAGE = `usage: mcp-guard serve

Runs the MCP Guard service in the foreground (the same service the desktop app runs): proxies
connect to it to ask you about calls and to record audit events. Structured logs go to stderr.
Stop it with Ctrl-C (SIGINT) or SIGTERM.`;

/** `mcp-guard serve`: the guard service, headless. */
export async function serveCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (argv.length > 0) {
    process.stderr.write(`mcp-guard serve: unknown option "${argv[0]}"\n${USAGE}\n`);
    return 2;
  }
  const log = new JsonLineLogger(process.stderr, { component: 'mcp-guard-service' });
  let guard: RunningGuard;
  try {
    guard = await startGuard({ home: guardHome(), log });
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
