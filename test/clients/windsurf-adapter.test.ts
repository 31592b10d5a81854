import { describe, expect, it } from 'vitest';
import { ConfigSyntaxError, type ConfigLocation } from '../../main/clients/client-adapter.js';
import { WindsurfAdapter } from '../../main/clients/windsurf.js';
import { fixtureText, goldenChecks, machineOf, wrapEdits } from './adapter-golden.js';

const adapter = new WindsurfAdapter();
const location: ConfigLocation = { client: 'windsurf', scope: 'user', path: '/Users/dev/.codeium/windsurf/mcp_config.json' };
const fixture = 'windsurf/home/.codeium/windsurf/mcp_config.json';

describe('Windsurf mcp_config.json (one-line entries, serverUrl)', () => {
  const doc = () => adapter.read(location, fixtureText(fixture));

  it('reads local servers and remote ones given by serverUrl or url', () => {
    expect(doc().entries.map((e) => [e.name, e.scope, e.projectDir, e.wrappedId, e.launch])).toEqual([
      [
        'github',
        'user',
        undefined,
        undefined,
        {
          transport: 'stdio',
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-github'],
          env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE3333' },
        },
      ],
      ['zapier', 'user', undefined, undefined, { transport: 'http', url: 'https://actions.zapier.com/mcp/FAKE-KEY-0000/sse', headers: {} }],
      [
        'figma',
        'user',
        undefined,
        undefined,
        { transport: 'http', url: 'https://figma.example.test/mcp', headers: { Authorization: 'Bearer ${env:AUTH_TOKEN}' } },
      ],
      ['puppeteer', 'user', undefined, undefined, { transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-puppeteer'], env: {} }],
      [
        'context7',
        'user',
        undefined,
        undefined,
        { transport: 'http', url: 'https://mcp.context7.com/mcp', headers: { CONTEXT7_API_KEY: '${env:CONTEXT7_API_KEY}' } },
      ],
      [
        'memory',
        'user',
        undefined,
        undefined,
        {
          transport: 'stdio',
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-memory'],
          env: { MEMORY_FILE_PATH: '${file:/Users/dev/.config/memory-path}' },
        },
      ],
    ]);
  });

  it('keeps disabled and disabledTools in a wrapped entry, and writes a one-line entry on one line', () => {
    const wrapped = doc().edit(wrapEdits(adapter, doc().entries));
    const after = Object.fromEntries(adapter.read(location, wrapped).entries.map((e) => [e.name, e.text]));
    expect(JSON.parse(after['puppeteer']!)).toMatchObject({ disabled: true, command: '/opt/mcp-guard/bin/mcp-guard' });
    expect(JSON.parse(after['figma']!)).toEqual({
      command: '/opt/mcp-guard/bin/mcp-guard',
      args: ['run'],
      env: { MCP_GUARD_SERVER_ID: 'windsurf/user/figma' },
      disabledTools: ['delete_file'],
    });
    expect(after['zapier']).toBe('{"command": "/opt/mcp-guard/bin/mcp-guard", "args": ["run"], "env": {"MCP_GUARD_SERVER_ID": "windsurf/user/zapier"}}');
  });

  goldenChecks(
    { adapter, location, fixture, golden: 'windsurf/wrapped/mcp_config.json', launchKeys: ['type', 'command', 'args', 'env', 'serverUrl', 'url', 'headers'] },
    false,
  );
});

describe('Windsurf’s variables, bad files and file location', () => {
  it('knows ${env:NAME} and ${file:path}, and not ${NAME}', () => {
    expect(adapter.expandsVariables.test('Bearer ${env:AUTH_TOKEN}')).toBe(true);
    expect(adapter.expandsVariables.test('${file:/Users/dev/token}')).toBe(true);
    expect(adapter.expandsVariables.test('${AUTH_TOKEN}')).toBe(false);
  });

  it('refuses a file that ends early, naming the file, line and column', () => {
    const text = '{\n  "mcpServers": {\n    "a": {"command": "x"}\n';
    expect(() => adapter.read(location, text)).toThrow(ConfigSyntaxError);
    expect(() => adapter.read(location, text)).toThrow(
      expect.objectContaining({ file: location.path, line: 4, column: 1, message: expect.stringContaining(location.path) }),
    );
  });

  it('is in ~/.codeium/windsurf on every platform', () => {
    expect(adapter.discover(machineOf('linux', '/home/dev', {}, {}, ['/home/dev/src/a'])).map((l) => [l.scope, l.path])).toEqual([
      ['user', '/home/dev/.codeium/windsurf/mcp_config.json'],
    ]);
    expect(adapter.discover(machineOf('darwin', '/Users/dev'))[0]?.path).toBe(location.path);
    expect(adapter.discover(machineOf('win32', 'C:\\Users\\dev'))[0]?.path).toBe('C:\\Users\\dev\\.codeium\\windsurf\\mcp_config.json');
  });
});
