import type { ServerRow, ServerState, ToolPinState } from '../../../../shared/servers-page.js';
import type { ClientName } from '../../../../shared/server-registry.js';

export const CLIENT_LABELS: Record<ClientName, string> = {
  'claude-code': 'Claude Code',
  'claude-desktop': 'Claude Desktop',
  cursor: 'Cursor',
  vscode: 'VS Code',
  windsurf: 'Windsurf',
  codex: 'Codex',
  'gemini-cli': 'Gemini CLI',
  zed: 'Zed',
};

export function clientLabel(client: ClientName | undefined): string {
  return client === undefined ? 'Started by hand' : CLIENT_LABELS[client];
}

export const SCOPE_LABELS: Record<ServerRow['scope'], string> = {
  user: 'user config',
  local: 'this project only (local)',
  project: 'project config',
  elsewhere: 'outside any config file',
  'ad-hoc': 'mcp-guard run --',
};

type Tone = 'ok' | 'warn' | 'bad' | 'locked';

export const STATE_TAGS: Record<ServerState, { label: string; tone: Tone; help: string }> = {
  wrapped: { label: 'Wrapped', tone: 'ok', help: 'Its calls pass through MCP Guard.' },
  unwrapped: { label: 'Not wrapped', tone: 'warn', help: 'Its client runs it directly: MCP Guard does not see its calls. Wrap it.' },
  unguarded: { label: 'Unguarded', tone: 'bad', help: 'It runs from somewhere MCP Guard cannot rewrite, so it cannot be wrapped.' },
  'not-runnable': { label: 'Cannot be wrapped', tone: 'bad', help: 'MCP Guard cannot launch this entry as it is written.' },
  broken: { label: 'Broken', tone: 'bad', help: 'Wrapped, but MCP Guard has no sound record of it: it will not start.' },
  'ad-hoc': { label: 'Started by hand', tone: 'locked', help: 'Seen through "mcp-guard run --"; it is in no client file.' },
};

export const TOOL_STATES: Record<ToolPinState, { label: string; tone: Tone }> = {
  pinned: { label: 'pinned', tone: 'ok' },
  changed: { label: 'changed, held', tone: 'bad' },
  new: { label: 'new, not approved', tone: 'warn' },
  removed: { label: 'no longer listed', tone: 'locked' },
};

/** The approval tag of a wrapped server: approved, held as new, or held as changed. */
export function approvalTag(row: ServerRow): { label: string; tone: Tone } | undefined {
  if (row.approved === undefined) return undefined;
  if (row.approved) return { label: 'Approved', tone: 'ok' };
  return row.identityChanges.length > 0 ? { label: 'Held: changed since approved', tone: 'bad' } : { label: 'Held: new server', tone: 'warn' };
}

/** Rows that need the user: not wrapped, held, changed tools, broken, disabled by a rule. */
export function needsAttention(row: ServerRow): boolean {
  return (
    row.state === 'unwrapped' ||
    row.state === 'broken' ||
    row.approved === false ||
    row.instructionsChanged ||
    row.pinsUnreadable ||
    row.tools.some((t) => t.state === 'changed')
  );
}

export type ServerFilter = 'all' | 'attention' | 'wrapped' | 'unwrapped' | 'other';

export const FILTERS: ReadonlyArray<{ id: ServerFilter; label: string }> = [
  { id: 'all', label: 'All servers' },
  { id: 'attention', label: 'Needs your attention' },
  { id: 'wrapped', label: 'Wrapped' },
  { id: 'unwrapped', label: 'Not wrapped' },
  { id: 'other', label: 'Unguarded, broken or by hand' },
];

export function matchesFilter(row: ServerRow, filter: ServerFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'attention':
      return needsAttention(row);
    case 'wrapped':
      return row.state === 'wrapped';
    case 'unwrapped':
      return row.state === 'unwrapped';
    case 'other':
      return row.state !== 'wrapped' && row.state !== 'unwrapped';
  }
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
