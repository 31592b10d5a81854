import type { ClientName, ConfigScope } from '../../../../shared/server-registry.js';
import type { SecretEntry } from '../../../../shared/secrets-page.js';

export const CLIENT_LABELS: Readonly<Record<ClientName, string>> = {
  'claude-code': 'Claude Code',
  'claude-desktop': 'Claude Desktop',
  cursor: 'Cursor',
  vscode: 'VS Code',
  windsurf: 'Windsurf',
  codex: 'Codex',
  'gemini-cli': 'Gemini CLI',
  zed: 'Zed',
};

export const SCOPE_LABELS: Readonly<Record<ConfigScope, string>> = { user: 'user config', local: 'local (per project)', project: 'project config' };

export function targetLabel(target: 'env' | 'header'): string {
  return target === 'env' ? 'environment variable' : 'request header';
}

/** A state as its tag shows it: the words and the tag's colour class. */
export function stateTag(state: SecretEntry['state']): { text: string; className: string } {
  switch (state) {
    case 'set':
      return { text: 'Set', className: 'tag tag-ok' };
    case 'not-set':
      return { text: 'Not set', className: 'tag tag-bad' };
    case 'helper':
      return { text: 'From a helper', className: 'tag tag-locked' };
    case 'unknown':
      return { text: 'Unknown', className: 'tag tag-warn' };
  }
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
