/**
 * `mcp-guard serve --ui` as a user starts it: the built CLI in a process of its own, with a guard
 * home of its own; the page's URL read from the first stdout line that holds http://127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cliPath } from './paths.js';
import { guardEnv } from './proxy.js';

export type UiService = { url: string; port: number; child: ChildProcess; stderr: () => string; stop(): Promise<void> };

/** `env` adds to the guard's environment: e.g. a HOME of the test's own, whose client configs the Servers page reads. */
export async function startUiService(home: string, extraArgs: string[] = [], cli = cliPath, env: NodeJS.ProcessEnv = {}): Promise<UiService> {
  const child = spawn(process.execPath, [cli, 'serve', '--ui', '--port', '0', ...extraArgs], { env: guardEnv(home, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve --ui printed no URL within 15 s; stderr:\n${stderr}`)), 15_000);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const found = /http:\/\/127\.0\.0\.1:\d+\/\S*/.exec(line);
      if (!found) return;
      clearTimeout(timer);
      resolve(found[0]);
    });
    child.once('exit', (code) => reject(new Error(`serve --ui exited with ${code} before printing its URL; stderr:\n${stderr}`)));
  });
  return {
    url,
    port: Number(new URL(url).port),
    child,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
