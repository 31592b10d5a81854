/**
 * Opens the system browser at a sign-in URL: `open` on macOS, `xdg-open` elsewhere on POSIX, and
 * on Windows url.dll's FileProtocolHandler (what `start` ends up calling, without cmd.exe, whose
 * parsing would act on the `&` and `%` of a URL). `MCP_GUARD_BROWSER` replaces it with a command of
 * the user's (quotes group words; the URL is its last argument). The browser never gets the
 * proxy's stdio: stdout is the MCP client's channel.
 */
import { spawn } from 'node:child_process';

export const BROWSER_VARIABLE = 'MCP_GUARD_BROWSER';

/** The command line that opens `url`. */
export function browserCommand(url: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string[] {
  const custom = env[BROWSER_VARIABLE]?.trim();
  if (custom) return [...splitCommand(custom), url];
  if (platform === 'darwin') return ['open', url];
  if (platform === 'win32') return ['rundll32.exe', 'url.dll,FileProtocolHandler', url];
  return ['xdg-open', url];
}

/** Starts the browser and leaves it running; `onProblem` hears (without the URL) when it could not start or failed. */
export function openBrowser(url: string, env: NodeJS.ProcessEnv, onProblem: (message: string) => void): void {
  const [file, ...args] = browserCommand(url, env);
  const name = JSON.stringify(file);
  const where = env[BROWSER_VARIABLE]?.trim() ? ` (from ${BROWSER_VARIABLE})` : '';
  try {
    const child = spawn(file!, args, { stdio: 'ignore', env, shell: false, windowsHide: true, detached: process.platform !== 'win32' });
    child.on('error', (error: NodeJS.ErrnoException) =>
      onProblem(`could not start the browser ${name}${where} (${error.code ?? 'error'}); open the sign-in URL yourself`),
    );
    child.on('exit', (code) => {
      if (code !== null && code !== 0) onProblem(`the browser command ${name}${where} exited with code ${code}; open the sign-in URL yourself`);
    });
    child.unref();
  } catch (error) {
    onProblem(`could not start the browser ${name}${where} (${error instanceof Error ? error.message : String(error)}); open the sign-in URL yourself`);
  }
}

/** Words split at spaces, except inside "double" or 'single' quotes; no escapes, no variables. */
export function splitCommand(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3]!);
  return words;
}
