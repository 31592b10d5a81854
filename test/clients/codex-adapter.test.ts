import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { ConfigSyntaxError, EntryMissingError, type ClientEntry, type ConfigLocation, type WrappedLaunch } from '../../main/clients/client-adapter.js';
import { CodexAdapter, codexLaunchOf } from '../../main/clients/codex.js';
import { SERVER_ID_VARIABLE } from '../../shared/server-id.js';
import { repoRoot } from '../helpers/paths.js';
import { fixtureText, GUARD_COMMAND, machineOf, runnable, serverId, wrapEdits } from './adapter-golden.js';

const adapter = new CodexAdapter();
const userFile: ConfigLocation = { client: 'codex', scope: 'user', path: '/home/dana/.codex/config.toml' };
const projectFile: ConfigLocation = { client: 'codex', scope: 'project', path: '/home/dana/src/web/.codex/config.toml', projectDir: '/home/dana/src/web' };
const LAUNCH_KEYS = ['command', 'args', 'env', 'cwd', 'url', 'bearer_token_env_var', 'http_headers', 'env_http_headers'];
const wrapOf = (id: string, env: Record<string, string> = {}): WrappedLaunch => ({
  command: GUARD_COMMAND,
  args: ['run'],
  env: { ...env, [SERVER_ID_VARIABLE]: id },
});

function servers(text: string): Record<string, Record<string, unknown>> {
  return (parse(text)['mcp_servers'] ?? {}) as Record<string, Record<string, unknown>>;
}

function entry(text: string, name: string, location: ConfigLocation = userFile): ClientEntry {
  const found = adapter.read(location, text).entries.find((e) => e.name === name);
  if (!found) throw new Error(`no entry ${name}`);
  return found;
}

/** Wraps `name` in `text`, checks that restoring its text gives `text` back, and returns the wrapped text. */
function wrapAndBack(text: string, name: string, wrap: WrappedLaunch = wrapOf(`codex/user/${name}`)): string {
  const doc = adapter.read(userFile, text);
  const was = doc.entries.find((e) => e.name === name)!;
  const wrapped = doc.edit([{ address: was.address, wrap }]);
  expect(adapter.read(userFile, wrapped).edit([{ address: was.address, restore: was.text }])).toBe(text);
  return wrapped;
}

/** The text between the given entries' texts, each found where it is written. */
function gaps(text: string, entryTexts: readonly string[]): string[] {
  const spans = entryTexts
    .map((t) => {
      const start = text.indexOf(t);
      expect(start, t).toBeGreaterThanOrEqual(0);
      expect(text.indexOf(t, start + 1), `${t} is written once`).toBe(-1);
      return { start, end: start + t.length };
    })
    .sort((a, b) => a.start - b.start);
  return [text.slice(0, spans[0]?.start ?? text.length), ...spans.map((s, i) => text.slice(s.end, spans[i + 1]?.start ?? text.length))];
}

/** The golden checks of one fixture: literals at their quotes, wrap touching only the wrapped servers, the golden file, and the way back. */
function goldenChecks(location: ConfigLocation, fixture: string, golden: string): void {
  const original = () => fixtureText(fixture);
  const read = () => adapter.read(location, original());
  const wrapped = () => read().edit(wrapEdits(adapter, read().entries));

  it('puts each literal exactly where its string is written in the entry', () => {
    const literals = read().entries.flatMap((e) => e.literals.map((l) => ({ e, l })));
    expect(literals.length).toBeGreaterThan(0);
    for (const { e, l } of literals) {
      const slice = e.text.slice(l.start, l.end);
      expect(parse(`v = ${slice}`)['v']).toBe(l.value);
      expect(slice[0]).toBe(l.quote === 'toml-basic' ? '"' : "'");
      expect(servers(original())[e.name]?.[l.field === 'env' ? 'env' : 'http_headers']).toMatchObject({ [l.key]: l.value });
    }
  });

  it('wrapping every runnable server changes bytes only inside those servers’ tables', () => {
    const before = read().entries.filter(runnable);
    expect(before.length).toBeGreaterThan(0);
    const after = wrapped();
    const now = adapter.read(location, after).entries.filter((e) => before.some((b) => b.name === e.name));
    expect(
      gaps(
        after,
        now.map((e) => e.text),
      ),
    ).toEqual(
      gaps(
        original(),
        before.map((e) => e.text),
      ),
    );
  });

  it('each wrapped server parses back launching the guard with its server id, every other key kept', () => {
    const before = read().entries;
    const after = adapter.read(location, wrapped()).entries;
    expect(after.map((e) => e.name)).toEqual(before.map((e) => e.name));
    const oldValues = servers(original());
    const newValues = servers(wrapped());
    for (const [i, was] of before.entries()) {
      const now = after[i]!;
      if (!runnable(was)) {
        expect(now.text).toBe(was.text);
        expect(now.wrappedId).toBeUndefined();
        expect(newValues[was.name]).toEqual(oldValues[was.name]);
        continue;
      }
      expect(now.wrappedId).toBe(serverId(adapter, was));
      expect(now.launch).toEqual({ transport: 'stdio', command: GUARD_COMMAND, args: ['run'], env: { [SERVER_ID_VARIABLE]: serverId(adapter, was) } });
      const oldValue = oldValues[was.name]!;
      const newValue = newValues[was.name]!;
      const kept = Object.keys(oldValue).filter((k) => !LAUNCH_KEYS.includes(k));
      for (const key of kept) expect(newValue[key], `${was.name}.${key}`).toEqual(oldValue[key]);
      expect(Object.keys(newValue).sort()).toEqual([...kept, 'command', 'args', 'env'].sort());
    }
  });

  it('the wrapped text is the stored golden file', () => {
    expect(wrapped()).toBe(readFileSync(join(repoRoot, 'test', 'fixtures', 'clients', golden), 'utf8'));
  });

  it('restoring each wrapped server’s original text gives back the file byte for byte', () => {
    const before = read().entries.filter(runnable);
    const again = adapter.read(location, wrapped()).edit(before.map((e) => ({ address: e.address, restore: e.text })));
    expect(again).toBe(original());
  });
}

describe('Codex ~/.codex/config.toml: the user servers', () => {
  const doc = () => adapter.read(userFile, fixtureText('codex/home/.codex/config.toml'));

  it('reads every [mcp_servers.NAME] table, quoted names included, and nothing of the other tables', () => {
    expect(doc().entries.map((e) => [e.name, e.scope, e.address.join(' > '), e.wrappedId])).toEqual([
      ['github', 'user', 'mcp_servers > github', undefined],
      ['context7', 'user', 'mcp_servers > context7', undefined],
      ['figma', 'user', 'mcp_servers > figma', undefined],
      ['linear', 'user', 'mcp_servers > linear', undefined],
      ['playwright', 'user', 'mcp_servers > playwright', undefined],
      ['my server', 'user', 'mcp_servers > my server', undefined],
    ]);
  });

  it('gives each server its launch: env from a subtable or inline, remote headers, cwd, and a disabled one as written', () => {
    const [github, context7, figma, linear, playwright, mine] = doc().entries;
    expect(github?.launch).toEqual({
      transport: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-github@2025.4.8'],
      env: { GITHUB_TOKEN: 'ghp_1234567890abcdefghijklmnopqrstuvwxyzAB', GITHUB_HOST: 'github.com' },
    });
    expect(context7?.launch).toMatchObject({ transport: 'stdio', args: ['-y', '@upstash/context7-mcp'], env: { LOG_LEVEL: 'info' } });
    expect(figma?.launch).toEqual({ problem: expect.stringContaining('bearer_token_env_var') });
    expect(linear?.launch).toEqual({
      transport: 'http',
      url: 'https://mcp.linear.app/mcp',
      headers: { Authorization: 'Bearer lin_api_abcdefghijklmnopqrstuvwxyz0123456789ABCD', 'X-Client': 'codex' },
    });
    expect(playwright?.launch).toEqual({ transport: 'stdio', command: 'npx', args: ['@playwright/mcp@0.0.41'], env: {} });
    expect(mine?.launch).toEqual({
      transport: 'stdio',
      command: '/Users/dana/bin/my-server',
      args: ['--port', '4000'],
      env: {},
      cwd: '/Users/dana/code/my server',
    });
  });

  it('takes an entry’s text from its header to its last key, with the subtables that follow it', () => {
    const [github] = doc().entries;
    expect(github?.text).toBe(
      [
        '[mcp_servers.github]',
        '# pinned, so the tool list does not move under us',
        'command = "npx"',
        'args = ["-y", "@modelcontextprotocol/server-github@2025.4.8"]',
        'startup_timeout_sec = 20',
        'env_vars = ["HTTPS_PROXY"]',
        '',
        '[mcp_servers.github.env]',
        'GITHUB_TOKEN = "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB"',
        "GITHUB_HOST = 'github.com'",
        '',
      ].join('\n'),
    );
  });

  it('lists the env and header strings of subtables and inline tables with their quoting', () => {
    const literals = doc().entries.map((e) => [e.name, e.literals.map((l) => [l.field, l.key, l.quote])]);
    expect(literals).toEqual([
      [
        'github',
        [
          ['env', 'GITHUB_TOKEN', 'toml-basic'],
          ['env', 'GITHUB_HOST', 'toml-literal'],
        ],
      ],
      [
        'context7',
        [
          ['env', 'CONTEXT7_API_KEY', 'toml-basic'],
          ['env', 'LOG_LEVEL', 'toml-basic'],
        ],
      ],
      ['figma', [['header', 'X-Figma-Region', 'toml-basic']]],
      [
        'linear',
        [
          ['header', 'Authorization', 'toml-basic'],
          ['header', 'X-Client', 'toml-basic'],
        ],
      ],
      ['playwright', []],
      ['my server', []],
    ]);
  });

  goldenChecks(userFile, 'codex/home/.codex/config.toml', 'codex/wrapped/config.toml');
});

describe('Codex <project>/.codex/config.toml: CRLF, inline tables, dotted keys, a table apart', () => {
  const doc = () => adapter.read(projectFile, fixtureText('codex/project/.codex/config.toml'));

  it('reads inline-table servers and lists the ones it will not edit with what to do', () => {
    const entries = doc().entries;
    expect(entries.map((e) => [e.name, e.scope, e.projectDir])).toEqual(
      ['memory', 'notes', 'postgres', 'sentry', 'browser'].map((name) => [name, 'project', '/home/dana/src/web']),
    );
    const [memory, notes, postgres, sentry, browser] = entries;
    expect(memory?.text).toBe(
      '{ command = "npx", args = ["-y", "@modelcontextprotocol/server-memory"], env = { MEMORY_FILE_PATH = "./.codex/memory.json" }, enabled = true }',
    );
    expect(memory?.launch).toEqual({
      transport: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-memory'],
      env: { MEMORY_FILE_PATH: './.codex/memory.json' },
    });
    expect(notes?.launch).toEqual({ problem: 'written as dotted keys (notes.command = …); wrap it by hand or as a [mcp_servers.notes] table' });
    expect(postgres?.launch).toEqual({ problem: expect.stringContaining('[mcp_servers.postgres.env] table is not next to its other tables') });
    expect(sentry?.literals).toEqual([expect.objectContaining({ field: 'header', key: 'Authorization', quote: 'toml-literal' })]);
    expect(browser?.launch).toMatchObject({ env: { BROWSER_PROFILE: 'C:\\Users\\dana\\AppData\\Local\\Chrome "Work"' } });
    expect(browser?.text.endsWith('"\r\n')).toBe(true);
  });

  goldenChecks(projectFile, 'codex/project/.codex/config.toml', 'codex/wrapped/project.config.toml');
});

describe('Codex wrap: where the env goes and what stays', () => {
  it('writes the env back as a subtable in place of the old one', () => {
    const text = '[mcp_servers.a]\ncommand = "x"\nenabled = true\n\n[mcp_servers.a.env]\nTOKEN = "t"\n\n[mcp_servers.b]\ncommand = "y"\n';
    expect(wrapAndBack(text, 'a')).toBe(
      `[mcp_servers.a]\ncommand = "${GUARD_COMMAND}"\nargs = ["run"]\nenabled = true\n\n[mcp_servers.a.env]\nMCP_GUARD_SERVER_ID = "codex/user/a"\n\n[mcp_servers.b]\ncommand = "y"\n`,
    );
  });

  it('writes the env inline where the entry had an inline env, and as dotted env keys were', () => {
    const inline = '[mcp_servers.a]\ncommand = "x"\n  env = { TOKEN = "t" }\ntool_timeout_sec = 5\n';
    expect(wrapAndBack(inline, 'a')).toBe(
      `[mcp_servers.a]\ncommand = "${GUARD_COMMAND}"\nargs = ["run"]\nenv = { MCP_GUARD_SERVER_ID = "codex/user/a" }\ntool_timeout_sec = 5\n`,
    );
    const dotted = '[mcp_servers.a]\nenv.TOKEN = "t"\ncommand = "x"\n';
    expect(wrapAndBack(dotted, 'a')).toBe(`[mcp_servers.a]\ncommand = "${GUARD_COMMAND}"\nargs = ["run"]\nenv = { MCP_GUARD_SERVER_ID = "codex/user/a" }\n`);
    expect(entry(dotted, 'a').literals).toEqual([{ field: 'env', key: 'TOKEN', value: 't', start: 28, end: 31, quote: 'toml-basic' }]);
  });

  it('adds an env subtable after the server’s tables when it had none, and keeps the file’s missing last line break', () => {
    const text =
      '# top\n[mcp_servers.a] # mine\ncommand = "x"\n# trailing comment stays outside\n\n[other]\nk = 1\n[mcp_servers.z]\nurl = "https://z.test/mcp"';
    const wrapped = wrapAndBack(text, 'a');
    expect(wrapped).toBe(
      `# top\n[mcp_servers.a] # mine\ncommand = "${GUARD_COMMAND}"\nargs = ["run"]\n\n[mcp_servers.a.env]\nMCP_GUARD_SERVER_ID = "codex/user/a"\n# trailing comment stays outside\n\n[other]\nk = 1\n[mcp_servers.z]\nurl = "https://z.test/mcp"`,
    );
    expect(wrapAndBack(text, 'z')).toBe(
      `${text.slice(0, text.indexOf('url'))}command = "${GUARD_COMMAND}"\nargs = ["run"]\n\n[mcp_servers.z.env]\nMCP_GUARD_SERVER_ID = "codex/user/z"`,
    );
  });

  it('keeps comment lines between the launch keys, drops those inside a launch value, and keeps indentation', () => {
    const text = '[mcp_servers.a]\n  # how to start it\n  command = "x" # the binary\n  # its flags\n  args = [\n    "--a", # first\n  ]\n  required = true\n';
    expect(wrapAndBack(text, 'a')).toBe(
      `[mcp_servers.a]\n  # how to start it\n  command = "${GUARD_COMMAND}"\n  args = ["run"]\n  # its flags\n  required = true\n\n[mcp_servers.a.env]\n  MCP_GUARD_SERVER_ID = "codex/user/a"\n`,
    );
  });

  it('wraps a server written as an inline table into an inline table, its other keys as written', () => {
    const text = '[mcp_servers]\nmem = {command="npx",  enabled = false, args=["m"], env = { K = "v" }}\nother = { url = "https://o.test" }\n';
    expect(wrapAndBack(text, 'mem')).toBe(
      `[mcp_servers]\nmem = { command = "${GUARD_COMMAND}", args = ["run"], env = { MCP_GUARD_SERVER_ID = "codex/user/mem" }, enabled = false }\nother = { url = "https://o.test" }\n`,
    );
    const root = 'mcp_servers = { mem = { command = "npx" } }\n';
    expect(wrapAndBack(root, 'mem')).toBe(
      `mcp_servers = { mem = { command = "${GUARD_COMMAND}", args = ["run"], env = { MCP_GUARD_SERVER_ID = "codex/user/mem" } } }\n`,
    );
  });

  it('keeps a non-launch subtable that sits apart where it is, and wraps the rest', () => {
    const text = '[mcp_servers.a]\ncommand = "x"\n[mcp_servers.b]\ncommand = "y"\n[mcp_servers.a.tools.search]\napproval_mode = "prompt"\n';
    const wrapped = wrapAndBack(text, 'a');
    expect(wrapped.endsWith('[mcp_servers.b]\ncommand = "y"\n[mcp_servers.a.tools.search]\napproval_mode = "prompt"\n')).toBe(true);
    expect(servers(wrapped)['a']).toEqual({
      command: GUARD_COMMAND,
      args: ['run'],
      env: { MCP_GUARD_SERVER_ID: 'codex/user/a' },
      tools: { search: { approval_mode: 'prompt' } },
    });
  });

  it('wraps a server whose env table comes before its main table', () => {
    const text = '[mcp_servers.a.env]\nK = "v"\n\n# main\n[mcp_servers.a]\ncommand = "x"\n';
    expect(wrapAndBack(text, 'a')).toBe(
      `[mcp_servers.a.env]\nMCP_GUARD_SERVER_ID = "codex/user/a"\n\n# main\n[mcp_servers.a]\ncommand = "${GUARD_COMMAND}"\nargs = ["run"]\n`,
    );
  });

  it('writes quotes, backslashes, control characters and unicode so that they parse back as they were', () => {
    const env = { 'MY KEY': 'say "hi"', PATHS: 'C:\\a\\b', LINES: 'one\ntwo\tthree\r', CONTROL: '\u0001\u007f', WORLD: 'héllo wörld 😀 ☃', 'ключ.x': '"' };
    const wrapped = wrapAndBack('[mcp_servers."s \\"q\\""]\ncommand = "x"\n', 's "q"', wrapOf('codex/user/s', env));
    expect(servers(wrapped)['s "q"']?.['env']).toEqual({ ...env, MCP_GUARD_SERVER_ID: 'codex/user/s' });
    expect(wrapped).toContain('[mcp_servers."s \\"q\\"".env]');
  });

  it('reads escaped and literal strings to the values TOML gives them', () => {
    const text = '[mcp_servers.a]\ncommand = \'x\'\nenv = { A = "q\\"b\\\\c\\u00e9\\U0001F600\\t", \'B\' = \'C:\\\\raw\', "C D" = "\\e\\x41" }\n';
    const a = entry(text, 'a');
    const parsed = servers(text)['a']?.['env'] as Record<string, string>;
    expect(a.literals.map((l) => [l.key, l.value])).toEqual(Object.entries(parsed));
    for (const l of a.literals) expect(parse(`v = ${a.text.slice(l.start, l.end)}`)['v']).toBe(l.value);
  });

  it('leaves multi-line strings out of the literals', () => {
    const text = '[mcp_servers.a]\ncommand = "x"\n[mcp_servers.a.env]\nLONG = """\nline\n"""\nSHORT = "s"\n';
    expect(entry(text, 'a').literals.map((l) => l.key)).toEqual(['SHORT']);
    wrapAndBack(text, 'a');
  });

  it('wraps several servers of one file at once, and reads an already wrapped one as wrapped', () => {
    const text = fixtureText('codex/home/.codex/config.toml');
    const doc = adapter.read(userFile, text);
    const wrapped = doc.edit(wrapEdits(adapter, doc.entries));
    const again = adapter.read(userFile, wrapped).entries.filter((e) => e.wrappedId !== undefined);
    expect(again.map((e) => e.name)).toEqual(['github', 'context7', 'linear', 'playwright', 'my server']);
  });
});

describe('Codex wrap and restore over every layout of a server', () => {
  /** Server `a` written each way Codex accepts, beside a neighbour and other tables; `bFirst` also ends the file without a line break. */
  function layouts(): { label: string; text: string }[] {
    const out: { label: string; text: string }[] = [];
    for (const eol of ['\n', '\r\n'])
      for (const env of ['none', 'table', 'table-first', 'inline', 'dotted', 'headers-table'] as const)
        for (const tools of ['none', 'next', 'apart'] as const)
          for (const comments of [false, true])
            for (const bFirst of [false, true]) {
              const remote = env === 'headers-table';
              const note = comments ? ['# about a'] : [];
              const main = [
                '[mcp_servers.a]',
                ...note,
                remote ? 'url = "https://a.test/mcp"' : 'command = "npx"',
                ...(comments ? ['  # between'] : []),
                ...(remote ? [] : ['args = ["-y", "a-mcp"]']),
                ...(env === 'inline' ? ['env = { TOKEN = "t", "X Y" = \'z\' }'] : env === 'dotted' ? ['env.TOKEN = "t"'] : []),
                'startup_timeout_sec = 15',
              ];
              const envTable =
                env === 'table' || env === 'table-first'
                  ? ['[mcp_servers.a.env]', 'TOKEN = "t"']
                  : remote
                    ? ['[mcp_servers.a.http_headers]', 'Authorization = "Bearer t"']
                    : [];
              const toolsTable = ['[mcp_servers.a.tools.search]', 'approval_mode = "prompt"'];
              const other = ['[mcp_servers.b]', 'command = "b"'];
              const a = env === 'table-first' ? [...envTable, '', ...main] : [...main, ...note, ...envTable];
              const lines = [
                'model = "o3"',
                '',
                ...(bFirst ? [...other, ''] : []),
                ...a,
                ...(tools === 'next' ? toolsTable : []),
                ...(comments ? ['# after a'] : []),
              ];
              if (!bFirst) lines.push('', ...other);
              if (tools === 'apart') lines.push(...toolsTable);
              if (!bFirst) lines.push('', '[tui]', 'notifications = true');
              out.push({
                label: `${JSON.stringify(eol)} env=${env} tools=${tools} comments=${comments} bFirst=${bFirst}`,
                text: lines.join(eol) + (bFirst ? '' : eol),
              });
            }
    return out;
  }

  it('wraps server a in each layout, changing only its tables, and restores it byte for byte', () => {
    const cases = layouts();
    expect(cases.length).toBe(144);
    for (const { label, text } of cases) {
      const was = entry(text, 'a');
      expect(was.launch, label).not.toHaveProperty('problem');
      const wrapped = wrapAndBack(text, 'a');
      const now = entry(wrapped, 'a');
      expect(now.wrappedId, label).toBe('codex/user/a');
      expect(gaps(wrapped, [now.text]), label).toEqual(gaps(text, [was.text]));
      const oldValue = servers(text)['a']!;
      const newValue = servers(wrapped)['a']!;
      const kept = Object.keys(oldValue).filter((k) => !LAUNCH_KEYS.includes(k));
      expect(newValue, label).toEqual({
        ...Object.fromEntries(kept.map((k) => [k, oldValue[k]])),
        command: GUARD_COMMAND,
        args: ['run'],
        env: { MCP_GUARD_SERVER_ID: 'codex/user/a' },
      });
      expect(servers(wrapped)['b'], label).toEqual({ command: 'b' });
      if (text.includes('\r\n')) expect(wrapped.replace(/\r\n/g, ''), label).not.toContain('\n');
      for (const comment of ['# about a', '  # between', '# after a']) expect(wrapped.includes(comment), label).toBe(text.includes(comment));
    }
  });
});

describe('Codex entries the guard leaves alone', () => {
  it('refuses to wrap a server it cannot run, and to edit one written as dotted keys', () => {
    const text = '[mcp_servers]\nd.command = "x"\n[mcp_servers.r]\nurl = "https://r.test"\nbearer_token_env_var = "T"\n';
    const doc = adapter.read(userFile, text);
    expect(() => doc.edit([{ address: ['mcp_servers', 'r'], wrap: wrapOf('codex/user/r') }])).toThrow(/cannot be wrapped: Codex reads its headers/);
    expect(() => doc.edit([{ address: ['mcp_servers', 'd'], restore: 'x' }])).toThrow(/written as dotted keys/);
  });

  it('lists a server written as an inline table with comments in it', () => {
    const text = '[mcp_servers]\na = { command = "x", # why\n  args = [] }\n';
    expect(entry(text, 'a').launch).toEqual({ problem: expect.stringContaining('inline table with comments') });
  });

  it('throws EntryMissingError for a server that is no longer in the file', () => {
    const doc = adapter.read(userFile, '[mcp_servers.a]\ncommand = "x"\n');
    expect(() => doc.edit([{ address: ['mcp_servers', 'gone'], restore: '' }])).toThrow(EntryMissingError);
  });

  it('says why for each launch Codex itself refuses or the guard cannot carry', () => {
    const problems = [
      { command: 'x', url: 'https://a.test' },
      { command: 'x', http_headers: { A: 'b' } },
      { url: 'https://a.test', env: { A: 'b' } },
      { url: 'https://a.test', bearer_token: 'secret' },
      { url: 'https://a.test', env_http_headers: { Authorization: 'TOKEN_VAR' } },
      { url: 'https://a.test', oauth: { client_id: 'c' } },
      { command: 'x', experimental_environment: 'remote' },
      { enabled: false },
      { command: 'x', args: [1] },
      { command: 'x', env: { A: 1 } },
      'npx',
    ].map((v) => codexLaunchOf(v));
    for (const p of problems) expect(p).toEqual({ problem: expect.any(String) });
    expect(problems.map((p) => ('problem' in p ? p.problem : '')).join('\n')).not.toContain('secret');
    expect(codexLaunchOf({ command: 'x', experimental_environment: 'local', env_vars: ['A'] })).toEqual({
      transport: 'stdio',
      command: 'x',
      args: [],
      env: {},
    });
  });
});

describe('Codex files that do not parse', () => {
  it('throws ConfigSyntaxError naming file, line and column, without quoting the file', () => {
    const text = 'model = "o3"\n\n[mcp_servers.github.env]\nGITHUB_TOKEN = "ghp_notclosed\n';
    let error: unknown;
    try {
      adapter.read(userFile, text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigSyntaxError);
    const syntax = error as ConfigSyntaxError;
    expect([syntax.file, syntax.line, syntax.column]).toEqual([userFile.path, 4, 30]);
    expect(syntax.message).toMatch(/^\/home\/dana\/\.codex\/config\.toml:4:30: not valid TOML/);
    expect(syntax.message).not.toContain('ghp_');
  });

  it('throws ConfigSyntaxError when mcp_servers is not a table', () => {
    expect(() => adapter.read(userFile, 'a = 1\nmcp_servers = "none"\n')).toThrow(ConfigSyntaxError);
  });

  it('reads an empty file and one without servers as no entries', () => {
    expect(adapter.read(userFile, '').entries).toEqual([]);
    expect(adapter.read(userFile, 'model = "o3"\n[tui]\nnotifications = true\n').entries).toEqual([]);
  });
});

describe('Codex files on the machine', () => {
  it('finds the user file in ~/.codex, the trusted projects’ files and the given projects’, once each', () => {
    const home = mkdtempSync(join(tmpdir(), 'mcp-guard-'));
    mkdirSync(join(home, '.codex'));
    writeFileSync(
      join(home, '.codex', 'config.toml'),
      '[projects."/src/trusted"]\ntrust_level = "trusted"\n[projects."/src/untrusted"]\ntrust_level = "untrusted"\n',
    );
    const machine = { ...machineOf('linux', home, {}, {}, ['/src/cwd', '/src/trusted', home]), readText: (p: string) => readTextOrUndefined(p) };
    expect(adapter.discover(machine)).toEqual([
      { client: 'codex', scope: 'user', path: join(home, '.codex', 'config.toml') },
      { client: 'codex', scope: 'project', path: '/src/trusted/.codex/config.toml', projectDir: '/src/trusted' },
      { client: 'codex', scope: 'project', path: '/src/cwd/.codex/config.toml', projectDir: '/src/cwd' },
    ]);
  });

  it('follows CODEX_HOME, and Windows paths under %USERPROFILE%', () => {
    expect(adapter.discover(machineOf('darwin', '/Users/dana', {}, { CODEX_HOME: '/opt/codex-home' }))[0]?.path).toBe('/opt/codex-home/config.toml');
    expect(adapter.discover(machineOf('win32', 'C:\\Users\\dana', {}, {}, ['D:\\src\\web']))).toEqual([
      { client: 'codex', scope: 'user', path: 'C:\\Users\\dana\\.codex\\config.toml' },
      { client: 'codex', scope: 'project', path: 'D:\\src\\web\\.codex\\config.toml', projectDir: 'D:\\src\\web' },
    ]);
  });

  it('lists the servers of the administrator’s system config as unguarded, and expands no variables', () => {
    const machine = machineOf('linux', '/home/dana', { '/etc/codex/config.toml': '[mcp_servers.corp]\ncommand = "corp-mcp"\n' });
    expect(adapter.unguarded(machine)).toEqual([
      { client: 'codex', name: 'corp', where: '/etc/codex/config.toml', why: expect.stringContaining('system config') },
    ]);
    expect(adapter.unguarded(machineOf('win32', 'C:\\Users\\dana', {}, { ProgramData: 'C:\\ProgramData' }))).toEqual([]);
    expect(adapter.expandsVariables).toBeUndefined();
  });
});

function readTextOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
