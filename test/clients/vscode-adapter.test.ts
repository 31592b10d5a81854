import { describe, expect, it } from 'vitest';
import { ConfigSyntaxError, type ConfigLocation } from '../../main/clients/client-adapter.js';
import { VscodeAdapter } from '../../main/clients/vscode.js';
import { fixtureText, goldenChecks, machineOf, wrapEdits } from './adapter-golden.js';

const adapter = new VscodeAdapter();
const userFile: ConfigLocation = { client: 'vscode', scope: 'user', path: '/home/dev/.config/Code/User/mcp.json' };
const workspaceFile: ConfigLocation = { client: 'vscode', scope: 'project', path: '/home/dev/src/app/.vscode/mcp.json', projectDir: '/home/dev/src/app' };
const LAUNCH_KEYS = ['type', 'command', 'args', 'env', 'cwd', 'url', 'headers'];

describe('VS Code user mcp.json (JSONC: comments, trailing commas, inputs)', () => {
  const text = () => fixtureText('vscode/user/mcp.json');
  const doc = () => adapter.read(userFile, text());

  it('reads the servers under "servers", not the inputs', () => {
    expect(doc().entries.map((e) => [e.name, e.scope, e.address, e.wrappedId])).toEqual([
      ['github', 'user', ['servers', 'github'], undefined],
      ['fetch', 'user', ['servers', 'fetch'], undefined],
      ['perplexity', 'user', ['servers', 'perplexity'], undefined],
      ['legacy-search', 'user', ['servers', 'legacy-search'], undefined],
      ['broken', 'user', ['servers', 'broken'], undefined],
    ]);
    const byName = Object.fromEntries(doc().entries.map((e) => [e.name, e.launch]));
    expect(byName['github']).toEqual({
      transport: 'http',
      url: 'https://api.githubcopilot.com/mcp/',
      headers: { Authorization: 'Bearer ${input:github_token}' },
    });
    expect(byName['fetch']).toEqual({ transport: 'stdio', command: 'uvx', args: ['mcp-server-fetch'], env: {} });
    expect(byName['perplexity']).toEqual({
      transport: 'stdio',
      command: 'npx',
      args: ['-y', 'server-perplexity-ask'],
      env: { PERPLEXITY_API_KEY: '${input:perplexity-key}', HTTP_PROXY: '${env:HTTP_PROXY}' },
    });
    expect(byName['legacy-search']).toEqual({ transport: 'sse', url: 'http://localhost:8931/sse', headers: { 'X-Api-Key': 'sk-FAKE-0000000000000000' } });
    expect(byName['broken']).toEqual({ problem: expect.stringContaining('"args"') });
  });

  it('keeps the comments, the trailing commas and the inputs outside the wrapped entries', () => {
    const wrapped = doc().edit(wrapEdits(adapter, doc().entries));
    expect(wrapped).toContain('// MCP servers for every workspace');
    expect(wrapped).toContain("// GitHub's remote server");
    expect(wrapped).toContain('/* An older server that still speaks SSE. */');
    expect(wrapped.slice(wrapped.indexOf('"inputs"'))).toBe(text().slice(text().indexOf('"inputs"')));
  });

  goldenChecks(
    { adapter, location: userFile, fixture: 'vscode/user/mcp.json', golden: 'vscode/wrapped/user-mcp.json', launchKeys: LAUNCH_KEYS, wrappedType: 'stdio' },
    true,
  );
});

describe('VS Code <workspace>/.vscode/mcp.json (4-space indentation, ${workspaceFolder})', () => {
  const doc = () => adapter.read(workspaceFile, fixtureText('vscode/workspace/.vscode/mcp.json'));

  it('reads each server with its workspace, cwd included, a missing type meaning stdio', () => {
    expect(doc().entries.map((e) => [e.name, e.scope, e.projectDir, e.launch])).toEqual([
      [
        'playwright',
        'project',
        '/home/dev/src/app',
        { transport: 'stdio', command: 'npx', args: ['-y', '@playwright/mcp@latest', '--output-dir', '${workspaceFolder}/.playwright'], env: {} },
      ],
      [
        'db',
        'project',
        '/home/dev/src/app',
        { transport: 'stdio', command: '${workspaceFolder}/scripts/db-mcp.sh', args: [], env: { PGDATABASE: 'app_dev' }, cwd: '${workspaceFolder}' },
      ],
      [
        'jira',
        'project',
        '/home/dev/src/app',
        { transport: 'http', url: 'https://jira.example.test/mcp', headers: { Authorization: 'Bearer ${env:JIRA_TOKEN}' } },
      ],
    ]);
  });

  it('gives a wrapped entry "type": "stdio" and keeps envFile and dev, dropping cwd', () => {
    const wrapped = doc().edit(wrapEdits(adapter, doc().entries));
    const db = adapter.read(workspaceFile, wrapped).entries.find((e) => e.name === 'db')!;
    expect(JSON.parse(db.text)).toEqual({
      type: 'stdio',
      command: '/opt/mcp-guard/bin/mcp-guard',
      args: ['run'],
      envFile: '${workspaceFolder}/.env',
      env: { MCP_GUARD_SERVER_ID: 'vscode/project/db' },
      dev: { watch: 'scripts/**/*.sh' },
    });
  });

  goldenChecks(
    {
      adapter,
      location: workspaceFile,
      fixture: 'vscode/workspace/.vscode/mcp.json',
      golden: 'vscode/wrapped/workspace-mcp.json',
      launchKeys: LAUNCH_KEYS,
      wrappedType: 'stdio',
    },
    true,
  );
});

describe('VS Code’s variables, bad files and file locations', () => {
  it('passes every ${…} through VS Code, and a bare $NAME as written', () => {
    for (const v of ['${input:token}', '${env:TOKEN}', '${workspaceFolder}', '${config:x.y}', '${userHome}'])
      expect(adapter.expandsVariables.test(v), v).toBe(true);
    expect(adapter.expandsVariables.test('$TOKEN')).toBe(false);
  });

  it('accepts comments but refuses a missing comma, naming the file, line and column', () => {
    const text = '{\n  // mine\n  "servers": {\n    "a": { "command": "x" }\n    "b": { "command": "y" }\n  }\n}\n';
    expect(() => adapter.read(userFile, text)).toThrow(ConfigSyntaxError);
    expect(() => adapter.read(userFile, text)).toThrow(
      expect.objectContaining({ file: userFile.path, line: 5, column: 5, message: expect.stringContaining(`${userFile.path}:5:5`) }),
    );
  });

  it('finds the user profile’s mcp.json on Linux (XDG_CONFIG_HOME too), macOS and Windows, and each workspace’s', () => {
    const linux = adapter.discover(machineOf('linux', '/home/dev', {}, {}, ['/home/dev/src/app']));
    expect(linux.map((l) => [l.scope, l.path, l.projectDir])).toEqual([
      ['user', '/home/dev/.config/Code/User/mcp.json', undefined],
      ['project', '/home/dev/src/app/.vscode/mcp.json', '/home/dev/src/app'],
    ]);
    expect(adapter.discover(machineOf('linux', '/home/dev', {}, { XDG_CONFIG_HOME: '/cfg' }))[0]?.path).toBe('/cfg/Code/User/mcp.json');
    expect(adapter.discover(machineOf('darwin', '/Users/dev'))[0]?.path).toBe('/Users/dev/Library/Application Support/Code/User/mcp.json');
    expect(adapter.discover(machineOf('win32', 'C:\\Users\\dev', {}, { APPDATA: 'C:\\Users\\dev\\AppData\\Roaming' }, ['D:\\app'])).map((l) => l.path)).toEqual(
      ['C:\\Users\\dev\\AppData\\Roaming\\Code\\User\\mcp.json', 'D:\\app\\.vscode\\mcp.json'],
    );
  });
});
