import { describe, expect, it } from 'vitest';
import { ConfigSyntaxError, type ConfigLocation } from '../../main/clients/client-adapter.js';
import { ZedAdapter } from '../../main/clients/zed.js';
import { fixtureText, goldenChecks, machineOf } from './adapter-golden.js';

const adapter = new ZedAdapter();
const location: ConfigLocation = { client: 'zed', scope: 'user', path: '/home/dev/.config/zed/settings.json' };
const fixture = 'zed/home/.config/zed/settings.json';

describe('Zed settings.json context_servers (JSONC, among the editor’s settings)', () => {
  const doc = () => adapter.read(location, fixtureText(fixture));

  it('reads custom servers, local and remote, and leaves the oldest command form alone', () => {
    expect(doc().entries.map((e) => [e.name, e.scope, e.address, e.wrappedId])).toEqual([
      ['filesystem', 'user', ['context_servers', 'filesystem'], undefined],
      ['github', 'user', ['context_servers', 'github'], undefined],
      ['linear', 'user', ['context_servers', 'linear'], undefined],
      ['old-style', 'user', ['context_servers', 'old-style'], undefined],
    ]);
    const byName = Object.fromEntries(doc().entries.map((e) => [e.name, e.launch]));
    expect(byName['filesystem']).toEqual({
      transport: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/dev/projects'],
      env: {},
    });
    expect(byName['github']).toMatchObject({
      transport: 'stdio',
      command: 'docker',
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE5555' },
    });
    expect(byName['linear']).toEqual({
      transport: 'http',
      url: 'https://mcp.linear.app/mcp',
      headers: { Authorization: 'Bearer lin_api_FAKE11111111111111111111111111111111' },
    });
    expect(byName['old-style']).toEqual({ problem: expect.stringContaining('older "command"') });
  });

  it('lists servers that extensions provide as unguarded, with or without "source": "extension"', () => {
    expect(doc().unguarded).toEqual([
      { client: 'zed', name: 'mcp-server-context7', where: location.path, why: expect.stringContaining('extension') },
      { client: 'zed', name: 'postgres-context-server', where: location.path, why: expect.stringContaining('extension') },
    ]);
  });

  it('expands nothing', () => {
    expect(adapter.expandsVariables).toBeUndefined();
  });

  goldenChecks({ adapter, location, fixture, golden: 'zed/wrapped/settings.json', launchKeys: ['command', 'args', 'env', 'url', 'headers'] }, true);
});

describe('Zed’s bad files and file location', () => {
  it('refuses a file that does not parse, naming the file, line and column', () => {
    const text = '// Zed settings\n{\n  "context_servers": {\n    "a": { "command": "x" ]\n  }\n}\n';
    expect(() => adapter.read(location, text)).toThrow(ConfigSyntaxError);
    expect(() => adapter.read(location, text)).toThrow(
      expect.objectContaining({ file: location.path, line: 4, column: 27, message: expect.stringContaining(location.path) }),
    );
  });

  it('is ~/.config/zed/settings.json on macOS and Linux ($XDG_CONFIG_HOME on Linux), %APPDATA%\\Zed on Windows', () => {
    expect(adapter.discover(machineOf('linux', '/home/dev'))).toEqual([{ client: 'zed', scope: 'user', path: '/home/dev/.config/zed/settings.json' }]);
    expect(adapter.discover(machineOf('linux', '/home/dev', {}, { XDG_CONFIG_HOME: '/cfg' }))[0]?.path).toBe('/cfg/zed/settings.json');
    expect(adapter.discover(machineOf('darwin', '/Users/dev', {}, { XDG_CONFIG_HOME: '/cfg' }))[0]?.path).toBe('/Users/dev/.config/zed/settings.json');
    expect(adapter.discover(machineOf('win32', 'C:\\Users\\dev', {}, { APPDATA: 'C:\\Users\\dev\\AppData\\Roaming' }))[0]?.path).toBe(
      'C:\\Users\\dev\\AppData\\Roaming\\Zed\\settings.json',
    );
  });
});
