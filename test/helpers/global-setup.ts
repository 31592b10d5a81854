import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, repoRoot } from './paths.js';

/** Tests run the built CLI as a user would; build once before them. Type errors are the typecheck step's job. */
export function setup(): void {
  // Several sessions working in one checkout build once, under a lock, and then run their files without rebuilding.
  if (process.env['MCP_GUARD_TEST_NO_BUILD'] === '1') return;
  try {
    execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.node.json'], { cwd: repoRoot, stdio: 'pipe' });
  } catch {
    // tsc still emits on type errors; the check below says whether there is something to run.
  }
  // The shipped `mcp-guard` is the esbuild bundle of the run path (see main/cli/bin.ts).
  execFileSync('npm', ['run', '--silent', 'build:cli'], { cwd: repoRoot, stdio: 'pipe' });
  // The page `mcp-guard serve --ui` serves, as the app ships it (Vite build into dist/renderer).
  // vitest sets NODE_ENV=test, which would make Vite build React's development bundle.
  execFileSync('npm', ['run', '--silent', 'build:renderer'], { cwd: repoRoot, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } });
  if (!existsSync(cliPath)) throw new Error(`build produced no ${cliPath}; run npm run build to see why`);
}
