import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** The built CLI, exactly as `npm install` exposes it as `mcp-guard`. */
export const cliPath = join(repoRoot, 'dist', 'main', 'cli', 'mcp-guard.cjs');
export const rawServerPath = join(repoRoot, 'dist', 'test', 'fixtures', 'raw-server.js');

const serverPackage = (name: string) => join(repoRoot, 'node_modules', '@modelcontextprotocol', name, 'dist', 'index.js');
/** Real MCP servers from npm, nobody here wrote them. */
export const realServers = {
  everything: ['node', serverPackage('server-everything'), 'stdio'],
  filesystem: (root: string) => ['node', serverPackage('server-filesystem'), root],
  memory: ['node', serverPackage('server-memory')],
} as const;
