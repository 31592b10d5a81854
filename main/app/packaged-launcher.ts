import { join } from 'node:path';

/**
 * The launcher a packaged app's wraps point MCP clients at (build/launcher/, copied into the
 * package's resources by electron-builder.yml `extraResources`): a small script that runs the
 * bundled `mcp-guard` CLI with the app's own runtime, so an installed app needs no Node.
 */
export function packagedLauncherPath(resourcesPath: string, platform: NodeJS.Platform = process.platform): string {
  return join(resourcesPath, 'launcher', platform === 'win32' ? 'mcp-guard.cmd' : 'mcp-guard');
}

/**
 * Sets MCP_GUARD_LAUNCHER for this process when the app is packaged, so a wrap done from the app
 * (main/cli/client-wiring.ts `launcherPath()` reads it) writes the packaged launcher into client
 * configs, not the app binary. A launcher the user chose is kept. In a checkout nothing changes:
 * the launcher is the built CLI, dist/main/cli/mcp-guard.cjs.
 */
export function usePackagedLauncher(env: NodeJS.ProcessEnv, packaged: boolean, resourcesPath: string, platform: NodeJS.Platform = process.platform): void {
  if (!packaged || env['MCP_GUARD_LAUNCHER']) return;
  env['MCP_GUARD_LAUNCHER'] = packagedLauncherPath(resourcesPath, platform);
}
