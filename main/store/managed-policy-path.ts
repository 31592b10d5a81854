import { join } from 'node:path';
import { fileExistsSync } from './atomic-file.js';

/**
 * Where IT places managed policy: an admin-only path per OS. `MCP_GUARD_MANAGED_POLICY` may name
 * another file only when nothing exists at the OS path: the variable is set by the same user (or
 * agent) the policy constrains, so it must never replace, and thereby loosen, an IT-deployed file.
 */
export function osManagedPolicyPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  switch (platform) {
    case 'darwin':
      return '/Library/Application Support/MCP Guard/managed.json';
    case 'win32':
      return join(env['ProgramData'] ?? 'C:\\ProgramData', 'MCP Guard', 'managed.json');
    default:
      return '/etc/mcp-guard/managed.json';
  }
}

export function managedPolicyPathSync(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  exists: (path: string) => boolean = fileExistsSync,
): string {
  const osPath = osManagedPolicyPath(platform, env);
  const override = env['MCP_GUARD_MANAGED_POLICY'];
  return override && !exists(osPath) ? override : osPath;
}
