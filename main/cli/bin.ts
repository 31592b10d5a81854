#!/usr/bin/env node
/**
 * `mcp-guard`. An MCP client starts `mcp-guard run` for every server and waits for it, so this
 * file is shipped as one CommonJS bundle of the run path up to the server's start
 * (dist/main/cli/mcp-guard.cjs, `npm run build:cli`): Node boots a CommonJS entry without its ESM
 * loader and reads one file instead of a module graph. The rest of `run` (./run-proxy.ts) and
 * every other command load as ES modules when they are needed.
 */
import { runCommand } from './run-command.js';

const argv = process.argv.slice(2);
// A command that never settles fails (as an unsettled top-level await would), and one that throws
// fails whatever --unhandled-rejections says: a proxy that hangs would hang the MCP client too.
process.exitCode = 1;
const exitCode = argv[0] === 'run' ? runCommand(argv.slice(1)) : import('./main.js').then(({ runCli }) => runCli(argv));
exitCode.then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
