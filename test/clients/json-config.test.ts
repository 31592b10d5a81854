import { describe, expect, it } from 'vitest';
import { ConfigSyntaxError, EntryMissingError, type EntryLaunch, type WrappedLaunch } from '../../main/clients/client-adapter.js';
import { launchOf } from '../../main/clients/entry-launch.js';
import { JsonConfigDocument, lineAndColumn, type EntryContainer, type JsonClientRules } from '../../main/clients/json-config.js';

const rules = (over: Partial<JsonClientRules> = {}): JsonClientRules => ({
  jsonc: false,
  launchOf: (v) => launchOf(v, { urlKeys: ['url'], cwd: true, types: { stdio: 'stdio', http: 'http', sse: 'sse' } }),
  launchKeys: ['type', 'command', 'args', 'env', 'cwd', 'url', 'headers'],
  envKeys: ['env'],
  headerKeys: ['headers'],
  ...over,
});
const user: EntryContainer[] = [{ path: ['mcpServers'], scope: 'user' }];
const guard: WrappedLaunch = { command: '/opt/mcp-guard/bin/mcp-guard', args: ['run'], env: { MCP_GUARD_SERVER_ID: 'x/user/a' } };
const doc = (text: string, r = rules(), containers = user) => new JsonConfigDocument('/cfg/mcp.json', text, containers, r);

describe('JsonConfigDocument finds entries under the containers it is given', () => {
  it('reads entries of every container with its scope and project, and skips containers that are missing or not objects', () => {
    const text = JSON.stringify({
      mcpServers: { a: { command: 'x' } },
      projects: { '/p': { mcpServers: { b: { url: 'https://b.test/mcp' } } }, '/q': { mcpServers: [] } },
    });
    const containers: EntryContainer[] = [
      ...user,
      { path: ['projects', '/p', 'mcpServers'], scope: 'local', projectDir: '/p' },
      { path: ['projects', '/q', 'mcpServers'], scope: 'local', projectDir: '/q' },
      { path: ['nowhere'], scope: 'project' },
    ];
    expect(doc(text, rules(), containers).entries.map((e) => [e.name, e.scope, e.projectDir, e.address, e.launch])).toEqual([
      ['a', 'user', undefined, ['mcpServers', 'a'], { transport: 'stdio', command: 'x', args: [], env: {} }],
      ['b', 'local', '/p', ['projects', '/p', 'mcpServers', 'b'], { transport: 'http', url: 'https://b.test/mcp', headers: {} }],
    ]);
  });

  it('keeps each entry’s text exactly as written, and says an entry that is not an object describes no launch', () => {
    const text = '{"mcpServers": {"a":   { "command" : "x" ,"args":[ ] }, "b": "npx thing"}}';
    const [a, b] = doc(text).entries;
    expect(a?.text).toBe('{ "command" : "x" ,"args":[ ] }');
    expect(b).toMatchObject({ text: '"npx thing"', launch: { problem: 'the entry is not an object' }, literals: [] });
  });

  it('reads the server id of an entry the guard already wrapped', () => {
    expect(doc('{"mcpServers": {"a": {"command": "g", "env": {"MCP_GUARD_SERVER_ID": "x/user/a"}}}}').entries[0]?.wrappedId).toBe('x/user/a');
    expect(doc('{"mcpServers": {"a": {"command": "g", "env": {"MCP_GUARD_SERVER_ID": 7}}}}').entries[0]?.wrappedId).toBeUndefined();
  });

  it('an empty file has no entries, and no entry to edit', () => {
    expect(doc('  \n').entries).toEqual([]);
    expect(() => doc('').edit([{ address: ['mcpServers', 'a'], wrap: guard }])).toThrow(EntryMissingError);
  });
});

describe('JsonConfigDocument literals', () => {
  it('point at the quotes of each env and header string, escapes and all, and at nothing else', () => {
    const text =
      '{"mcpServers": {"a": {"command": "x", "args": ["--token", "t0"], "env": {"TOKEN": "ghp_FAKE", "PORT": 8080, "Q": "say \\"hi\\"\\n"}, "headers": {"Authorization": "Bearer abc"}}}}';
    const [a] = doc(text).entries;
    expect(a?.literals.map((l) => [l.field, l.key, l.value, a.text.slice(l.start, l.end), l.quote])).toEqual([
      ['env', 'TOKEN', 'ghp_FAKE', '"ghp_FAKE"', 'json'],
      ['env', 'Q', 'say "hi"\n', '"say \\"hi\\"\\n"', 'json'],
      ['header', 'Authorization', 'Bearer abc', '"Bearer abc"', 'json'],
    ]);
  });
});

describe('JsonConfigDocument edits', () => {
  it('puts the guard where the first launch key was and keeps every other key in its place', () => {
    const text = '{"mcpServers": {"a": {"disabled": false, "command": "x", "args": ["y"], "envFile": ".env", "env": {"K": "v"}, "cwd": "/w", "timeout": 5}}}';
    expect(doc(text).edit([{ address: ['mcpServers', 'a'], wrap: guard }])).toBe(
      '{"mcpServers": {"a": {"disabled": false, "command": "/opt/mcp-guard/bin/mcp-guard", "args": ["run"], "env": {"MCP_GUARD_SERVER_ID": "x/user/a"}, "envFile": ".env", "timeout": 5}}}',
    );
  });

  it('writes "type": "stdio" when the entry had a type or the client wants one, and none otherwise or where the client has no stdio type', () => {
    const wrapped = (text: string, r = rules()) => doc(text, r).edit([{ address: ['mcpServers', 'a'], wrap: guard }]);
    expect(wrapped('{"mcpServers": {"a": {"type": "http", "url": "https://a.test"}}}')).toContain('{"type": "stdio", "command"');
    expect(wrapped('{"mcpServers": {"a": {"command": "x"}}}')).toContain('{"command": "/opt');
    expect(wrapped('{"mcpServers": {"a": {"command": "x"}}}', rules({ stdioType: 'stdio' }))).toContain('{"type": "stdio", "command"');
    expect(wrapped('{"mcpServers": {"a": {"type": "http", "url": "https://a.test"}}}', rules({ stdioType: null }))).toContain('{"command": "/opt');
  });

  it('lays a multi-line entry out with the file’s indentation unit from the entry’s own column', () => {
    const tabs = '{\n\t"mcpServers": {\n\t\t"a": {\n\t\t\t"command": "x"\n\t\t}\n\t}\n}\n';
    expect(doc(tabs).edit([{ address: ['mcpServers', 'a'], wrap: guard }])).toBe(
      '{\n\t"mcpServers": {\n\t\t"a": {\n\t\t\t"command": "/opt/mcp-guard/bin/mcp-guard",\n\t\t\t"args": ["run"],\n\t\t\t"env": {\n\t\t\t\t"MCP_GUARD_SERVER_ID": "x/user/a"\n\t\t\t}\n\t\t}\n\t}\n}\n',
    );
    const four = '{\n    "mcpServers": {\n        "a": {\n            "command": "x"\n        }\n    }\n}';
    expect(doc(four).edit([{ address: ['mcpServers', 'a'], wrap: guard }])).toContain(
      '\n        "a": {\n            "command": "/opt/mcp-guard/bin/mcp-guard",\n            "args": ["run"],\n            "env": {\n                "MCP_GUARD_SERVER_ID"',
    );
  });

  it('ends the wrapped entry’s lines with CRLF in a CRLF file', () => {
    const text = '{\r\n  "mcpServers": {\r\n    "a": {\r\n      "command": "x"\r\n    }\r\n  }\r\n}\r\n';
    const out = doc(text).edit([{ address: ['mcpServers', 'a'], wrap: guard }]);
    expect(out.split('\r\n').join('')).not.toContain('\n');
    expect(out).toContain('"a": {\r\n      "command": "/opt/mcp-guard/bin/mcp-guard",\r\n      "args": ["run"],\r\n      "env": {\r\n');
  });

  it('applies several edits in any order, and restore puts back the given text', () => {
    const text = '{"mcpServers": {"a": {"command": "x"}, "b": {"command": "y"}, "c": {"command": "z"}}}';
    const wrapped = doc(text).edit([
      { address: ['mcpServers', 'c'], wrap: guard },
      { address: ['mcpServers', 'a'], wrap: guard },
    ]);
    expect(wrapped).toBe(
      '{"mcpServers": {"a": {"command": "/opt/mcp-guard/bin/mcp-guard", "args": ["run"], "env": {"MCP_GUARD_SERVER_ID": "x/user/a"}}, "b": {"command": "y"}, "c": {"command": "/opt/mcp-guard/bin/mcp-guard", "args": ["run"], "env": {"MCP_GUARD_SERVER_ID": "x/user/a"}}}}',
    );
    expect(
      doc(wrapped).edit([
        { address: ['mcpServers', 'a'], restore: '{"command": "x"}' },
        { address: ['mcpServers', 'c'], restore: '{"command": "z"}' },
      ]),
    ).toBe(text);
  });

  it('throws EntryMissingError for an entry no longer in the file, and refuses two edits of one entry', () => {
    const d = doc('{"mcpServers": {"a": {"command": "x"}}}');
    expect(() => d.edit([{ address: ['mcpServers', 'gone'], wrap: guard }])).toThrow(EntryMissingError);
    expect(() => d.edit([{ address: ['mcpServers', 'gone'], wrap: guard }])).toThrow('the entry mcpServers.gone is no longer in the file');
    expect(() =>
      d.edit([
        { address: ['mcpServers', 'a'], wrap: guard },
        { address: ['mcpServers', 'a'], restore: '{}' },
      ]),
    ).toThrow('two edits of the same entry');
  });

  it('keeps JSONC comments and trailing commas outside the edited entry', () => {
    const text = '{\n  // servers\n  "mcpServers": {\n    "a": { "command": "x", }, /* b next */\n    "b": { "command": "y" },\n  },\n}\n';
    const out = doc(text, rules({ jsonc: true })).edit([{ address: ['mcpServers', 'a'], wrap: guard }]);
    expect(out).toBe(
      text.replace('{ "command": "x", }', '{"command": "/opt/mcp-guard/bin/mcp-guard", "args": ["run"], "env": {"MCP_GUARD_SERVER_ID": "x/user/a"}}'),
    );
  });
});

describe('JsonConfigDocument refuses a file that does not parse', () => {
  const syntax = (text: string, r = rules()) => {
    try {
      doc(text, r);
    } catch (e) {
      if (e instanceof ConfigSyntaxError) return { line: e.line, column: e.column, message: e.message };
      throw e;
    }
    throw new Error('parsed');
  };

  it('names the file, line and column, and says the file was left untouched', () => {
    expect(syntax('{\n  "mcpServers": {\n    "a": {"command": "x"},\n  }\n}')).toEqual({
      line: 4,
      column: 3,
      message: expect.stringMatching(/^\/cfg\/mcp\.json:4:3: not valid JSON \(\w+\); the file was left untouched/),
    });
  });

  it('takes comments and trailing commas only as JSONC', () => {
    const text = '{\n  // c\n  "mcpServers": {"a": {"command": "x"},},\n}';
    expect(syntax(text)).toMatchObject({ line: 2, column: 3 });
    expect(doc(text, rules({ jsonc: true })).entries.map((e) => e.name)).toEqual(['a']);
    expect(syntax('{\n  "mcpServers": {"a" {}}\n}', rules({ jsonc: true }))).toMatchObject({
      line: 2,
      column: 22,
      message: expect.stringContaining('not valid JSONC'),
    });
  });

  it('wants an object at the top level', () => {
    expect(syntax('[{"mcpServers": {}}]')).toEqual({ line: 1, column: 1, message: expect.stringContaining('expected a JSON object at the top level') });
  });

  it('counts lines by LF, so a CRLF file’s columns are right', () => {
    expect(lineAndColumn('{\r\n  "a": x\r\n}', 10)).toEqual({ line: 2, column: 8 });
  });
});

describe('JsonConfigDocument hands each entry’s value to the client’s rules', () => {
  it('gives launchOf the parsed entry and keeps what it answers', () => {
    const seen: unknown[] = [];
    const launch: EntryLaunch = { transport: 'stdio', command: 'c', args: [], env: {} };
    const r = rules({
      launchOf: (v) => {
        seen.push(v);
        return launch;
      },
    });
    expect(doc('{"mcpServers": {"a": {"whatever": [1, {"b": null}]}}}', r).entries[0]?.launch).toBe(launch);
    expect(seen).toEqual([{ whatever: [1, { b: null }] }]);
  });
});
