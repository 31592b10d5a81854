// The Electron binary npm installed in this checkout, or undefined: the lookup build/start.js does
// (kept in step with it), without `require('electron')`, which would start a download.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function electronBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  let dir: string;
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

/** The binary's path inside a dist folder, as electron's path.txt names it (`electron` on Linux). */
export function electronBinaryName(): string {
  const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(dir, 'path.txt');
  return (existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '') || 'electron';
}
