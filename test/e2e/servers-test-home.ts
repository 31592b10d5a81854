/**
 * What the Servers page tests share: a user's HOME of their own (whose ~/.claude.json the service
 * reads), a guard home with a policy, and the environment `mcp-guard serve --ui` gets for both.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath } from '../helpers/paths.js';
import { guardHomeWith, tempDir } from '../helpers/proxy.js';

/** A GitHub token as people paste them into client configs (never a real one). */
export const TOKEN = 'ghp_' + 'Q7w8E9r0T1y2U3i4O5p6A7s8D9f0G1h2J3k4';

export type TestHome = {
  home: string;
  guardHome: string;
  /** ~/.claude.json */
  claudeJson: string;
  /** For startUiService's 4th argument: the service reads this HOME's client files. */
  env: NodeJS.ProcessEnv;
};

export function testHome(policy: object = { version: 1, defaults: { tools: 'allow' } }): TestHome {
  const home = tempDir('mcp-guard-servers-home-');
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    CODEX_HOME: join(home, '.codex'),
    CLAUDE_CONFIG_DIR: '',
    MCP_GUARD_LAUNCHER: cliPath,
  };
  return { home, guardHome: guardHomeWith(policy), claudeJson: join(home, '.claude.json'), env };
}

/** ~/.claude.json as Claude Code writes it: two-space JSON with other settings around the servers. */
export function claudeJsonText(servers: Record<string, unknown>, projects: Record<string, unknown> = {}): string {
  return JSON.stringify({ numStartups: 12, theme: 'dark', mcpServers: servers, projects, tipsHistory: { 'new-user-warmup': 3 } }, null, 2);
}

export function writeClaudeJson(h: TestHome, servers: Record<string, unknown>, projects?: Record<string, unknown>): string {
  const text = claudeJsonText(servers, projects);
  writeFileSync(h.claudeJson, text);
  return text;
}

/** A Claude Code plugin with a server of its own: unguarded (Claude Code rewrites the plugin's files). */
export function installPlugin(h: TestHome, plugin: string, server: string): void {
  const dir = join(h.home, '.claude', 'plugins', 'cache', plugin);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '.mcp.json'), JSON.stringify({ mcpServers: { [server]: { command: 'npx', args: ['-y', `@example/${server}`] } } }));
  writeFileSync(
    join(h.home, '.claude', 'plugins', 'installed_plugins.json'),
    JSON.stringify({ version: 2, plugins: { [`${plugin}@market`]: [{ installPath: dir }] } }),
  );
}

/** Claude Desktop's config on Linux (~/.config/Claude). */
export function writeClaudeDesktop(h: TestHome, servers: Record<string, unknown>): void {
  const dir = join(h.home, '.config', 'Claude');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'claude_desktop_config.json'), JSON.stringify({ mcpServers: servers }, null, 2));
}
