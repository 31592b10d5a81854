import { describe, expect, it } from 'vitest';
import { LaunchSpec } from '../../shared/launch-spec.js';

describe('a launch spec, as the server registry will keep it', () => {
  it('takes a stdio and an http server as the proxy runs them', () => {
    expect(
      LaunchSpec.parse({ kind: 'stdio', name: 'fs', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: { A: '1' } }).kind,
    ).toBe('stdio');
    expect(LaunchSpec.parse({ kind: 'http', name: 'tickets', url: 'https://mcp.example.com/mcp', headers: {} }).kind).toBe('http');
  });

  it('refuses an unknown kind, an empty command, a bad URL and unknown keys, naming the field', () => {
    const issues = (value: unknown) => LaunchSpec.safeParse(value).error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(issues({ kind: 'ws', name: 'x' })).toEqual(['kind']);
    expect(issues({ kind: 'stdio', name: 'x', command: '', args: [] })).toEqual(['command']);
    expect(issues({ kind: 'http', name: 'x', url: 'not a url', headers: {} })).toEqual(['url']);
    expect(issues({ kind: 'stdio', name: 'x', command: 'a', args: [], token: 'secret' })).toEqual(['']);
  });
});
