import { describe, expect, it } from 'vitest';
import { ClaudeDesktopAdapter } from '../../main/clients/claude-desktop.js';
import { ConfigSyntaxError, type ConfigLocation } from '../../main/clients/client-adapter.js';
import { fixtureText, goldenChecks, machineOf } from './adapter-golden.js';

const adapter = new ClaudeDesktopAdapter();
const dataDir = '/Users/dev/Library/Application Support/Claude';
const location: ConfigLocation = { client: 'claude-desktop', scope: 'user', path: `${dataDir}/claude_desktop_config.json` };

describe('Claude Desktop claude_desktop_config.json: local servers only', () => {
  it('reads every server under mcpServers, and leaves the app’s own settings out', () => {
    const doc = adapter.read(location, fixtureText('claude-desktop/Claude/claude_desktop_config.json'));
    expect(doc.entries.map((e) => [e.name, e.scope, e.projectDir, e.address, e.wrappedId])).toEqual([
      ['filesystem', 'user', undefined, ['mcpServers', 'filesystem'], undefined],
      ['brave-search', 'user', undefined, ['mcpServers', 'brave-search'], undefined],
      ['github', 'user', undefined, ['mcpServers', 'github'], undefined],
      ['sqlite', 'user', undefined, ['mcpServers', 'sqlite'], undefined],
      ['asana', 'user', undefined, ['mcpServers', 'asana'], undefined],
    ]);
    const [filesystem, brave, github, sqlite] = doc.entries;
    expect(filesystem?.launch).toEqual({
      transport: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', '/Users/dev/Desktop', '/Users/dev/Downloads'],
      env: {},
    });
    expect(brave?.launch).toMatchObject({ transport: 'stdio', command: 'npx', env: { BRAVE_API_KEY: 'BSA_FAKE_0000000000000000000000' } });
    expect(github?.literals).toEqual([
      expect.objectContaining({ field: 'env', key: 'GITHUB_PERSONAL_ACCESS_TOKEN', value: 'ghp_FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE1111' }),
    ]);
    expect(sqlite?.launch).toEqual({ transport: 'stdio', command: 'uvx', args: ['mcp-server-sqlite', '--db-path', '/Users/dev/test.db'], env: {} });
  });

  it('leaves an entry with a URL alone and says to add it as a connector', () => {
    const asana = adapter.read(location, fixtureText('claude-desktop/Claude/claude_desktop_config.json')).entries.find((e) => e.name === 'asana');
    expect(asana?.launch).toEqual({ problem: expect.stringContaining('connector') });
  });

  it('refuses a type other than stdio', () => {
    const doc = adapter.read(location, '{"mcpServers": {"x": {"type": "http", "command": "node"}}}');
    expect(doc.entries[0]?.launch).toEqual({ problem: expect.stringContaining('"type": "http"') });
  });

  it('expands nothing: a ${VAR} reaches the server as written', () => {
    expect(adapter.expandsVariables).toBeUndefined();
  });

  goldenChecks(
    {
      adapter,
      location,
      fixture: 'claude-desktop/Claude/claude_desktop_config.json',
      golden: 'claude-desktop/wrapped/claude_desktop_config.json',
      launchKeys: ['type', 'command', 'args', 'env'],
    },
    false,
  );

  it('refuses a trailing comma, naming the file, line and column', () => {
    const text = '{\n    "mcpServers": {\n        "a": { "command": "x" },\n    }\n}\n';
    expect(() => adapter.read(location, text)).toThrow(ConfigSyntaxError);
    expect(() => adapter.read(location, text)).toThrow(
      expect.objectContaining({ file: location.path, line: 4, column: 5, message: expect.stringContaining(location.path) }),
    );
  });
});

describe('Claude Desktop’s files on each platform', () => {
  it('is in ~/Library/Application Support/Claude on macOS', () => {
    expect(adapter.discover(machineOf('darwin', '/Users/dev')).map((l) => [l.scope, l.path])).toEqual([['user', location.path]]);
  });

  it('is in ~/.config/Claude on Linux, or under $XDG_CONFIG_HOME when that is set', () => {
    expect(adapter.discover(machineOf('linux', '/home/dev'))[0]?.path).toBe('/home/dev/.config/Claude/claude_desktop_config.json');
    expect(adapter.discover(machineOf('linux', '/home/dev', {}, { XDG_CONFIG_HOME: '/home/dev/.xdg' }))[0]?.path).toBe(
      '/home/dev/.xdg/Claude/claude_desktop_config.json',
    );
  });

  it('is in %APPDATA%\\Claude on Windows, or in the Store package once the Store build has its own copy', () => {
    const env = { APPDATA: 'C:\\Users\\dev\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\dev\\AppData\\Local' };
    expect(adapter.discover(machineOf('win32', 'C:\\Users\\dev', {}, env))[0]?.path).toBe(
      'C:\\Users\\dev\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
    );
    const store = 'C:\\Users\\dev\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude\\claude_desktop_config.json';
    expect(adapter.discover(machineOf('win32', 'C:\\Users\\dev', { [store]: '{}' }, env))[0]?.path).toBe(store);
    expect(adapter.discover(machineOf('win32', 'C:\\Users\\dev'))[0]?.path).toBe('C:\\Users\\dev\\AppData\\Roaming\\Claude\\claude_desktop_config.json');
  });
});

describe('Claude Desktop extensions are listed as unguarded', () => {
  const files = (names: string[]) => Object.fromEntries(names.map((n) => [`${dataDir}/${n}`, fixtureText(`claude-desktop/Claude/${n}`)]));

  it('lists each installed extension by its manifest name, where it runs from, and whether it is switched off', () => {
    const machine = machineOf(
      'darwin',
      '/Users/dev',
      files([
        'extensions-installations.json',
        'Claude Extensions/local.mcpb.example.weather/manifest.json',
        'Claude Extensions Settings/ant.dir.ant.anthropic.filesystem.json',
        'Claude Extensions Settings/local.mcpb.example.weather.json',
      ]),
    );
    expect(adapter.unguarded(machine)).toEqual([
      {
        client: 'claude-desktop',
        name: 'Filesystem',
        where: `${dataDir}/Claude Extensions/ant.dir.ant.anthropic.filesystem`,
        why: expect.not.stringContaining('switched off'),
      },
      {
        client: 'claude-desktop',
        name: 'weather',
        where: `${dataDir}/Claude Extensions/local.mcpb.example.weather`,
        why: expect.stringContaining('switched off'),
      },
    ]);
  });

  it('names an extension by its id when neither the registry nor its folder has a manifest', () => {
    const machine = machineOf('darwin', '/Users/dev', files(['extensions-installations.json']));
    expect(adapter.unguarded(machine).map((u) => u.name)).toEqual(['Filesystem', 'local.mcpb.example.weather']);
  });

  it('never reads outside the extensions folder for an id that is a path', () => {
    const registry = JSON.stringify({ extensions: { '../../../../etc': {}, 'a/b': {}, ok: {} } });
    const read: string[] = [];
    const machine = {
      ...machineOf('darwin', '/Users/dev', { [`${dataDir}/extensions-installations.json`]: registry }),
      readText: (p: string) => (read.push(p), p.endsWith('extensions-installations.json') ? registry : undefined),
    };
    expect(adapter.unguarded(machine).map((u) => u.name)).toEqual(['ok']);
    expect(read.every((p) => p.startsWith(dataDir + '/'))).toBe(true);
  });

  it('lists nothing when no extension registry is there, or it does not parse', () => {
    expect(adapter.unguarded(machineOf('darwin', '/Users/dev'))).toEqual([]);
    expect(adapter.unguarded(machineOf('darwin', '/Users/dev', { [`${dataDir}/extensions-installations.json`]: '{"extensions": ' }))).toEqual([]);
  });
});
