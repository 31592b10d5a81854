// The Electron binary npm installed in this checkout, or undefined: the very lookup `npm start`
// does (build/start.js), without `require('electron')`, which would start a download.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export { electronBinary } from '../../build/start.js';

/** The binary's path inside a dist folder, as electron's path.txt names it (`electron` on Linux). */
export function electronBinaryName(): string {
  const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(dir, 'path.txt');
  return (existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '') || 'electron';
}
