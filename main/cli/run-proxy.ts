import { startProxy } from '../proxy/start-proxy.js';
import type { Upstream } from '../proxy/transport/upstream.js';
import type { RunArgs } from './run-args.js';

/**
 * The rest of `mcp-guard run`, loaded once a stdio server is launched (./run-command.ts): the proxy
 * as main/proxy/start-proxy.ts assembles it, then the exit.
 */
export async function runProxy(args: RunArgs, launched: Upstream | undefined): Promise<number> {
  process.exit(await startProxy(args, launched));
}
