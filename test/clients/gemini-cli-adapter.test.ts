import { describe, expect, it } from 'vitest';
import { ConfigSyntaxError, type ConfigLocation } from '../../main/clients/client-adapter.js';
import { GeminiCliAdapter } from '../../main/clients/gemini-cli.js';
import { fixtureText, goldenChecks, machineOf, wrapEdits } from './adapter-golden.js';

const adapter = new GeminiCliAdapter();
const userFile: ConfigLocation = { client: 'gemini-cli', scope: 'user', path: '/home/dev/.gemini/settings.json' };
const projectFile: ConfigLocation = {
  client: 'gemini-cli',
  scope: 'project',
  path: '/home/dev/src/tool/.gemini/settings.json',
  projectDir: '/home/dev/src/tool',
};
const LAUNCH_KEYS = ['type', 'command', 'args', 'env', 'cwd', 'httpUrl', 'url', 'headers'];

describe('Gemini CLI ~/.gemini/settings.json (comments, trailing commas, other settings)', () => {
  const doc = () => adapter.read(userFile, fixtureText('gemini-cli/home/.gemini/settings.json'));

  it('reads httpUrl as streamable HTTP, url as SSE unless its type says http, and command as stdio with cwd', () => {
    const byName = Object.fromEntries(doc().entries.map((e) => [e.name, e.launch]));
    expect(doc().entries.map((e) => [e.name, e.scope, e.wrappedId])).toEqual([
      ['github', 'user', undefined],
      ['git', 'user', undefined],
      ['pythonTools', 'user', undefined],
      ['events', 'user', undefined],
      ['docs', 'user', undefined],
      ['googleCloudServer', 'user', undefined],
      ['experimental', 'user', undefined],
    ]);
    expect(byName['github']).toEqual({
      transport: 'http',
      url: 'https://api.githubcopilot.com/mcp/',
      headers: { Authorization: 'Bearer ghp_FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE4444' },
    });
    expect(byName['git']).toEqual({ transport: 'stdio', command: 'uvx', args: ['mcp-server-git'], env: {} });
    expect(byName['pythonTools']).toEqual({
      transport: 'stdio',
      command: 'python',
      args: ['-m', 'my_mcp_server', '--port', '8080'],
      env: { DATABASE_URL: '$DB_CONNECTION_STRING', API_KEY: '${EXTERNAL_API_KEY}' },
      cwd: './mcp-servers/python',
    });
    expect(byName['events']).toEqual({ transport: 'sse', url: 'http://localhost:8080/sse', headers: {} });
    expect(byName['docs']).toEqual({ transport: 'http', url: 'https://docs.example.test/mcp', headers: { 'X-Api-Key': '$DOCS_KEY' } });
    expect(byName['googleCloudServer']).toEqual({ problem: expect.stringContaining('authProviderType') });
  });

  it('writes no "type" in a wrapped entry, even where the entry had one, and keeps timeout and tool filters', () => {
    const wrapped = doc().edit(wrapEdits(adapter, doc().entries));
    const after = Object.fromEntries(adapter.read(userFile, wrapped).entries.map((e) => [e.name, e.text]));
    expect(after['docs']).not.toContain('"type"');
    expect(JSON.parse(after['pythonTools']!)).toEqual({
      command: '/opt/mcp-guard/bin/mcp-guard',
      args: ['run'],
      env: { MCP_GUARD_SERVER_ID: 'gemini-cli/user/pythonTools' },
      timeout: 15000,
      includeTools: ['calculate_sum', 'file_analyzer'],
    });
    expect(wrapped).toContain('// Servers Gemini CLI may connect to');
  });

  goldenChecks(
    {
      adapter,
      location: userFile,
      fixture: 'gemini-cli/home/.gemini/settings.json',
      golden: 'gemini-cli/wrapped/home-settings.json',
      launchKeys: LAUNCH_KEYS,
      wrappedType: null,
    },
    true,
  );
});

describe('Gemini CLI <project>/.gemini/settings.json', () => {
  it('reads each server with its project', () => {
    const doc = adapter.read(projectFile, fixtureText('gemini-cli/project/.gemini/settings.json'));
    expect(doc.entries.map((e) => [e.name, e.scope, e.projectDir, e.launch])).toEqual([
      [
        'dockerizedServer',
        'project',
        '/home/dev/src/tool',
        {
          transport: 'stdio',
          command: 'docker',
          args: ['run', '-i', '--rm', '-e', 'API_KEY', '-v', '${PWD}:/workspace', 'my-mcp-server:latest'],
          env: { API_KEY: 'sk-FAKE-1111111111111111' },
        },
      ],
    ]);
  });

  goldenChecks(
    {
      adapter,
      location: projectFile,
      fixture: 'gemini-cli/project/.gemini/settings.json',
      golden: 'gemini-cli/wrapped/project-settings.json',
      launchKeys: LAUNCH_KEYS,
      wrappedType: null,
    },
    true,
  );
});

describe('Gemini CLI’s variables, bad files, file locations and the system settings', () => {
  it('treats $NAME and ${NAME} as Gemini CLI’s, and a lone $ as written', () => {
    for (const v of ['$DB_URL', '${API_KEY}', 'x-${PWD}/y']) expect(adapter.expandsVariables.test(v), v).toBe(true);
    for (const v of ['cost: 5$', '$1', '^a$']) expect(adapter.expandsVariables.test(v), v).toBe(false);
  });

  it('refuses a missing comma, naming the file, line and column', () => {
    const text = '{\n  "mcpServers": {\n    "a": {"command": "x"}\n    "b": {"command": "y"}\n  }\n}';
    expect(() => adapter.read(userFile, text)).toThrow(ConfigSyntaxError);
    expect(() => adapter.read(userFile, text)).toThrow(
      expect.objectContaining({ file: userFile.path, line: 4, column: 5, message: expect.stringContaining(userFile.path) }),
    );
  });

  it('finds ~/.gemini/settings.json and each project’s, on every platform, the home folder’s only once', () => {
    expect(adapter.discover(machineOf('linux', '/home/dev', {}, {}, ['/home/dev/src/tool', '/home/dev'])).map((l) => [l.scope, l.path, l.projectDir])).toEqual([
      ['user', '/home/dev/.gemini/settings.json', undefined],
      ['project', '/home/dev/src/tool/.gemini/settings.json', '/home/dev/src/tool'],
    ]);
    expect(adapter.discover(machineOf('darwin', '/Users/dev'))[0]?.path).toBe('/Users/dev/.gemini/settings.json');
    expect(adapter.discover(machineOf('win32', 'C:\\Users\\dev', {}, {}, ['D:\\tool'])).map((l) => l.path)).toEqual([
      'C:\\Users\\dev\\.gemini\\settings.json',
      'D:\\tool\\.gemini\\settings.json',
    ]);
  });

  it('lists the system settings file’s servers as unguarded', () => {
    const system = '{\n  // managed\n  "mcpServers": { "corp-search": { "httpUrl": "https://search.corp.test/mcp" } },\n}';
    expect(adapter.unguarded(machineOf('linux', '/home/dev', { '/etc/gemini-cli/settings.json': system }))).toEqual([
      { client: 'gemini-cli', name: 'corp-search', where: '/etc/gemini-cli/settings.json', why: expect.stringContaining('administrator') },
    ]);
    expect(adapter.unguarded(machineOf('win32', 'C:\\Users\\dev', { 'C:\\ProgramData\\gemini-cli\\settings.json': system })).map((u) => u.where)).toEqual([
      'C:\\ProgramData\\gemini-cli\\settings.json',
    ]);
    expect(adapter.unguarded(machineOf('darwin', '/Users/dev'))).toEqual([]);
  });
});
