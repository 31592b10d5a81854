import { describe, expect, it } from 'vitest';
import { ClaudeCodeAdapter } from '../../main/clients/claude-code.js';
import { ConfigSyntaxError, type ConfigLocation } from '../../main/clients/client-adapter.js';
import { fixtureText, goldenChecks, machineOf } from './adapter-golden.js';

const adapter = new ClaudeCodeAdapter();
const userFile: ConfigLocation = { client: 'claude-code', scope: 'user', path: '/home/dev/.claude.json' };
const projectFile: ConfigLocation = { client: 'claude-code', scope: 'project', path: '/home/dev/src/web/.mcp.json', projectDir: '/home/dev/src/web' };
const LAUNCH_KEYS = ['type', 'command', 'args', 'env', 'url', 'headers'];

describe('Claude Code ~/.claude.json: user servers and each project’s local ones', () => {
  it('reads the user servers and the local servers under projects, and nothing else of the file', () => {
    const doc = adapter.read(userFile, fixtureText('claude-code/home/.claude.json'));
    expect(doc.entries.map((e) => [e.name, e.scope, e.projectDir, e.address.join(' > '), e.wrappedId])).toEqual([
      ['github', 'user', undefined, 'mcpServers > github', undefined],
      ['filesystem', 'user', undefined, 'mcpServers > filesystem', undefined],
      ['sentry', 'user', undefined, 'mcpServers > sentry', undefined],
      ['linear', 'user', undefined, 'mcpServers > linear', undefined],
      ['postgres', 'local', '/home/dev/src/web', 'projects > /home/dev/src/web > mcpServers > postgres', undefined],
    ]);
    const [github, filesystem, sentry, linear, postgres] = doc.entries;
    expect(github?.launch).toEqual({
      transport: 'http',
      url: 'https://api.githubcopilot.com/mcp/',
      headers: { Authorization: 'Bearer ghp_FAKE0000000000000000000000000000000000' },
    });
    expect(filesystem?.launch).toEqual({
      transport: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/dev/notes'],
      env: {},
    });
    expect(sentry?.launch).toEqual({ transport: 'sse', url: 'https://mcp.sentry.dev/sse', headers: {} });
    expect(linear?.launch).toEqual({ problem: expect.stringContaining('headersHelper') });
    expect(postgres?.launch).toMatchObject({
      transport: 'stdio',
      command: 'docker',
      env: { DATABASE_URL: '${DATABASE_URL:-postgres://localhost:5432/web_dev}' },
    });
    expect(github?.literals).toEqual([expect.objectContaining({ field: 'header', key: 'Authorization', quote: 'json' })]);
  });

  it('treats ${VAR} and ${VAR:-default} as Claude Code’s, and a bare $VAR as written', () => {
    expect(adapter.expandsVariables.test('${DATABASE_URL:-postgres://localhost}')).toBe(true);
    expect(adapter.expandsVariables.test('Bearer ${TOKEN}')).toBe(true);
    expect(adapter.expandsVariables.test('$TOKEN')).toBe(false);
  });

  goldenChecks(
    { adapter, location: userFile, fixture: 'claude-code/home/.claude.json', golden: 'claude-code/wrapped/.claude.json', launchKeys: LAUNCH_KEYS },
    false,
  );
});

describe('Claude Code <project>/.mcp.json: the project’s shared servers', () => {
  it('reads each server with its project, one-line entries included', () => {
    const doc = adapter.read(projectFile, fixtureText('claude-code/project/.mcp.json'));
    expect(doc.entries.map((e) => [e.name, e.scope, e.projectDir, e.wrappedId])).toEqual([
      ['github', 'project', '/home/dev/src/web', undefined],
      ['api-docs', 'project', '/home/dev/src/web', undefined],
      ['memory', 'project', '/home/dev/src/web', undefined],
    ]);
    expect(doc.entries[0]?.launch).toMatchObject({
      transport: 'stdio',
      command: 'docker',
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE0000' },
    });
    expect(doc.entries[1]?.launch).toEqual({
      transport: 'http',
      url: '${API_BASE_URL:-https://docs.example.test}/mcp',
      headers: { 'X-Api-Key': '${DOCS_API_KEY}' },
    });
    expect(doc.entries[2]?.launch).toEqual({ transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], env: {} });
  });

  goldenChecks(
    { adapter, location: projectFile, fixture: 'claude-code/project/.mcp.json', golden: 'claude-code/wrapped/project.mcp.json', launchKeys: LAUNCH_KEYS },
    false,
  );
});

describe('Claude Code files that do not parse, and where the files are', () => {
  it('refuses a comment (Claude Code writes strict JSON), naming the file, line and column', () => {
    const text = '{\n  "mcpServers": {\n    // mine\n    "a": { "command": "x" }\n  }\n}\n';
    expect(() => adapter.read(projectFile, text)).toThrow(ConfigSyntaxError);
    expect(() => adapter.read(projectFile, text)).toThrow(
      expect.objectContaining({ file: projectFile.path, line: 3, column: 5, message: expect.stringContaining(projectFile.path) }),
    );
  });

  it('finds ~/.claude.json, and a .mcp.json in every project it knows and every project it is given', () => {
    const home = '/home/dev';
    const machine = machineOf('linux', home, { '/home/dev/.claude.json': fixtureText('claude-code/home/.claude.json') }, {}, [
      '/srv/other',
      '/home/dev/src/web',
    ]);
    expect(adapter.discover(machine).map((l) => [l.scope, l.path, l.projectDir])).toEqual([
      ['user', '/home/dev/.claude.json', undefined],
      ['project', '/home/dev/src/web/.mcp.json', '/home/dev/src/web'],
      ['project', '/home/dev/src/api/.mcp.json', '/home/dev/src/api'],
      ['project', '/srv/other/.mcp.json', '/srv/other'],
    ]);
  });

  it('keeps its file in $CLAUDE_CONFIG_DIR when that is set, on macOS as on Linux', () => {
    expect(adapter.discover(machineOf('darwin', '/Users/dev', {}, { CLAUDE_CONFIG_DIR: '/Users/dev/.config/claude' }))[0]?.path).toBe(
      '/Users/dev/.config/claude/.claude.json',
    );
    expect(adapter.discover(machineOf('darwin', '/Users/dev'))[0]?.path).toBe('/Users/dev/.claude.json');
  });

  it('joins a Windows machine’s paths with backslashes', () => {
    const machine = machineOf('win32', 'C:\\Users\\dev', {}, {}, ['D:\\src\\web']);
    expect(adapter.discover(machine).map((l) => l.path)).toEqual(['C:\\Users\\dev\\.claude.json', 'D:\\src\\web\\.mcp.json']);
  });
});
