import { describe, expect, it } from 'vitest';
import { ConfigSyntaxError, type ConfigLocation } from '../../main/clients/client-adapter.js';
import { CursorAdapter } from '../../main/clients/cursor.js';
import { fixtureText, goldenChecks, machineOf } from './adapter-golden.js';

const adapter = new CursorAdapter();
const userFile: ConfigLocation = { client: 'cursor', scope: 'user', path: '/Users/dev/.cursor/mcp.json' };
const projectFile: ConfigLocation = { client: 'cursor', scope: 'project', path: '/Users/dev/src/shop/.cursor/mcp.json', projectDir: '/Users/dev/src/shop' };
const LAUNCH_KEYS = ['type', 'command', 'args', 'env', 'url', 'headers'];

describe('Cursor ~/.cursor/mcp.json (tab-indented)', () => {
  const doc = () => adapter.read(userFile, fixtureText('cursor/home/.cursor/mcp.json'));

  it('reads local and remote servers, a remote one with or without a type', () => {
    expect(doc().entries.map((e) => [e.name, e.scope, e.projectDir, e.wrappedId])).toEqual([
      ['playwright', 'user', undefined, undefined],
      ['context7', 'user', undefined, undefined],
      ['linear', 'user', undefined, undefined],
      ['github', 'user', undefined, undefined],
      ['notes', 'user', undefined, undefined],
      ['figma', 'user', undefined, undefined],
    ]);
    const byName = Object.fromEntries(doc().entries.map((e) => [e.name, e.launch]));
    expect(byName['playwright']).toEqual({ transport: 'stdio', command: 'npx', args: ['-y', '@playwright/mcp@latest'], env: {} });
    expect(byName['context7']).toEqual({ transport: 'http', url: 'https://mcp.context7.com/mcp', headers: { CONTEXT7_API_KEY: '${env:CONTEXT7_API_KEY}' } });
    expect(byName['linear']).toEqual({
      transport: 'http',
      url: 'https://mcp.linear.app/mcp',
      headers: { Authorization: 'Bearer lin_api_FAKE00000000000000000000000000000000' },
    });
    expect(byName['notes']).toEqual({
      transport: 'stdio',
      command: 'node',
      args: ['${userHome}${/}mcp${/}notes-server.js'],
      env: { NOTES_DIR: '${userHome}/Documents/notes' },
    });
  });

  it('leaves a server that signs in through "auth" to Cursor', () => {
    expect(doc().entries.find((e) => e.name === 'figma')?.launch).toEqual({ problem: expect.stringContaining('"auth"') });
  });

  it('finds the bearer token in the headers and the GitHub token in the environment', () => {
    const literals = doc().entries.flatMap((e) => e.literals.map((l) => [e.name, l.field, l.key, l.value]));
    expect(literals).toEqual(
      expect.arrayContaining([
        ['linear', 'header', 'Authorization', 'Bearer lin_api_FAKE00000000000000000000000000000000'],
        ['github', 'env', 'GITHUB_PERSONAL_ACCESS_TOKEN', 'ghp_FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE2222'],
      ]),
    );
  });

  goldenChecks(
    { adapter, location: userFile, fixture: 'cursor/home/.cursor/mcp.json', golden: 'cursor/wrapped/home-mcp.json', launchKeys: LAUNCH_KEYS },
    false,
  );
});

describe('Cursor <project>/.cursor/mcp.json (CRLF line endings)', () => {
  const doc = () => adapter.read(projectFile, fixtureText('cursor/project/.cursor/mcp.json'));

  it('reads each server with its project', () => {
    expect(doc().entries.map((e) => [e.name, e.scope, e.projectDir, e.launch])).toEqual([
      [
        'supabase',
        'project',
        '/Users/dev/src/shop',
        {
          transport: 'stdio',
          command: 'npx',
          args: ['-y', '@supabase/mcp-server-supabase@latest', '--read-only', '--project-ref=abcdefghijklmnopqrst'],
          env: { SUPABASE_ACCESS_TOKEN: 'sbp_FAKE0000000000000000000000000000000000' },
        },
      ],
      ['docs', 'project', '/Users/dev/src/shop', { transport: 'sse', url: 'https://docs.example.test/sse', headers: {} }],
      [
        'repo-tools',
        'project',
        '/Users/dev/src/shop',
        { transport: 'stdio', command: 'python3', args: ['${workspaceFolder}/tools/mcp_server.py', '--name', '${workspaceFolderBasename}'], env: {} },
      ],
    ]);
  });

  it('keeps envFile in the wrapped entry, for Cursor to load and pass on to the guard', () => {
    const text = fixtureText('cursor/project/.cursor/mcp.json');
    const supabase = adapter.read(projectFile, text).entries[0]!;
    const wrapped = adapter.read(projectFile, text).edit([
      {
        address: supabase.address,
        wrap: { command: '/opt/mcp-guard/bin/mcp-guard', args: ['run'], env: { MCP_GUARD_SERVER_ID: 'cursor/project/supabase' } },
      },
    ]);
    const again = adapter.read(projectFile, wrapped).entries[0]!;
    expect(JSON.parse(again.text)).toEqual({
      command: '/opt/mcp-guard/bin/mcp-guard',
      args: ['run'],
      env: { MCP_GUARD_SERVER_ID: 'cursor/project/supabase' },
      envFile: '${workspaceFolder}/.env.local',
    });
    expect(again.text).toContain('\r\n');
    expect(again.text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  goldenChecks(
    { adapter, location: projectFile, fixture: 'cursor/project/.cursor/mcp.json', golden: 'cursor/wrapped/project-mcp.json', launchKeys: LAUNCH_KEYS },
    false,
  );
});

describe('Cursor’s variables, bad files and file locations', () => {
  it('knows the variables Cursor fills in, and no others', () => {
    for (const v of ['${env:TOKEN}', '${userHome}', '${workspaceFolder}', '${workspaceFolderBasename}', '${pathSeparator}', '${/}']) {
      expect(adapter.expandsVariables.test(`a${v}b`), v).toBe(true);
    }
    for (const v of ['$TOKEN', '${TOKEN}', '${input:token}', '${env:}']) expect(adapter.expandsVariables.test(v), v).toBe(false);
  });

  it('refuses a comment, naming the file, line and column', () => {
    const text = '{\r\n  "mcpServers": { /* off */ }\r\n}\r\n';
    expect(() => adapter.read(userFile, text)).toThrow(ConfigSyntaxError);
    expect(() => adapter.read(userFile, text)).toThrow(
      expect.objectContaining({ file: userFile.path, line: 2, column: 19, message: expect.stringContaining(userFile.path) }),
    );
  });

  it('finds ~/.cursor/mcp.json and each project’s .cursor/mcp.json, on every platform', () => {
    expect(adapter.discover(machineOf('linux', '/home/dev', {}, {}, ['/home/dev/src/a'])).map((l) => [l.scope, l.path, l.projectDir])).toEqual([
      ['user', '/home/dev/.cursor/mcp.json', undefined],
      ['project', '/home/dev/src/a/.cursor/mcp.json', '/home/dev/src/a'],
    ]);
    expect(adapter.discover(machineOf('darwin', '/Users/dev')).map((l) => l.path)).toEqual(['/Users/dev/.cursor/mcp.json']);
    expect(adapter.discover(machineOf('win32', 'C:\\Users\\dev', {}, {}, ['D:\\src\\a'])).map((l) => l.path)).toEqual([
      'C:\\Users\\dev\\.cursor\\mcp.json',
      'D:\\src\\a\\.cursor\\mcp.json',
    ]);
  });

  it('does not list the user file a second time as the project file of the home folder', () => {
    expect(adapter.discover(machineOf('linux', '/home/dev', {}, {}, ['/home/dev'])).map((l) => l.scope)).toEqual(['user']);
  });
});
