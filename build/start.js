// `npm start`: the desktop app where Electron is installed, else the same UI in the browser.
// Plain Node ESM (no build step of its own). With the Electron binary present it runs `electron .`
// on the checkout; without it (npm installed electron's JS only, as on machines that cannot
// download it) it says so in one line and runs `mcp-guard serve --ui --open`: the same service,
// the same renderer, served to the default browser. Either way it exits with the child's code.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * The Electron binary npm installed, or undefined when there is none. Not `require('electron')`:
 * electron's index.js downloads the binary when it is missing, and `npm start` must never reach
 * the network. It reads what that module reads instead (node_modules/electron/path.txt, honouring
 * ELECTRON_OVERRIDE_DIST_PATH the same way) and checks the file is there.
 * The tests use this same function (test/app/electron-binary.ts; types in build/start.d.ts).
 */
export function electronBinary(env = process.env) {
  let dir;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  const binary = override ? join(override, relative || 'electron') : relative ? join(dir, 'dist', relative) : undefined;
  return binary !== undefined && existsSync(binary) ? binary : undefined;
}

/** Runs `file args` with this terminal, forwards the stop signals, and resolves with its exit code. */
function run(file, args) {
  // On POSIX the child gets its own process group, so a Ctrl-C reaches it once (from us), not twice:
  // a second SIGINT would end `mcp-guard serve` before it has stopped the service cleanly.
  const child = spawn(file, args, { cwd: repoRoot, stdio: 'inherit', detached: process.platform !== 'win32' });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const signals = process.platform === 'win32' ? [] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  return new Promise((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`mcp-guard: could not start ${file}: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      // Ended by a signal: the shell's convention, 128 + its number.
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}

async function start() {
  const electron = electronBinary();
  if (electron !== undefined) {
    if (!existsSync(join(repoRoot, 'dist', 'main', 'index.js'))) return missingBuild('dist/main/index.js');
    return run(electron, [repoRoot]);
  }
  const cli = join(repoRoot, 'dist', 'main', 'cli', 'mcp-guard.cjs');
  if (!existsSync(cli)) return missingBuild('dist/main/cli/mcp-guard.cjs');
  process.stderr.write(
    'mcp-guard: the Electron binary is not installed here, so starting the browser mode instead (same UI, same service): mcp-guard serve --ui\n',
  );
  return run(process.execPath, [cli, 'serve', '--ui', '--open']);
}

function missingBuild(file) {
  process.stderr.write(`mcp-guard: ${file} is not built; run "npm run build" in ${repoRoot}, then npm start again\n`);
  return 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await start();
}
