/** What wrapping one entry means, as values: the record, the secrets that move, the wrapped launch. */
import { describe, expect, it } from 'vitest';
import { CursorAdapter } from '../../main/clients/cursor.js';
import { ClaudeCodeAdapter } from '../../main/clients/claude-code.js';
import type { ClientAdapter, ClientEntry, EntryLaunch } from '../../main/clients/client-adapter.js';
import { EntryNotWrapped, planWrap, restoredText, serverId } from '../../main/clients/wrap-plan.js';

const LAUNCHER = '/opt/mcp-guard/bin/mcp-guard';

function plan(adapter: ClientAdapter, text: string, name: string) {
  const location = { client: adapter.client, scope: 'user' as const, path: '/home/dev/config.json' };
  const entry = adapter.read(location, text).entries.find((e) => e.name === name)! as ClientEntry & { launch: EntryLaunch };
  return { entry, plan: planWrap({ adapter, location, entry, launcher: LAUNCHER, identity: () => ({ transport: 'stdio', pinned: false }), now: new Date(0) }) };
}

describe('planWrap', () => {
  it('moves secret env values to the keychain, keeps the others and every reference in the wrapped env', () => {
    const text = JSON.stringify({
      mcpServers: {
        gh: {
          command: 'npx',
          args: ['-y', 'server-github'],
          env: { GITHUB_TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', LOG: 'debug', HOME_DIR: '${HOME}' },
        },
      },
    });
    const { entry, plan: p } = plan(new ClaudeCodeAdapter(), text, 'gh');
    expect(p.secretValues).toEqual([{ name: 'GITHUB_TOKEN', value: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' }]);
    expect(p.record.secrets).toEqual([{ name: 'GITHUB_TOKEN', target: 'env', source: { kind: 'keychain' } }]);
    expect(p.wrapped).toEqual({ command: LAUNCHER, args: ['run'], env: { LOG: 'debug', HOME_DIR: '${HOME}', MCP_GUARD_SERVER_ID: 'claude-code/user/gh' } });
    expect(p.record.launch).toEqual({ transport: 'stdio', command: 'npx', args: ['-y', 'server-github'] });
    expect(JSON.stringify(p.record)).not.toContain('ghp_abcdefghij');
    // The entry as written comes back with the secret put in its hole.
    expect(restoredText(p.record.original, () => 'ghp_abcdefghijklmnopqrstuvwxyz0123456789')).toBe(entry.text);
  });

  it('passes fields the client expands through the wrapped env, so the client still expands them', () => {
    const text = JSON.stringify({ mcpServers: { fs: { command: 'node', args: ['${workspaceFolder}/server.js', '--root', '${userHome}/notes'] } } });
    const { plan: p } = plan(new CursorAdapter(), text, 'fs');
    expect(p.record.clientExpanded).toEqual([
      { variable: 'MCP_GUARD_VAR_0', field: 'arg', at: 0 },
      { variable: 'MCP_GUARD_VAR_1', field: 'arg', at: 2 },
    ]);
    expect(p.wrapped.env).toMatchObject({ MCP_GUARD_VAR_0: '${workspaceFolder}/server.js', MCP_GUARD_VAR_1: '${userHome}/notes' });
  });

  it('moves secret headers of a remote server and keeps the plain ones in the record', () => {
    const text = JSON.stringify({
      mcpServers: { tickets: { type: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer abc.def.ghi', 'X-Team': 'web' } } },
    });
    const { plan: p } = plan(new ClaudeCodeAdapter(), text, 'tickets');
    expect(p.record.launch).toEqual({ transport: 'http', url: 'https://mcp.example.com/mcp', headers: { 'X-Team': 'web' } });
    expect(p.record.secrets).toEqual([{ name: 'Authorization', target: 'header', source: { kind: 'keychain' } }]);
  });

  it('refuses an entry whose value mixes a secret and a reference, rather than break the reference or leave the secret', () => {
    const text = JSON.stringify({
      mcpServers: { db: { command: 'node', args: ['db.js'], env: { GITHUB_TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789${SUFFIX}' } } },
    });
    expect(() => plan(new ClaudeCodeAdapter(), text, 'db')).toThrow(EntryNotWrapped);
  });
});

describe('planWrap and the old SSE transport', () => {
  it('leaves an HTTP+SSE server alone (the proxy cannot run it) rather than wrap it into one that does not start', () => {
    const text = JSON.stringify({ mcpServers: { legacy: { type: 'sse', url: 'https://mcp.example.com/sse' } } });
    expect(() => plan(new ClaudeCodeAdapter(), text, 'legacy')).toThrow(/old HTTP\+SSE transport/);
  });
});

describe('serverId', () => {
  it('is readable for plain names, and unique (a short hash) for names and projects that are not', () => {
    expect(serverId('claude-code', { name: 'github', scope: 'user' })).toBe('claude-code/user/github');
    expect(serverId('cursor', { name: 'linear', scope: 'project', projectDir: '/home/dev/web' })).toMatch(/^cursor\/project\/web-[0-9a-f]{6}\/linear$/);
    const spaced = serverId('claude-code', { name: 'my server', scope: 'user' });
    expect(spaced).toMatch(/^claude-code\/user\/my-server-[0-9a-f]{6}$/);
    expect(serverId('claude-code', { name: 'my/server', scope: 'user' })).not.toBe(spaced);
    expect(serverId('claude-code', { name: '../../etc', scope: 'user' })).toMatch(/^claude-code\/user\/etc-[0-9a-f]{6}$/);
  });
});
