import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JsonLineLogger } from '../common/logger.js';
import { guardUi } from '../ipc/ipc-handlers.js';
import { startUiServer, type UiServer } from '../ipc/ui-server.js';
import { openBrowser } from '../proxy/transport/browser.js';
import { startGuard, type RunningGuard } from '../service/start-guard.js';
import { guardHome, guardPaths } from '../store/guard-paths.js';
import { SettingsFileError, SettingsStore } from '../store/settings-store.js';
import { clientWiring, launcherPath } from './client-wiring.js';

const USAGE = `usage: mcp-guard serve [--drift flag|rewrap] [--ui [--port N] [--open]]

Runs the MCP Guard service in the foreground (the same service the desktop app runs): proxies
connect to it to ask you about calls and to record audit events. It watches every client config
file for drift: a new server that is not wrapped, or a wrapped one someone unwrapped, is recorded
and logged (--drift flag) or also wrapped again (--drift rewrap; the server is then held until
approved). Without --drift, the drift setting decides (the Settings page; settings.json in the
guard's home; flag when it is not set). Structured logs go to stderr. Stop it with Ctrl-C (SIGINT) or SIGTERM.

--ui serves the app's UI (the approval prompt) to a browser on 127.0.0.1 (--port 0, the default,
picks a free port) and prints its URL, with a one-time token, on stdout; --open also opens it in the
default browser. Anyone with the URL can answer prompts: do not share it.`;

type ServeOptions = { drift: 'flag' | 'rewrap' | undefined; ui: boolean; port: number; open: boolean };

function parseServeArgs(argv: string[]): ServeOptions | string {
  const o: ServeOptions = { drift: undefined, ui: false, port: 0, open: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--drift') {
      const mode = argv[++i];
      if (mode !== 'flag' && mode !== 'rewrap') return `--drift takes flag or rewrap, not "${mode ?? ''}"`;
      o.drift = mode;
    } else if (arg === '--ui') o.ui = true;
    else if (arg === '--open') o.open = true;
    else if (arg === '--port') {
      const value = argv[++i] ?? '';
      if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) return `--port takes a port number from 0 to 65535 (0: any free port), not "${value}"`;
      o.port = Number(value);
    } else return `unknown option "${arg}"`;
  }
  if ((o.open || argv.includes('--port')) && !o.ui) return '--port and --open go with --ui';
  return o;
}

/** `mcp-guard serve`: the guard service, headless. */
export async function serveCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const options = parseServeArgs(argv);
  if (typeof options === 'string') {
    process.stderr.write(`mcp-guard serve: ${options}\n${USAGE}\n`);
    return 2;
  }
  const log = new JsonLineLogger(process.stderr, { component: 'mcp-guard-service' });
  const mode = options.drift ?? driftSetting(new SettingsStore(guardPaths(guardHome()).settings), log);
  let guard: RunningGuard;
  try {
    const clients = clientWiring({ projects: [] });
    guard = await startGuard({
      home: guardHome(),
      log,
      fleet: { adapters: clients.adapters, machine: clients.machine, env: process.env, identity: clients.identity, guardVersion: packageVersion() },
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
  let ui: UiServer | undefined;
  if (options.ui) {
    try {
      ui = await serveUi(guard, options.port, log, options.drift);
    } catch (error) {
      await guard.stop();
      process.stderr.write(
        `mcp-guard serve: could not serve the UI on 127.0.0.1:${options.port}: ${error instanceof Error ? error.message : String(error)}; not started\n`,
      );
      return 1;
    }
    process.stdout.write(`MCP Guard UI: ${ui.url}\n`);
    if (options.open) openBrowser(ui.url, process.env, (problem) => log.log('warn', `ui: ${problem}`));
  }
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  log.log('info', 'stopping');
  await ui?.close();
  await guard.stop();
  return 0;
}

/** The browser mode: the renderer build next to this file's build, the same handlers the app registers. */
function serveUi(guard: RunningGuard, port: number, log: JsonLineLogger, driftFlag: 'flag' | 'rewrap' | undefined): Promise<UiServer> {
  const root = packageRoot(dirname(fileURLToPath(import.meta.url)));
  const version = packageVersion();
  return startUiServer({
    port,
    rendererDir: join(root, 'dist', 'renderer'),
    ...guardUi(guard, { version, log, env: process.env, launcher: launcherOrUndefined(), ...(driftFlag ? { driftFlag } : {}) }),
    log,
  });
}

/**
 * The drift setting, read at each drift (so a change on the Settings page applies at once). A
 * settings file that does not parse is logged, each time, and drift is flagged meanwhile.
 */
function driftSetting(store: SettingsStore, log: JsonLineLogger): () => 'flag' | 'rewrap' {
  return () => {
    const read = store.readSync();
    if (read.state === 'ok') return read.settings.drift ?? 'flag';
    log.log('error', `${new SettingsFileError(read.problems).message}; flagging drift meanwhile`);
    return 'flag';
  };
}

/** This launcher's path, or undefined where it is not an executable file (the Servers page then says why it cannot wrap). */
function launcherOrUndefined(): string | undefined {
  try {
    return launcherPath();
  } catch {
    return undefined;
  }
}

/** The checkout (or installed package) this file belongs to: the nearest folder up with a package.json (dist/ has none). */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The guard's version, from the package.json of the checkout or installed package this file belongs to. */
function packageVersion(): string {
  const root = packageRoot(dirname(fileURLToPath(import.meta.url)));
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}
